import { contract, type Handlers } from '../../shared/contract';
import type { AppInfo } from '../../shared/contract/app';
import { VERSION } from '../base/version';
import type { Engine } from '../inventory/engine';
import { serverHandlers } from '../inventory/handlers';
import { createRouter, type AnyHandler, type CallContext, type Router } from '../ipc/router';
import type { AppOptions } from './app';
import { appHandlers } from './app-handlers';
import { openHome } from './home';

/** The engine a CLI command builds for itself when no running engine answers (faces/cli/engine-link.ts). */
export interface StandaloneApp {
  router: Router;
  engine: Engine;
  info: AppInfo;
  /** Whether the capabilities beyond the core have been built (a request reached one). */
  complete(): boolean;
  stop(): Promise<void>;
}

type HandlerTable = Record<string, Record<string, AnyHandler> | undefined>;

/**
 * What the core alone answers, as a whole app would: the app's own facts and reads of the
 * inventory (every command asks for the entries config.json set aside: faces/cli/main.ts).
 */
const CORE_READS = new Set(['app.info', 'servers.snapshot', 'servers.rejected', 'servers.settings']);
/**
 * A sweep probes every server; the core alone answers it unless a Proxmox cluster is set up:
 * refreshing a cluster may forget a guest it no longer lists, and every capability must hear
 * that (`engine.onForget`), so they are built first.
 */
const CORE_SWEEPS = new Set(['servers.sweep']);

/**
 * The composition of a standalone CLI command: the core (config store, engine, power control,
 * Proxmox) at once, every other capability (root/capabilities.ts, the same composition as
 * root/app.ts's) on the first request that needs one. `rackdeck list` loaded and built all of
 * them, and compiling their code was a fifth of its time (issue 16); they are code-split chunks
 * (a dynamic import) it now never reads. The router is the whole contract's from the start, so a
 * bad request is refused the same way, before anything is built.
 */
export function createStandaloneApp(options: AppOptions): StandaloneApp {
  const core = openHome(options);
  const { engine } = core;
  const info: AppInfo = { version: VERSION, face: options.face, home: options.home, startedAt: engine.clock.now(), running: false };
  const own = { app: appHandlers(info), servers: serverHandlers(engine) } as unknown as HandlerTable;
  let built: Promise<HandlerTable> | undefined;
  let complete = false;
  const build = () =>
    (built ??= Promise.all([import('./capabilities'), import('./handlers')]).then(([{ composeCapabilities }, { createHandlers }]) => {
      const handlers = createHandlers(composeCapabilities(core, options), info);
      complete = true;
      return handlers as unknown as HandlerTable;
    }));
  const coreAnswers = (channel: string) => CORE_READS.has(channel) || (CORE_SWEEPS.has(channel) && core.proxmox.clusters().length === 0);
  const handlers: HandlerTable = {};
  for (const [group, methods] of Object.entries(contract)) {
    const table: Record<string, AnyHandler> = {};
    for (const method of Object.keys(methods)) {
      const channel = `${group}.${method}`;
      table[method] = async (input, ctx) => {
        const from = coreAnswers(channel) ? own : await build();
        const fn = from[group]?.[method];
        if (!fn) throw new Error(`no handler for ${channel}`);
        return fn(input, ctx);
      };
    }
    handlers[group] = table;
  }
  return {
    router: createRouter(contract, handlers as unknown as Handlers<CallContext>, engine.log),
    engine,
    info,
    complete: () => complete,
    async stop() {
      // Capabilities being built attach to the engine's lifecycle: they stop with it.
      await built?.catch(() => undefined);
      engine.stop();
      await engine.stopped();
    },
  };
}
