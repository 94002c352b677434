import { useEffect, useState, type ReactNode } from 'react';
import type { AlertConfigView, ChannelTestResult } from '../../../shared/contract/monitoring';
import { RackdeckError } from '../../../shared/ipc';
import { useClient } from '../../hooks/useClient';
import { FormField } from '../FormField';

type Result = { ok: boolean; text: string } | undefined;

function ResultLine({ result }: { result: Result }) {
  if (!result) return null;
  return (
    <p className="channel-result" data-ok={result.ok} role="status" data-testid="channel-result">
      {result.ok ? '✓ ' : '✗ '}
      {result.text}
    </p>
  );
}

function Card({ title, hint, enabled, onToggle, children, testId }: { title: string; hint: string; enabled: boolean; onToggle(v: boolean): void; children: ReactNode; testId: string }) {
  return (
    <section className="channel" data-enabled={enabled} data-testid={testId}>
      <header>
        <label className="switch">
          <input type="checkbox" checked={enabled} onChange={(e) => onToggle(e.target.checked)} aria-label={`${title} on`} />
          <span aria-hidden="true" />
        </label>
        <div>
          <h3>{title}</h3>
          <p className="muted">{hint}</p>
        </div>
      </header>
      {children}
    </section>
  );
}

/**
 * Where alerts go besides the desktop and the browser: e-mail over SMTP and a webhook (JSON or
 * ntfy). Secrets (the SMTP password, the webhook URL) are write-only: the form says whether one
 * is stored, and an empty field keeps it. "Send test" saves first, then sends.
 */
export function ChannelsForm() {
  const client = useClient();
  const [config, setConfig] = useState<AlertConfigView | undefined>(undefined);
  const [email, setEmail] = useState({ enabled: false, host: '', port: '587', security: 'starttls' as 'starttls' | 'tls' | 'none', user: '', from: '', to: '' });
  const [password, setPassword] = useState('');
  const [webhook, setWebhook] = useState({ enabled: false, format: 'json' as 'json' | 'ntfy' });
  const [url, setUrl] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [results, setResults] = useState<{ email?: Result; webhook?: Result }>({});
  const [busy, setBusy] = useState<string | undefined>(undefined);

  const adopt = (c: AlertConfigView) => {
    setConfig(c);
    setEmail({ enabled: c.email.enabled, host: c.email.host, port: String(c.email.port), security: c.email.security, user: c.email.user ?? '', from: c.email.from, to: c.email.to.join(', ') });
    setWebhook({ enabled: c.webhook.enabled, format: c.webhook.format });
    setPassword('');
    setUrl('');
  };
  useEffect(() => {
    void client.alerts.rules({}).then(adopt);
  }, [client]);
  if (!config) return <div className="sk" style={{ height: 240 }} />;

  const save = async (which: 'email' | 'webhook'): Promise<boolean> => {
    setErrors({});
    try {
      const input =
        which === 'email'
          ? {
              email: { enabled: email.enabled, host: email.host.trim(), port: Number(email.port), security: email.security, ...(email.user.trim() ? { user: email.user.trim() } : {}), from: email.from.trim(), to: email.to.split(/[,\s]+/).filter(Boolean) },
              ...(password ? { password } : {}),
            }
          : { webhook, ...(url.trim() ? { url: url.trim() } : {}) };
      adopt(await client.alerts.setChannels(input));
      return true;
    } catch (e) {
      if (e instanceof RackdeckError && e.fields) setErrors(e.fields);
      setResults((r) => ({ ...r, [which]: { ok: false, text: e instanceof Error ? e.message : String(e) } }));
      return false;
    }
  };
  const run = async (which: 'email' | 'webhook', test: boolean) => {
    setBusy(which);
    setResults((r) => ({ ...r, [which]: undefined }));
    const saved = await save(which);
    if (saved && test) {
      const r: ChannelTestResult = await client.alerts.testChannel({ channel: which });
      setResults((x) => ({ ...x, [which]: { ok: r.ok, text: r.ok ? `Sent: ${r.detail}` : r.detail } }));
    } else if (saved) setResults((x) => ({ ...x, [which]: { ok: true, text: 'Saved.' } }));
    setBusy(undefined);
  };
  const removeSecret = async (which: 'email' | 'webhook') => {
    adopt(await client.alerts.setChannels(which === 'email' ? { password: null } : { url: null, webhook: { ...webhook, enabled: false } }));
  };
  const e = (k: string) => errors[k];

  return (
    <div className="channels" data-testid="channels">
      <Card title="E-mail" hint="Over SMTP. STARTTLS on 587, TLS on 465." enabled={email.enabled} onToggle={(v) => setEmail({ ...email, enabled: v })} testId="channel-email">
        <div className="form-grid form-grid-3">
          <FormField field="smtp-host" label="SMTP server" error={e('email.host')}>
            {(p) => <input {...p} value={email.host} placeholder="smtp.example.org" onChange={(x) => setEmail({ ...email, host: x.target.value })} />}
          </FormField>
          <FormField field="smtp-port" label="Port" error={e('email.port')}>
            {(p) => <input {...p} inputMode="numeric" value={email.port} onChange={(x) => setEmail({ ...email, port: x.target.value })} />}
          </FormField>
          <FormField field="smtp-security" label="Security">
            {(p) => (
              <select {...p} value={email.security} onChange={(x) => setEmail({ ...email, security: x.target.value as typeof email.security })}>
                <option value="starttls">STARTTLS</option>
                <option value="tls">TLS</option>
                <option value="none">None (LAN relay)</option>
              </select>
            )}
          </FormField>
          <FormField field="smtp-user" label="User" hint="Empty: no login" error={e('email.user')}>
            {(p) => <input {...p} value={email.user} autoComplete="off" onChange={(x) => setEmail({ ...email, user: x.target.value })} />}
          </FormField>
          <FormField field="smtp-password" label="Password" hint={config.email.passwordSet ? 'Stored. Leave empty to keep it.' : undefined}>
            {(p) => <input {...p} type="password" value={password} placeholder={config.email.passwordSet ? '••••••••' : ''} autoComplete="new-password" onChange={(x) => setPassword(x.target.value)} />}
          </FormField>
          <FormField field="smtp-from" label="From" error={e('email.from')}>
            {(p) => <input {...p} value={email.from} placeholder="rackdeck@example.org" onChange={(x) => setEmail({ ...email, from: x.target.value })} />}
          </FormField>
          <FormField field="smtp-to" label="To" hint="One or more addresses, separated by commas" error={e('email.to') ?? Object.entries(errors).find(([k]) => k.startsWith('email.to.'))?.[1]} className="span-3">
            {(p) => <input {...p} value={email.to} placeholder="admin@example.org" onChange={(x) => setEmail({ ...email, to: x.target.value })} />}
          </FormField>
        </div>
        <div className="channel-actions">
          {config.email.passwordSet && (
            <button type="button" className="link" onClick={() => void removeSecret('email')}>
              Forget the password
            </button>
          )}
          <ResultLine result={results.email} />
          <button type="button" className="btn btn-sm" disabled={busy !== undefined} onClick={() => void run('email', true)} data-testid="email-test">
            {busy === 'email' ? 'Sending…' : 'Send test'}
          </button>
          <button type="button" className="btn btn-sm btn-primary" disabled={busy !== undefined} onClick={() => void run('email', false)} data-testid="email-save">
            Save
          </button>
        </div>
      </Card>

      <Card title="Webhook" hint="A JSON POST to any URL, or ntfy's format to an ntfy topic." enabled={webhook.enabled} onToggle={(v) => setWebhook({ ...webhook, enabled: v })} testId="channel-webhook">
        <div className="form-grid form-grid-3">
          <FormField field="webhook-url" label="URL" className="span-2" hint={config.webhook.urlSet ? `Stored (${config.webhook.urlHint ?? 'set'}). Leave empty to keep it.` : 'Kept encrypted: such URLs often carry a token.'} error={e('url')}>
            {(p) => <input {...p} value={url} placeholder={webhook.format === 'ntfy' ? 'https://ntfy.sh/my-topic' : 'https://hooks.example.org/rackdeck'} onChange={(x) => setUrl(x.target.value)} />}
          </FormField>
          <FormField field="webhook-format" label="Format">
            {(p) => (
              <select {...p} value={webhook.format} onChange={(x) => setWebhook({ ...webhook, format: x.target.value as 'json' | 'ntfy' })}>
                <option value="json">Rackdeck JSON</option>
                <option value="ntfy">ntfy</option>
              </select>
            )}
          </FormField>
        </div>
        <div className="channel-actions">
          {config.webhook.urlSet && (
            <button type="button" className="link" onClick={() => void removeSecret('webhook')}>
              Forget the URL
            </button>
          )}
          <ResultLine result={results.webhook} />
          <button type="button" className="btn btn-sm" disabled={busy !== undefined} onClick={() => void run('webhook', true)} data-testid="webhook-test">
            {busy === 'webhook' ? 'Sending…' : 'Send test'}
          </button>
          <button type="button" className="btn btn-sm btn-primary" disabled={busy !== undefined} onClick={() => void run('webhook', false)} data-testid="webhook-save">
            Save
          </button>
        </div>
      </Card>
    </div>
  );
}
