import type { IntegrationName, IntegrationSecret, IntegrationsSettings, IntegrationsSettingsView, SetIntegrationsParsed } from '../../shared/contract/integrations';

/** Which secret belongs to which integration: changing one restarts only that integration. */
export const SECRET_OWNER: Record<IntegrationSecret, IntegrationName> = {
  scrapeToken: 'prometheus',
  mqttPassword: 'mqtt',
  remotePassword: 'remoteWrite',
  remoteToken: 'remoteWrite',
};

export function settingsView(s: IntegrationsSettings, has: (name: IntegrationSecret) => boolean): IntegrationsSettingsView {
  return {
    prometheus: { ...s.prometheus, tokenSet: has('scrapeToken') },
    mqtt: { ...s.mqtt, passwordSet: has('mqttPassword') },
    remoteWrite: { ...s.remoteWrite, passwordSet: has('remotePassword'), tokenSet: has('remoteToken') },
  };
}

/** The PromQL base when none is set: the write URL without its `/api/v1/write` (VictoriaMetrics, Prometheus, Mimir's `/api/v1/push` too). */
export function queryUrlOf(writeUrl: string, queryUrl: string | undefined): string {
  if (queryUrl) return queryUrl.replace(/\/+$/, '');
  const u = new URL(writeUrl);
  u.pathname = u.pathname.replace(/\/api\/v1\/(write|push)\/?$/, '') || '/';
  u.search = '';
  return u.toString().replace(/\/+$/, '');
}

/** The settings after an edit, and which integrations must restart because of it. */
export function applyEdit(current: IntegrationsSettings, input: SetIntegrationsParsed): { next: IntegrationsSettings; changed: Set<IntegrationName> } {
  const next: IntegrationsSettings = {
    prometheus: input.prometheus ?? current.prometheus,
    mqtt: input.mqtt ?? current.mqtt,
    remoteWrite: input.remoteWrite ?? current.remoteWrite,
  };
  const changed = new Set<IntegrationName>();
  for (const name of ['prometheus', 'mqtt', 'remoteWrite'] as const) if (JSON.stringify(next[name]) !== JSON.stringify(current[name])) changed.add(name);
  for (const [name, value] of Object.entries(input.secrets ?? {}) as Array<[IntegrationSecret, string | null | undefined]>) if (value !== undefined) changed.add(SECRET_OWNER[name]);
  return { next, changed };
}

/** Why an enabled integration cannot run as configured, in words; undefined when it can. */
export function missingFor(name: IntegrationName, s: IntegrationsSettings): string | undefined {
  if (name === 'mqtt' && s.mqtt.enabled && !s.mqtt.url) return 'Home Assistant needs the broker\'s URL (mqtt://host:1883).';
  if (name === 'remoteWrite' && s.remoteWrite.enabled && !s.remoteWrite.writeUrl) return 'Remote history needs the store\'s write URL (http://host:8428/api/v1/write).';
  return undefined;
}
