import { contract } from '../../shared/contract';
import type { AppInfo } from '../../shared/contract/app';
import { VERSION } from '../base/version';
import { createRouter, type Router } from '../ipc/router';
import { composeCapabilities, type CapabilityOptions } from './capabilities';
import { createHandlers, type Services } from './handlers';
import { openHome, type HomeOptions } from './home';

export interface AppOptions extends HomeOptions, CapabilityOptions {
  face: AppInfo['face'];
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
 * The composition root: builds the stores, drivers and services once, in dependency order
 * (root/home.ts, then root/capabilities.ts), and hands them to the handlers and the router.
 * Every engine that runs (desktop, serve, demo, tests) starts here; a standalone CLI command's
 * builds the same parts, the capabilities on first need (root/standalone.ts). Nothing else
 * constructs a service.
 */
export function createApp(options: AppOptions): RackdeckApp {
  const core = openHome(options);
  const services = composeCapabilities(core, options);
  const { consoles } = services;
  const info: AppInfo = { version: VERSION, face: options.face, home: options.home, startedAt: core.engine.clock.now(), running: false };
  const router = createRouter(contract, createHandlers(services, info), core.engine.log);
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
