import { useState } from 'react';
import type { IntegrationsSettingsView, MqttOffAction, MqttStatus } from '../../../shared/contract/integrations';
import { FormField } from '../FormField';
import { IntegrationCard, LiveState } from './IntegrationCard';
import type { useIntegrations } from './useIntegrations';

type Api = ReturnType<typeof useIntegrations>;

function Live({ s }: { s: MqttStatus | undefined }) {
  if (!s?.enabled) return <LiveState tone="off">Off.</LiveState>;
  const tone = s.state === 'connected' ? 'ok' : s.state === 'connecting' ? 'warn' : 'bad';
  return (
    <>
      <LiveState tone={tone}>
        {s.state === 'connected' ? `Connected to ${s.broker ?? 'the broker'}: ${s.devices} device(s) published.` : `${s.state[0]!.toUpperCase()}${s.state.slice(1)}${s.broker ? ` (${s.broker})` : ''}${s.error ? `: ${s.error}` : ''}`}
      </LiveState>
      {s.lastCommand && (
        <p className="muted">
          {s.commands} command(s); last: {s.lastCommand.serverId} {s.lastCommand.command} → {s.lastCommand.detail}
        </p>
      )}
    </>
  );
}

/** Home Assistant over MQTT: the broker (URL, TLS, login; the password write-only), the topics, what "off" does. */
export function MqttForm({ view, api }: { view: IntegrationsSettingsView['mqtt']; api: Api }) {
  const [f, setF] = useState({
    enabled: view.enabled,
    url: view.url ?? '',
    username: view.username ?? '',
    verify: view.tls.verify,
    caFile: view.tls.caFile ?? '',
    discoveryPrefix: view.discoveryPrefix,
    baseTopic: view.baseTopic,
    offAction: view.offAction,
  });
  const [password, setPassword] = useState('');
  const set = (patch: Partial<typeof f>) => setF({ ...f, ...patch });
  const e = api.fieldError;

  const save = (test: boolean) => {
    const mqtt = {
      enabled: f.enabled,
      ...(f.url.trim() ? { url: f.url.trim() } : {}),
      ...(f.username.trim() ? { username: f.username.trim() } : {}),
      ...(view.clientId ? { clientId: view.clientId } : {}),
      tls: { verify: f.verify, ...(f.caFile.trim() ? { caFile: f.caFile.trim() } : {}) },
      discoveryPrefix: f.discoveryPrefix.trim(),
      baseTopic: f.baseTopic.trim(),
      offAction: f.offAction,
    };
    void api.run('mqtt', { mqtt, ...(password ? { secrets: { mqttPassword: password } } : {}) }, test).then(() => setPassword(''));
  };
  return (
    <IntegrationCard name="mqtt" title="Home Assistant (MQTT)" hint="Every server becomes a device through MQTT discovery: a power switch, sensors, a desired-state select." enabled={f.enabled} onToggle={(v) => set({ enabled: v })} live={<Live s={api.status?.mqtt} />} result={api.results.mqtt} busy={api.busy !== undefined} onSave={save}>
      <div className="form-grid form-grid-3">
        <FormField field="mqtt-url" label="Broker" className="span-3" hint="mqtt://host:1883, or mqtts://host:8883 for TLS" error={e('mqtt.url')}>
          {(p) => <input {...p} value={f.url} placeholder="mqtt://homeassistant.local:1883" onChange={(x) => set({ url: x.target.value })} />}
        </FormField>
        <FormField field="mqtt-user" label="User" hint="Empty: anonymous" error={e('mqtt.username')}>
          {(p) => <input {...p} value={f.username} autoComplete="off" onChange={(x) => set({ username: x.target.value })} />}
        </FormField>
        <FormField field="mqtt-password" label="Password" hint={view.passwordSet ? 'Stored. Leave empty to keep it.' : 'Kept encrypted.'} error={e('secrets.mqttPassword')}>
          {(p) => <input {...p} type="password" value={password} placeholder={view.passwordSet ? '••••••••' : ''} autoComplete="new-password" onChange={(x) => setPassword(x.target.value)} />}
        </FormField>
        <FormField field="mqtt-off" label="Switch off does">
          {(p) => (
            <select {...p} value={f.offAction} onChange={(x) => set({ offAction: x.target.value as MqttOffAction })}>
              <option value="shutdown">Shut down</option>
              <option value="suspend">Suspend</option>
            </select>
          )}
        </FormField>
        <FormField field="mqtt-discovery" label="Discovery prefix" error={e('mqtt.discoveryPrefix')}>
          {(p) => <input {...p} value={f.discoveryPrefix} onChange={(x) => set({ discoveryPrefix: x.target.value })} />}
        </FormField>
        <FormField field="mqtt-base" label="Base topic" error={e('mqtt.baseTopic')}>
          {(p) => <input {...p} value={f.baseTopic} onChange={(x) => set({ baseTopic: x.target.value })} />}
        </FormField>
        <FormField field="mqtt-ca" label="CA file" hint="PEM of the broker's CA, if private" error={e('mqtt.tls.caFile')}>
          {(p) => <input {...p} value={f.caFile} placeholder="/etc/ssl/my-ca.pem" onChange={(x) => set({ caFile: x.target.value })} />}
        </FormField>
        <label className="integration-check span-3">
          <input type="checkbox" checked={f.verify} onChange={(x) => set({ verify: x.target.checked })} data-testid="mqtt-verify" /> Check the broker's TLS certificate
        </label>
      </div>
    </IntegrationCard>
  );
}
