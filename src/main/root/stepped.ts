import { contract, type Handlers } from '../../shared/contract';
import type { AppInfo } from '../../shared/contract/app';
import { VERSION } from '../base/version';
import type { Engine } from '../inventory/engine';
import { serverHandlers } from '../inventory/handlers';
import { createRouter, type AnyHandler, type CallContext, type Router } from '../ipc/router';
import type { AppOptions } from './app';
import { appHandlers } from './app-handlers';
import type { Services } from './handlers';
import { openHome } from './home';

/**
 * What a face needs of an engine: the router every call goes through, the engine, its facts,
 * its lifecycle, and the capabilities beyond the core when it needs one itself (the web face's
 * `/metrics`). Both compositions give it: the stepped one below and root/app.ts's whole one.
 */
export interface EngineApp {
  router: Router;
  engine: Engine;
  info: AppInfo;
  /** Every capability beyond the core, composed on the first call (or request that needs one); the same promise after. */
  capabilities(): Promise<Services>;
  /** Whether the capabilities beyond the core have been composed. */
  complete(): boolean;
  /** Starts the engine's loops: the face that owns the home (desktop, serve, demo) calls it. */
  start(): void;
  /** A face's connection went away (a browser tab closed its socket): close what it had open. */
  connectionClosed(connection: string): void;
  stop(): Promise<void>;
}

type HandlerTable = Record<string, Record<string, AnyHandler> | undefined>;

/**
 * What the core alone answers, as a whole app would: the app's own facts and reads of the
 * inventory (every command asks for the entries config.json set aside: faces/cli/main.ts; a
 * page's first screen is the snapshot).
 */
const CORE_READS = new Set(['app.info', 'servers.snapshot', 'servers.rejected', 'servers.settings']);
/**
 * A sweep probes every server; the core alone answers it unless a Proxmox cluster is set up:
 * refreshing a cluster may forget a guest it no longer lists, and every capability must hear
 * that (`engine.onForget`), so they are composed first.
 */
const CORE_SWEEPS = new Set(['servers.sweep']);

/**
 * The composition in two steps: the core (config store, engine, power control, Proxmox) at once,
 * every other capability (root/capabilities.ts, the same composition as root/app.ts's) when
 * `capabilities()` is first called or a request needs one. The router is the whole contract's
 * from the start, so a bad request is refused the same way before anything more is composed;
 * every call but the core's reads and sweeps waits for the second step, so nothing a capability
 * must hear (a power command the action log records, a server forgotten) happens before it
 * listens.
 *
 * A standalone CLI command (faces/cli/engine-link.ts) never needs them for `rackdeck list`, and
 * never reads their code: compiling it was a fifth of its time (issue 16). An engine that owns
 * its home (serve, demo, the desktop app) starts the core, opens its faces, then composes them
 * (faces/ownership.ts `composeRest`): compiling, composing and starting them was ~50–60 ms of
 * `serve`'s start before its URL, which now comes that much sooner. Attached to a running engine they
 * start as they attach (`Engine.attach`); the monitoring records where each server stands when
 * it starts, so the power history misses nothing of the moments before.
 */
export function createSteppedApp(options: AppOptions): EngineApp {
  const core = openHome(options);
  const { engine } = core;
  const info: AppInfo = { version: VERSION, face: options.face, home: options.home, startedAt: engine.clock.now(), running: false };
  const own = { app: appHandlers(info), servers: serverHandlers(engine) } as unknown as HandlerTable;
  let composed: Promise<{ services: Services; handlers: HandlerTable }> | undefined;
  let complete = false;
  const compose = () =>
    (composed ??= (async () => {
      const [{ composeCapabilities }, { createHandlers }] = await Promise.all([import('./capabilities'), import('./handlers')]);
      // Compiling their code and starting them are two long tasks, not one: a request that came
      // in meanwhile (a browser fetching the page's script) is answered between them.
      await new Promise((resolve) => setImmediate(resolve));
      const services = composeCapabilities(core, options);
      complete = true;
      return { services, handlers: createHandlers(services, info) as unknown as HandlerTable };
    })());
  const coreAnswers = (channel: string) => CORE_READS.has(channel) || (CORE_SWEEPS.has(channel) && core.proxmox.clusters().length === 0);
  const handlers: HandlerTable = {};
  for (const [group, methods] of Object.entries(contract)) {
    const table: Record<string, AnyHandler> = {};
    for (const method of Object.keys(methods)) {
      const channel = `${group}.${method}`;
      table[method] = async (input, ctx) => {
        const from = coreAnswers(channel) ? own : (await compose()).handlers;
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
    capabilities: async () => (await compose()).services,
    complete: () => complete,
    start() {
      engine.start();
      info.running = true;
    },
    connectionClosed(connection) {
      // Only a consoles call opens a session, and it composed the capabilities first; if they
      // could not be composed, no session was opened (and the failure was told where it happened).
      void composed?.then(
        ({ services }) => services.consoles.closeConnection(connection, connection.startsWith('socket:') ? 'The command that opened it ended' : 'The browser tab was closed'),
        () => undefined,
      );
    },
    async stop() {
      info.running = false;
      // Capabilities being composed attach to the engine's lifecycle: they stop with it.
      await composed?.catch(() => undefined);
      engine.stop();
      await engine.stopped();
    },
  };
}
