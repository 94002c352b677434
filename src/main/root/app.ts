import { contract } from '../../shared/contract';
import type { AppInfo } from '../../shared/contract/app';
import { systemClock, type Clock } from '../base/clock';
import { Engine, type EngineDeps } from '../inventory/engine';
import { consoleLogger, type Logger } from '../base/logger';
import { createRouter, type Router } from '../ipc/router';
import { probeHost, type Prober } from '../drivers/probe';
import { consolesOf } from '../consoles/engine-wiring';
import { createHandlers } from './handlers';
import { openConfigStore, type ConfCtor } from '../store/config-store';
import { VERSION } from '../base/version';

export interface AppOptions {
  home: string;
  face: AppInfo['face'];
  clock?: Clock;
  log?: Logger;
  probe?: Prober;
  /** electron-store's class in the desktop face; conf's elsewhere. */
  Store?: ConfCtor;
  /** Power control options: the desktop face's safeStorage encryptor, loop timings, fake drivers in tests. */
  power?: EngineDeps['power'];
  /** Proxmox options: timings and client factories for tests. */
  proxmox?: EngineDeps['proxmox'];
}

export interface RackdeckApp {
  engine: Engine;
  router: Router;
  info: AppInfo;
  /** A face's connection went away (a browser tab closed its socket): close what it had open. */
  connectionClosed(connection: string): void;
  stop(): Promise<void>;
}

/** Builds the engine and its router; every face (desktop, web, CLI, tests) starts here. */
export function createApp(options: AppOptions): RackdeckApp {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? consoleLogger;
  const store = openConfigStore(options.home, options.Store ? { Store: options.Store } : {});
  if (store.recovery) log.warn(`config.json could not be read (${store.recovery.reason}); kept it as ${store.recovery.backupPath}`);
  const engine = new Engine({
    store,
    clock,
    log,
    probe: options.probe ?? probeHost,
    ...(options.power ? { power: options.power } : {}),
    ...(options.proxmox ? { proxmox: options.proxmox } : {}),
  });
  const info: AppInfo = { version: VERSION, face: options.face, home: options.home, startedAt: clock.now() };
  const router = createRouter(contract, createHandlers(engine, info), log);
  return {
    engine,
    router,
    info,
    connectionClosed(connection) {
      consolesOf(engine, { home: options.home }).closeConnection(connection, 'The browser tab was closed');
    },
    async stop() {
      engine.stop();
      await engine.stopped();
    },
  };
}
