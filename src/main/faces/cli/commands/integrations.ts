import { INTEGRATION_LABELS, type IntegrationName, type IntegrationsStatus } from '../../../../shared/contract/integrations';
import { formatBytesShort } from '../../../../shared/contract/monitoring';
import { UsageError, parse } from '../args';
import type { Command } from '../command';
import { ago, table } from '../format';

/** `rackdeck integrations status|test` (issue 19): what Prometheus, Home Assistant and the remote history are doing. */

const ALIASES: Record<string, IntegrationName> = { prometheus: 'prometheus', mqtt: 'mqtt', homeassistant: 'mqtt', 'home-assistant': 'mqtt', remote: 'remoteWrite', 'remote-write': 'remoteWrite', remotewrite: 'remoteWrite' };

export function statusRows(s: IntegrationsStatus, now: number): string[] {
  const p = s.prometheus;
  const m = s.mqtt;
  const r = s.remoteWrite;
  const onOff = (on: boolean) => (on ? 'on' : 'off');
  return table([
    ['INTEGRATION', 'ENABLED', 'STATE', 'DETAIL'],
    [
      INTEGRATION_LABELS.prometheus,
      onOff(p.enabled),
      p.enabled ? `protected by ${p.protection}` : '-',
      [p.listener ? `listener ${p.listener}metrics` : '', p.listenerError ?? '', `${p.scrapes} scrape(s), last ${ago(p.lastScrapeAt, now)}, ${p.refused} refused`].filter(Boolean).join('; '),
    ],
    [
      INTEGRATION_LABELS.mqtt,
      onOff(m.enabled),
      m.enabled ? m.state : '-',
      [m.broker ?? '', m.error ?? '', `${m.devices} device(s), ${m.commands} command(s)`, m.lastCommand ? `last: ${m.lastCommand.serverId} ${m.lastCommand.command} → ${m.lastCommand.detail}` : ''].filter(Boolean).join('; '),
    ],
    [
      INTEGRATION_LABELS.remoteWrite,
      onOff(r.enabled),
      r.enabled ? r.state : '-',
      [r.url ?? '', r.lastError ?? '', `${r.sent} sent (last ${ago(r.lastSentAt, now)}), ${r.pending} pending, buffer ${formatBytesShort(r.bufferBytes)}, ${r.dropped} dropped`, r.readCharts ? 'charts read from the store' : 'charts from the local history'].filter(Boolean).join('; '),
    ],
  ]);
}

export const integrationsCommand: Command = {
  name: 'integrations',
  summary: 'show what Prometheus, Home Assistant (MQTT) and the remote history are doing, or test one',
  usage: `rackdeck integrations status [--json]
rackdeck integrations test prometheus|mqtt|remote [--json]

  status   each integration: enabled, connected, scrapes, devices, samples sent and buffered
  test     one try with the saved settings: render /metrics, connect to the broker, write to and query the store
  --json   machine-readable output

Settings are made in the app (Integrations in the top bar).`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const [sub = 'status', which, ...rest] = positionals;
    if (rest.length) throw new UsageError(`unexpected ${rest.join(' ')}`);
    const { client } = ctx.open();
    if (sub === 'status') {
      if (which) throw new UsageError(`unexpected ${which}`);
      const status = await client.integrations.status({});
      if (values.json) ctx.io.out(JSON.stringify(status, null, 2));
      else for (const line of statusRows(status, Date.now())) ctx.io.out(line);
      return 0;
    }
    if (sub === 'test') {
      const name = which ? ALIASES[which.toLowerCase()] : undefined;
      if (!name) throw new UsageError('test which integration: prometheus, mqtt or remote');
      const result = await client.integrations.test({ integration: name });
      if (values.json) ctx.io.out(JSON.stringify(result, null, 2));
      else ctx.io.out(`${INTEGRATION_LABELS[name]}: ${result.ok ? 'OK' : 'FAILED'}: ${result.detail}`);
      return result.ok ? 0 : 1;
    }
    throw new UsageError(`unknown subcommand "${sub}": status or test`);
  },
};
