import { fileURLToPath } from 'node:url';
import { intOption, parse } from '../args';
import type { Command } from '../command';
import { keepHeapTight } from '../../../base/heap-growth';
import { consoleLogger } from '../../../base/logger';
import { composeRest, type Owned } from '../../ownership';
import type { EngineApp } from '../../../root/stepped';

/** How long `serve` waits for a browser to ask for its page before composing the rest of the engine. */
const FIRST_PAGE_WAIT_MS = 300;

export function defaultRendererDir(env: NodeJS.ProcessEnv): string {
  return env.RACKDECK_RENDERER_DIR ?? fileURLToPath(new URL('../renderer/', import.meta.url));
}

/**
 * Starts the loops, the control socket and the web face on an owned engine; shared by `serve`
 * and `demo`. The lock then says where the web face is, so a second engine can point to it.
 * A bare app (a test that built its own) is served without owning its home: no lock, no socket.
 */
export async function serveApp(engine: Owned | EngineApp, opts: { host?: string; port?: number; env: NodeJS.ProcessEnv; out: (l: string) => void }) {
  // The web face's code is loaded only by the commands that serve it.
  const [{ newToken }, { startWebServer }, { metricsRoute }] = await Promise.all([
    import('../../web/security'),
    import('../../web/server'),
    import('../../../integrations/prometheus/io/http-route'),
  ]);
  const owned = 'lock' in engine ? engine : undefined;
  const app = owned ? owned.app : (engine as EngineApp);
  // The token is a secret: it is set here, in the engine's own process, never over a channel.
  const settings = app.engine.settings;
  const token = settings.web.token ?? app.engine.updateSettings({ web: { ...settings.web, token: newToken() } }).web.token!;
  if (owned) await owned.serve();
  else app.start();
  const web = await startWebServer({
    app,
    host: opts.host ?? settings.web.host,
    port: opts.port ?? settings.web.port,
    token,
    rendererDir: defaultRendererDir(opts.env),
    log: consoleLogger,
    // Prometheus scrapes here with its own token (off until enabled in the settings).
    routes: { '/metrics': metricsRoute(async () => (await app.capabilities()).integrations.scrape) },
    home: app.info.home,
    allowedHosts: settings.web.allowedHosts,
    tlsFiles: settings.web.tls,
  });
  owned?.lock.update({ url: web.url });
  opts.out(`Rackdeck web face: ${web.openUrl}`);
  for (const line of web.notices) opts.out(line);
  // The capabilities beyond the core (root/stepped.ts) are composed once a browser that asked
  // for the page at once has it, or after a moment when none has: the page is the one request
  // on the way to the first screen that the engine alone holds up, and the browser then spends
  // 100 ms and more building it before it asks for anything else. A call that needs them first
  // composes them itself.
  let composing = false;
  const composeNow = () => {
    if (composing) return;
    composing = true;
    clearTimeout(timer);
    composeRest(app, consoleLogger);
  };
  const timer = setTimeout(composeNow, FIRST_PAGE_WAIT_MS);
  void web.pageSent.then(composeNow);
  return {
    ...web,
    close: async () => {
      clearTimeout(timer);
      await web.close();
    },
  };
}

export function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve(sig));
  });
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the engine headless and serve the UI to a browser',
  usage: `rackdeck serve [--port N] [--host ADDRESS]

Runs the loops and serves the UI. Prints the URL to open, token included. While it runs, it
owns the home: other rackdeck commands on the same home go through it (its control socket
rackdeck.sock), and a second serve or the desktop app on this home refuses to start.
  --port N        TCP port (default 7373; 0 picks a free one)
  --host ADDRESS  address to bind (default 127.0.0.1; anything else is served over HTTPS
                  and exposes Rackdeck to your network)`,
  async run(argv, ctx) {
    const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' } }, false);
    const port = intOption(values.port, 'port', 0, 65535);
    if (!ctx.own) throw new Error('serve needs to own its home');
    // This process now runs the engine for as long as it is left running: its heap is kept near what it holds.
    keepHeapTight();
    const owned = await ctx.own('serve');
    const stopped = waitForSignal();
    const web = await serveApp(owned, { ...(values.host ? { host: values.host } : {}), ...(port !== undefined ? { port } : {}), env: ctx.io.env, out: ctx.io.out });
    await stopped;
    await web.close();
    await owned.stop();
    return 0;
  },
};
