import { dnsProbe } from '../checks/io/dns-probe';
import { httpProbe } from '../checks/io/http-probe';
import { systemPing } from '../checks/io/ping';
import { checksFileStore } from '../checks/io/store';
import type { ChecksPorts } from '../checks/ports';
import { ChecksService } from '../checks/service';
import type { MonitoringService } from '../monitoring/service';
import type { Core } from './core';

/** Any port a test brings of its own; the real adapter otherwise. */
export type ChecksOptions = Partial<ChecksPorts>;

/**
 * Builds the checks (issue 18) on the core and the monitoring: SSH through power's shells, the
 * disk forecast from the metrics history, Proxmox storage from the catalog and a node's repositories from its API, and failing checks
 * through the monitoring's alert rules. Attached after the monitoring, so it stops first.
 */
export function composeChecks(core: Core, monitoring: MonitoringService, options: ChecksOptions = {}): ChecksService {
  const { engine, home } = core;
  const ports: ChecksPorts = {
    http: options.http ?? httpProbe,
    dns: options.dns ?? dnsProbe,
    ping: options.ping ?? systemPing(),
    probe: options.probe ?? engine.prober,
    store: options.store ?? checksFileStore(home),
  };
  const service = new ChecksService(
    engine,
    {
      shellFor: (id) => core.power.shellFor(id),
      series: (id, range) => monitoring.series(id, range),
      storage: (cluster) => core.proxmox.storage(cluster),
      repos: (cluster, node) => core.proxmox.nodeRepos(node, cluster),
      condition: (kind, input) => monitoring.condition(kind, input),
      ruleOn: (kind) => monitoring.alertConfig().rules.some((r) => r.kind === kind && r.enabled),
    },
    ports,
  );
  engine.attach(service);
  return service;
}
