import { useState } from 'react';
import type { IntegrationsSettingsView, PrometheusStatus } from '../../../shared/contract/integrations';
import { FormField } from '../FormField';
import { IntegrationCard, LiveState } from './IntegrationCard';
import type { useIntegrations } from './useIntegrations';

type Api = ReturnType<typeof useIntegrations>;

function newToken(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function Live({ s }: { s: PrometheusStatus | undefined }) {
  if (!s?.enabled) return <LiveState tone="off">Off: /metrics answers 404.</LiveState>;
  return (
    <>
      <LiveState tone={s.protection === 'none' || s.listenerError ? 'bad' : 'ok'}>
        {s.protection === 'none' ? 'On, but every scrape is refused until a scrape token or an allowed address is set.' : `On, protected by ${s.protection}.`}
      </LiveState>
      <p className="muted">
        {s.scrapes} scrape(s){s.lastScrapeAt ? `, last at ${new Date(s.lastScrapeAt).toLocaleTimeString()}` : ''}, {s.refused} refused
        {s.listener ? ` · listener ${s.listener}metrics` : ''}
      </p>
      {s.listenerError && <p className="field-error">{s.listenerError}</p>}
    </>
  );
}

/** The exporter: on or off, its scrape token (write-only), the allow-list, the desktop app's own listener. */
export function PrometheusForm({ view, api }: { view: IntegrationsSettingsView['prometheus']; api: Api }) {
  const [enabled, setEnabled] = useState(view.enabled);
  const [allow, setAllow] = useState(view.allow.join(', '));
  const [port, setPort] = useState(view.listener ? String(view.listener.port) : '');
  const [host, setHost] = useState(view.listener?.host ?? '127.0.0.1');
  const [token, setToken] = useState('');
  const status = api.status?.prometheus;
  const target = status?.listener ?? `${location.protocol === 'file:' ? 'http://127.0.0.1:9464/' : `${location.origin}/`}`;

  const save = (test: boolean) => {
    const prometheus = { enabled, allow: allow.split(/[,\s]+/).filter(Boolean), ...(port.trim() ? { listener: { host: host.trim(), port: Number(port) } } : {}) };
    void api.run('prometheus', { prometheus, ...(token ? { secrets: { scrapeToken: token } } : {}) }, test).then(() => setToken(''));
  };
  return (
    <IntegrationCard name="prometheus" title="Prometheus exporter" hint="/metrics in the Prometheus text format: power states, figures, guests, alerts, Rackdeck's own loops." enabled={enabled} onToggle={setEnabled} live={<Live s={status} />} result={api.results.prometheus} busy={api.busy !== undefined} onSave={save}>
      <div className="form-grid form-grid-3">
        <FormField field="scrape-token" label="Scrape token" className="span-2" hint={view.tokenSet ? 'Stored. Leave empty to keep it; Prometheus sends it as a bearer token.' : 'Prometheus sends it as a bearer token. Never the web face token.'} error={api.fieldError('secrets.scrapeToken')}>
          {(p) => <input {...p} type="text" className="token-once" value={token} autoComplete="off" placeholder={view.tokenSet ? '••••••••' : 'at least 16 characters'} onChange={(x) => setToken(x.target.value)} />}
        </FormField>
        <div className="field token-generate">
          <span aria-hidden="true">&nbsp;</span>
          <button type="button" className="btn btn-sm" onClick={() => setToken(newToken())} data-testid="scrape-token-generate" title="A new random token, shown once: copy it into prometheus.yml, then Save">
            Generate
          </button>
        </div>
        <FormField field="scrape-allow" label="Allowed without the token" className="span-3" hint="Addresses or blocks, e.g. 127.0.0.1, 10.0.0.0/24. Empty: the token is required." error={api.fieldError('prometheus.allow')}>
          {(p) => <input {...p} value={allow} placeholder="127.0.0.1" onChange={(x) => setAllow(x.target.value)} />}
        </FormField>
        <FormField field="scrape-host" label="Own listener address" hint="Loopback only" error={api.fieldError('prometheus.listener.host')}>
          {(p) => <input {...p} value={host} onChange={(x) => setHost(x.target.value)} />}
        </FormField>
        <FormField field="scrape-port" label="Own listener port" className="span-2" hint="For the desktop app, which has no web face (e.g. 9464). Empty: /metrics only on `rackdeck serve`." error={api.fieldError('prometheus.listener.port') ?? api.fieldError('prometheus.listener')}>
          {(p) => <input {...p} inputMode="numeric" value={port} placeholder="9464" onChange={(x) => setPort(x.target.value)} />}
        </FormField>
      </div>
      <pre className="integration-example" data-testid="prometheus-example">{`scrape_configs:
  - job_name: rackdeck
    authorization: { type: Bearer, credentials: <scrape token> }
    static_configs:
      - targets: ['${target.replace(/^https?:\/\//, '').replace(/\/$/, '')}']`}</pre>
    </IntegrationCard>
  );
}
