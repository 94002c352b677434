import type { ChannelInput } from '../../../shared/contract/channels';

/**
 * Apprise-style URLs (pure): one field covers many services. Each is parsed into the channel of
 * the same kind Rackdeck sends itself, and the credential in it (token, password, webhook URL)
 * comes back apart as the secret, to be sealed; the settings keep no secret. Parsed by hand, not
 * with `URL`: a Telegram bot token (`123:ABC`) is no host and port, a Matrix `#room` no fragment.
 */
export type ParsedChannel = Omit<Extract<ChannelInput, { kind: string }>, 'id' | 'name'> & { secret?: string; name: string };

interface Parts {
  scheme: string;
  user?: string;
  password?: string;
  host: string;
  port?: number;
  /** Path segments, decoded, empty ones dropped. */
  path: string[];
  query: URLSearchParams;
}

export class AppriseUrlError extends Error {}

const fail = (message: string): never => {
  throw new AppriseUrlError(message);
};

export function splitUrl(url: string): Parts {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url.trim());
  if (!m) return fail('not a URL like scheme://…');
  const scheme = (m[1] as string).toLowerCase();
  let rest = m[2] as string;
  const q = rest.indexOf('?');
  const query = new URLSearchParams(q >= 0 ? rest.slice(q + 1) : '');
  if (q >= 0) rest = rest.slice(0, q);
  const slash = rest.indexOf('/');
  let authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = (slash >= 0 ? rest.slice(slash + 1) : '')
    .split('/')
    .filter(Boolean)
    .map((s) => safeDecode(s));
  const parts: Parts = { scheme, host: '', path, query };
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const info = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = info.indexOf(':');
    parts.user = safeDecode(colon >= 0 ? info.slice(0, colon) : info);
    if (colon >= 0) parts.password = safeDecode(info.slice(colon + 1));
  }
  const portMatch = /^(.*):(\d{1,5})$/.exec(authority);
  if (portMatch) {
    const port = Number(portMatch[2]);
    if (port < 1 || port > 65535) fail(`the port ${port} is not 1–65535`);
    parts.port = port;
    authority = portMatch[1] as string;
  }
  parts.host = safeDecode(authority);
  return parts;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return fail(`"${s}" is not properly %-encoded`);
  }
}

const hostPort = (p: Parts) => `${p.host.includes(':') ? `[${p.host}]` : p.host}${p.port ? `:${p.port}` : ''}`;
const need = (value: string | undefined, what: string): string => (value ? value : fail(`the URL has no ${what}`));

/** The schemes understood, for the help text. */
export const APPRISE_SCHEMES = ['mailto', 'mailtos', 'json', 'jsons', 'http', 'https', 'ntfy', 'ntfys', 'gotify', 'gotifys', 'discord', 'slack', 'tgram', 'matrix', 'matrixs', 'pover', 'hassio', 'hassios'] as const;

export function parseAppriseUrl(url: string): ParsedChannel {
  const p = splitUrl(url);
  switch (p.scheme) {
    case 'mailto':
    case 'mailtos': {
      const host = need(p.host, 'SMTP server');
      const user = p.user;
      const from = p.query.get('from') ?? (user?.includes('@') ? user : user ? `${user}@${host}` : fail('the URL has no sender: add ?from=…'));
      const to = (p.query.get('to') ?? from).split(/[,\s]+/).filter(Boolean);
      const tls = p.scheme === 'mailtos';
      const port = p.port ?? (tls ? 465 : 587);
      const security = p.query.get('mode') === 'none' ? 'none' : tls && port === 465 ? 'tls' : 'starttls';
      return { kind: 'email', name: `E-mail via ${host}`, settings: { host, port, security, ...(user ? { user } : {}), from, to }, ...(p.password ? { secret: p.password } : {}) };
    }
    case 'json':
    case 'jsons':
    case 'http':
    case 'https': {
      const proto = p.scheme === 'jsons' || p.scheme === 'https' ? 'https' : 'http';
      const cred = p.user ? `${encodeURIComponent(p.user)}${p.password ? `:${encodeURIComponent(p.password)}` : ''}@` : '';
      const query = p.scheme.startsWith('json') ? '' : p.query.toString();
      const secret = `${proto}://${cred}${hostPort({ ...p, host: need(p.host, 'host') })}/${p.path.map(encodeURIComponent).join('/')}${query ? `?${query}` : ''}`;
      return { kind: 'webhook', name: `Webhook to ${p.host}`, settings: { format: 'json', method: 'POST' }, secret };
    }
    case 'ntfy':
    case 'ntfys': {
      // ntfy://topic is the public ntfy.sh; ntfy://host/topic a server of one's own.
      const onNtfySh = p.path.length === 0;
      const topic = onNtfySh ? need(p.host, 'topic') : (p.path.at(-1) as string);
      const server = onNtfySh ? 'https://ntfy.sh' : `${p.scheme === 'ntfys' ? 'https' : 'http'}://${hostPort(p)}${p.path.length > 1 ? `/${p.path.slice(0, -1).join('/')}` : ''}`;
      const token = p.query.get('token') ?? p.password ?? p.user;
      return { kind: 'ntfy', name: `ntfy ${topic}`, settings: { server, topic }, ...(token ? { secret: token } : {}) };
    }
    case 'gotify':
    case 'gotifys': {
      const token = need(p.path.at(-1), 'application token (gotify://host/TOKEN)');
      const prefix = p.path.slice(0, -1);
      const server = `${p.scheme === 'gotifys' ? 'https' : 'http'}://${hostPort({ ...p, host: need(p.host, 'host') })}${prefix.length ? `/${prefix.join('/')}` : ''}`;
      return { kind: 'gotify', name: `Gotify on ${p.host}`, settings: { server }, secret: token };
    }
    case 'discord': {
      const id = need(p.host, 'webhook id (discord://ID/TOKEN)');
      const token = need(p.path[0], 'webhook token (discord://ID/TOKEN)');
      if (!/^\d+$/.test(id)) fail('a Discord webhook id is a number');
      return { kind: 'discord', name: 'Discord', settings: { username: p.query.get('botname') ?? 'Rackdeck' }, secret: `https://discord.com/api/webhooks/${id}/${encodeURIComponent(token)}` };
    }
    case 'slack': {
      const tokens = [p.host, ...p.path].filter((t) => !t.startsWith('#'));
      if (tokens.length < 3) fail('a Slack webhook URL has three tokens: slack://T…/B…/XXXX');
      return { kind: 'slack', name: 'Slack', settings: {}, secret: `https://hooks.slack.com/services/${tokens.slice(0, 3).map(encodeURIComponent).join('/')}` };
    }
    case 'tgram': {
      // The bot token has a colon in it (123456:ABC…), so it reads as host:port or user:password.
      const token = p.user !== undefined ? `${p.user}:${p.password ?? ''}` : p.port !== undefined ? `${p.host}:${p.port}` : p.host;
      if (!/^\d+:[A-Za-z0-9_-]+$/.test(token)) fail('a Telegram bot token looks like 123456:ABC-DEF…');
      const chatId = need(p.path[0], 'chat id (tgram://TOKEN/CHAT_ID)');
      return { kind: 'telegram', name: `Telegram ${chatId}`, settings: { chatId }, secret: token };
    }
    case 'matrix':
    case 'matrixs': {
      const token = need(p.password ?? p.user, 'access token (matrixs://TOKEN@host/#room)');
      const raw = need(p.path[0] ?? p.query.get('to') ?? undefined, 'room (matrixs://TOKEN@host/#room or /!id:server)');
      const room = /^[!#]/.test(raw) ? raw : `#${raw}`;
      const full = room.includes(':') ? room : `${room}:${p.host}`;
      const server = `${p.scheme === 'matrixs' ? 'https' : 'http'}://${hostPort({ ...p, host: need(p.host, 'homeserver') })}`;
      return { kind: 'matrix', name: `Matrix ${full}`, settings: { server, room: full }, secret: token };
    }
    case 'pover': {
      const user = need(p.user, 'user key (pover://USER_KEY@APP_TOKEN)');
      const token = need(p.host, 'application token (pover://USER_KEY@APP_TOKEN)');
      return { kind: 'pushover', name: 'Pushover', settings: { user }, secret: token };
    }
    case 'hassio':
    case 'hassios': {
      const token = need(p.path.at(-1) ?? p.query.get('token') ?? undefined, 'access token (hassio://host/TOKEN)');
      const service = (p.query.get('service') ?? 'notify').replace(/^notify\./, '');
      const server = `${p.scheme === 'hassios' ? 'https' : 'http'}://${hostPort({ ...p, host: need(p.host, 'host'), port: p.port ?? 8123 })}`;
      return { kind: 'homeassistant', name: `Home Assistant on ${p.host}`, settings: { server, service }, secret: token };
    }
    default:
      return fail(`"${p.scheme}://" is not a scheme Rackdeck knows; it reads ${APPRISE_SCHEMES.map((s) => `${s}://`).join(', ')}`);
  }
}
