import { useState } from 'react';
import type { IntegrationsSettingsView, RemoteWriteStatus } from '../../../shared/contract/integrations';
import { formatBytesShort } from '../../../shared/contract/monitoring-format';
import { FormField } from '../FormField';
import { IntegrationCard, LiveState } from './IntegrationCard';
import type { useIntegrations } from './useIntegrations';

type Api = ReturnType<typeof useIntegrations>;

function Live({ s }: { s: RemoteWriteStatus | undefined }) {
  if (!s?.enabled) return <LiveState tone="off">Off: the history stays on this machine only.</LiveState>;
  return (
    <>
      <LiveState tone={s.state === 'ok' ? 'ok' : s.state === 'failing' ? 'bad' : 'warn'}>
        {s.state === 'failing' ? `The store does not answer: ${s.lastError ?? ''}. Samples wait on disk.` : `Writing to ${s.url ?? 'the store'}.`}
      </LiveState>
      <p className="muted">
        {s.sent} sample(s) sent{s.lastSentAt ? `, last at ${new Date(s.lastSentAt).toLocaleTimeString()}` : ''} · {s.pending} waiting ({formatBytesShort(s.bufferBytes)} on disk) · {s.dropped} dropped · charts {s.readCharts ? 'from the store' : 'from the local history'}
      </p>
    </>
  );
}

/** Remote history: the store's URLs and credentials (write-only), this Rackdeck's label, charts from it or not, the disk buffer's bound. */
export function RemoteWriteForm({ view, api }: { view: IntegrationsSettingsView['remoteWrite']; api: Api }) {
  const [f, setF] = useState({
    enabled: view.enabled,
    writeUrl: view.writeUrl ?? '',
    queryUrl: view.queryUrl ?? '',
    username: view.username ?? '',
    instance: view.instance,
    readCharts: view.readCharts,
    flushSeconds: String(view.flushIntervalMs / 1000),
    bufferMaxMb: String(view.bufferMaxMb),
  });
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const set = (patch: Partial<typeof f>) => setF({ ...f, ...patch });
  const e = api.fieldError;

  const save = (test: boolean) => {
    const remoteWrite = {
      enabled: f.enabled,
      ...(f.writeUrl.trim() ? { writeUrl: f.writeUrl.trim() } : {}),
      ...(f.queryUrl.trim() ? { queryUrl: f.queryUrl.trim() } : {}),
      ...(f.username.trim() ? { username: f.username.trim() } : {}),
      instance: f.instance.trim(),
      readCharts: f.readCharts,
      flushIntervalMs: Math.round(Number(f.flushSeconds) * 1000),
      bufferMaxMb: Number(f.bufferMaxMb),
    };
    const secrets = { ...(password ? { remotePassword: password } : {}), ...(token ? { remoteToken: token } : {}) };
    void api.run('remoteWrite', { remoteWrite, ...(Object.keys(secrets).length ? { secrets } : {}) }, test).then(() => {
      setPassword('');
      setToken('');
    });
  };
  return (
    <IntegrationCard name="remoteWrite" title="Remote history" hint="Every sample also goes to VictoriaMetrics, Prometheus (remote-write receiver) or Mimir; charts read it back with PromQL." enabled={f.enabled} onToggle={(v) => set({ enabled: v })} live={<Live s={api.status?.remoteWrite} />} result={api.results.remoteWrite} busy={api.busy !== undefined} onSave={save}>
      <div className="form-grid form-grid-3">
        <FormField field="remote-write-url" label="Write URL" className="span-3" hint="Remote write 1.0, e.g. http://vm:8428/api/v1/write" error={e('remoteWrite.writeUrl')}>
          {(p) => <input {...p} value={f.writeUrl} placeholder="http://victoria:8428/api/v1/write" onChange={(x) => set({ writeUrl: x.target.value })} />}
        </FormField>
        <FormField field="remote-query-url" label="PromQL URL" className="span-3" hint="Empty: the write URL without /api/v1/write" error={e('remoteWrite.queryUrl')}>
          {(p) => <input {...p} value={f.queryUrl} placeholder="http://victoria:8428" onChange={(x) => set({ queryUrl: x.target.value })} />}
        </FormField>
        <FormField field="remote-user" label="User" hint="Basic auth; empty: none" error={e('remoteWrite.username')}>
          {(p) => <input {...p} value={f.username} autoComplete="off" onChange={(x) => set({ username: x.target.value })} />}
        </FormField>
        <FormField field="remote-password" label="Password" hint={view.passwordSet ? 'Stored. Leave empty to keep it.' : undefined} error={e('secrets.remotePassword')}>
          {(p) => <input {...p} type="password" value={password} placeholder={view.passwordSet ? '••••••••' : ''} autoComplete="new-password" onChange={(x) => setPassword(x.target.value)} />}
        </FormField>
        <FormField field="remote-token" label="Bearer token" hint={view.tokenSet ? 'Stored. Leave empty to keep it.' : 'Instead of a user'} error={e('secrets.remoteToken')}>
          {(p) => <input {...p} type="password" value={token} placeholder={view.tokenSet ? '••••••••' : ''} autoComplete="new-password" onChange={(x) => setToken(x.target.value)} />}
        </FormField>
        <FormField field="remote-instance" label="This Rackdeck's label" hint="rackdeck=… on every series" error={e('remoteWrite.instance')}>
          {(p) => <input {...p} value={f.instance} onChange={(x) => set({ instance: x.target.value })} />}
        </FormField>
        <FormField field="remote-flush" label="Send every (s)" error={e('remoteWrite.flushIntervalMs')}>
          {(p) => <input {...p} inputMode="numeric" value={f.flushSeconds} onChange={(x) => set({ flushSeconds: x.target.value })} />}
        </FormField>
        <FormField field="remote-buffer" label="Disk buffer (MB)" hint="While the store is down" error={e('remoteWrite.bufferMaxMb')}>
          {(p) => <input {...p} inputMode="numeric" value={f.bufferMaxMb} onChange={(x) => set({ bufferMaxMb: x.target.value })} />}
        </FormField>
        <label className="integration-check span-3">
          <input type="checkbox" checked={f.readCharts} onChange={(x) => set({ readCharts: x.target.checked })} data-testid="remote-read-charts" /> Read charts from the store (the local history answers when it does not)
        </label>
      </div>
    </IntegrationCard>
  );
}
