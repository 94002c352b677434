import { contract } from '../../shared/contract';
import type { AppInfo } from '../../shared/contract/app';
import { VERSION } from '../base/version';
import { createRouter } from '../ipc/router';
import { composeCapabilities, type CapabilityOptions } from './capabilities';
import { createHandlers, type Services } from './handlers';
import { openHome, type HomeOptions } from './home';
import type { EngineApp } from './stepped';

export interface AppOptions extends HomeOptions, CapabilityOptions {
  face: AppInfo['face'];
}

/** The whole app, every service at hand from the start. */
export type RackdeckApp = Services & EngineApp;

/**
 * The composition root in one step: builds the stores, drivers and services once, in dependency
 * order (root/home.ts, then root/capabilities.ts), and hands them to the handlers and the router.
 * The tests' engines start here. An engine that owns its home (desktop, serve, demo) and a
 * standalone CLI command compose the same parts in two steps, the core first
 * (root/stepped.ts). Nothing else constructs a service.
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
    capabilities: () => Promise.resolve(services),
    complete: () => true,
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
