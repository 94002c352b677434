import { contract } from '../../shared/contract';
import type { AppInfo } from '../../shared/contract/app';
import { systemClock, type Clock } from '../base/clock';
import { consoleLogger, type Logger } from '../base/logger';
import { VERSION } from '../base/version';
import { probeHost, type Prober } from '../drivers/probe';
import { createRouter, type Router } from '../ipc/router';
import { openConfigStore } from '../store/config-store';
import { tidyHome } from '../store/leftovers';
import { composeAutomation, type AutomationOptions } from './automation';
import { composeChecks, type ChecksOptions } from './checks';
import { composeConsoles } from './consoles';
import { composeCore, type CoreOptions } from './core';
import { createHandlers, type Services } from './handlers';
import { composeHealth, type HealthOptions } from './health';
import { composeIntegrations } from './integrations';
import { composeBulk } from './bulk';
import { composeMonitoring, type MonitoringOptions } from './monitoring';
import { composeWakeProxy } from './wake-proxy';
import { composeScan, type ScanOptions } from './scan';

export interface AppOptions {
  home: string;
  face: AppInfo['face'];
  clock?: Clock;
  log?: Logger;
  probe?: Prober;
  /** When the OS resends an unanswered SYN (inventory/watch.ts): for tests of the watch with a fake prober. */
  synRetriesMs?: readonly number[];
  /** Power control: loop timings, fake drivers in tests. */
  power?: CoreOptions['power'];
  /** Proxmox: timings and client factories for tests. */
  proxmox?: CoreOptions['proxmox'];
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

export interface RackdeckApp extends Services {
  router: Router;
  info: AppInfo;
  /** Starts the engine's loops: the face that owns the home (desktop, serve, demo) calls it. */
  start(): void;
  /** A face's connection went away (a browser tab closed its socket): close what it had open. */
  connectionClosed(connection: string): void;
  stop(): Promise<void>;
}

/**
 * The composition root: builds the stores, drivers and services once, in dependency order, and
 * hands them to the handlers and the router. Every face (desktop, web, CLI, tests) starts here,
 * and nothing else constructs a service.
 */
export function createApp(options: AppOptions): RackdeckApp {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? consoleLogger;
  for (const file of tidyHome(options.home)) log.info(`removed ${file}, a write a crash interrupted (the file it was for is intact)`);
  const store = openConfigStore(options.home);
  if (store.recovery) log.warn(`config.json could not be read (${store.recovery.reason}); kept it as ${store.recovery.backupPath}`);
  const core = composeCore({
    home: options.home,
    store,
    clock,
    log,
    probe: options.probe ?? probeHost,
    ...(options.synRetriesMs ? { synRetriesMs: options.synRetriesMs } : {}),
    ...(options.power ? { power: options.power } : {}),
    ...(options.proxmox ? { proxmox: options.proxmox } : {}),
  });
  const monitoring = composeMonitoring(core, options.monitoring);
  const agents = composeHealth(core, monitoring, options.health);
  const consoles = composeConsoles(core);
  const services: Services = {
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
  const info: AppInfo = { version: VERSION, face: options.face, home: options.home, startedAt: clock.now(), running: false };
  const router = createRouter(contract, createHandlers(services, info), log);
  return {
    ...services,
    router,
    info,
    connectionClosed(connection) {
      consoles.closeConnection(connection, connection.startsWith('socket:') ? 'The command that opened it ended' : 'The browser tab was closed');
    },
    start() {
      core.engine.start();
      info.running = true;
    },
    async stop() {
      info.running = false;
      core.engine.stop();
      await core.engine.stopped();
    },
  };
}
