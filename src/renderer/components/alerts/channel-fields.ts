import type { ChannelKind } from '../../../shared/contract/channels';

/**
 * The settings each channel kind asks for in the form (the secret is its own, write-only field).
 * Values are typed as text; the engine's schema turns and checks them.
 */
export interface FieldSpec {
  key: string;
  label: string;
  placeholder?: string;
  /** Comma-separated list (e-mail recipients). */
  list?: boolean;
  number?: boolean;
  options?: readonly string[];
}

export const CHANNEL_FIELDS: Record<ChannelKind, readonly FieldSpec[]> = {
  email: [
    { key: 'host', label: 'SMTP server', placeholder: 'smtp.example.org' },
    { key: 'port', label: 'Port', placeholder: '587', number: true },
    { key: 'security', label: 'Security', options: ['starttls', 'tls', 'none'] },
    { key: 'user', label: 'User' },
    { key: 'from', label: 'From', placeholder: 'rackdeck@example.org' },
    { key: 'to', label: 'To (comma-separated)', placeholder: 'admin@example.org', list: true },
  ],
  webhook: [
    { key: 'format', label: 'Body', options: ['json', 'template', 'ntfy'] },
    { key: 'method', label: 'Method', options: ['POST', 'PUT'] },
    { key: 'template', label: 'Template ({{title}}, {{message}}, {{severity}}, {{server}}, {{time}}…)' },
    { key: 'contentType', label: 'Content type', placeholder: 'application/json' },
  ],
  ntfy: [
    { key: 'server', label: 'Server', placeholder: 'https://ntfy.sh' },
    { key: 'topic', label: 'Topic', placeholder: 'rackdeck-alerts' },
  ],
  gotify: [{ key: 'server', label: 'Server', placeholder: 'https://gotify.example.org' }],
  discord: [{ key: 'username', label: 'Bot name', placeholder: 'Rackdeck' }],
  slack: [],
  telegram: [{ key: 'chatId', label: 'Chat id', placeholder: '-1001234567890' }],
  matrix: [
    { key: 'server', label: 'Homeserver', placeholder: 'https://matrix.example.org' },
    { key: 'room', label: 'Room', placeholder: '!abc:example.org' },
  ],
  pushover: [{ key: 'user', label: 'User key' }],
  homeassistant: [
    { key: 'server', label: 'Home Assistant', placeholder: 'http://homeassistant.local:8123' },
    { key: 'service', label: 'notify service', placeholder: 'mobile_app_phone' },
  ],
};

/** The form's text values as settings: empty fields left out (the schema's defaults apply). */
export function settingsFromForm(kind: ChannelKind, values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of CHANNEL_FIELDS[kind]) {
    const v = (values[f.key] ?? '').trim();
    if (!v) continue;
    out[f.key] = f.number && /^\d+$/.test(v) ? Number(v) : f.list ? v.split(/[,\s]+/).filter(Boolean) : v;
  }
  return out;
}
