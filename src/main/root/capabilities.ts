import type { AutomationOptions } from './automation';
import { composeAutomation } from './automation';
import { composeBulk } from './bulk';
import { composeChecks, type ChecksOptions } from './checks';
import { composeConsoles } from './consoles';
import type { Core } from './core';
import type { Services } from './handlers';
import { composeHealth, type HealthOptions } from './health';
import { composeIntegrations } from './integrations';
import { composeMonitoring, type MonitoringOptions } from './monitoring';
import { composeScan, type ScanOptions } from './scan';
import { composeWakeProxy } from './wake-proxy';

/** The timings and fakes a test brings for the capabilities built on the core. */
export interface CapabilityOptions {
  /** Monitoring: timings and fake adapters for tests. */
  monitoring?: MonitoringOptions;
  /** Health: a fake guest control for tests. */
  health?: HealthOptions;
  /** Schedules and idle auto-suspend: timings and fake ports for tests. */
  automation?: AutomationOptions;
  /** Network scan: a loopback DNS server for the lab's tests. */
  scan?: ScanOptions;
  /** Checks: fake probes or store for tests. */
  checks?: ChecksOptions;
}

/**
 * Every capability built on the core, in dependency order: the monitoring first (health,
 * integrations, automation and checks record and alert through it); each attaches itself to the
 * engine's lifecycle, so they stop in the reverse order.
 */
export function composeCapabilities(core: Core, options: CapabilityOptions): Services {
  const monitoring = composeMonitoring(core, options.monitoring);
  const agents = composeHealth(core, monitoring, options.health);
  const consoles = composeConsoles(core);
  return {
    engine: core.engine,
    power: core.power,
    proxmox: core.proxmox,
    monitoring,
    agents,
    consoles,
    integrations: composeIntegrations(core, monitoring),
    bulk: composeBulk(core),
    automation: composeAutomation(core, monitoring, options.automation),
    wakeProxy: composeWakeProxy(core),
    scan: composeScan(core, options.scan),
    checks: composeChecks(core, monitoring, options.checks),
  };
}
