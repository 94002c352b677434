import path from 'node:path';
import { VERSION } from '../base/version';
import { integrationSecretsStore } from '../integrations/io/secrets';
import { connectMqtt } from '../integrations/mqtt/io/link';
import type { IntegrationsPorts } from '../integrations/ports';
import { blockListMatcher } from '../integrations/prometheus/io/allow';
import { textExposition } from '../integrations/prometheus/io/exposition';
import { openMetricsListener } from '../integrations/prometheus/io/listener';
import { openRemoteStore } from '../integrations/remote-write/io/store';
import { remoteWriteSpool } from '../integrations/remote-write/io/spool';
import { IntegrationsService } from '../integrations/service';
import type { MonitoringService } from '../monitoring/service';
import { tiersFor } from '../monitoring/settings';
import type { Core } from './core';

/** Any port a test brings of its own; the real adapter otherwise. */
export type IntegrationsOptions = Partial<IntegrationsPorts>;

/**
 * Builds the integrations (issue 19) on the core and the monitoring: every recorded sample goes
 * to them, charts may be read from the remote store, and they run with the engine (attached
 * after the monitoring, so they stop before it).
 */
export function composeIntegrations(core: Core, monitoring: MonitoringService, options: IntegrationsOptions = {}): IntegrationsService {
  const { engine, home } = core;
  const ports: IntegrationsPorts = {
    secrets: options.secrets ?? integrationSecretsStore(home, core.encryptor),
    renderExposition: options.renderExposition ?? textExposition(),
    allowMatcher: options.allowMatcher ?? blockListMatcher,
    openListener: options.openListener ?? openMetricsListener,
    connectMqtt: options.connectMqtt ?? connectMqtt,
    openRemoteStore: options.openRemoteStore ?? openRemoteStore,
    spool: options.spool ?? remoteWriteSpool(path.join(home, 'integrations', 'remote-write-buffer')),
  };
  const service = new IntegrationsService(
    engine,
    {
      power: { run: (id, action) => core.power.run(id, action), setDesired: (id, desired) => core.power.setDesired(id, desired) },
      alerts: () => monitoring.listAlerts({ state: 'active' }),
      historySteps: () => tiersFor(engine.settings.monitoring.retention).map((t) => t.step),
      version: VERSION,
    },
    ports,
  );
  monitoring.onSample((id, sample) => service.sample(id, sample));
  monitoring.useChartSource((id, range) => service.chart(id, range));
  engine.attach(service);
  return service;
}
