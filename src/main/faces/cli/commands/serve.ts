import { fileURLToPath } from 'node:url';
import { intOption, parse } from '../args';
import type { Command } from '../command';
import { newToken } from '../../web/security';
import { startWebServer } from '../../web/server';
import { metricsRoute } from '../../../integrations/prometheus/io/http-route';
import { consoleLogger } from '../../../base/logger';
import type { RackdeckApp } from '../../../root/app';

export function defaultRendererDir(env: NodeJS.ProcessEnv): string {
  return env.RACKDECK_RENDERER_DIR ?? fileURLToPath(new URL('../renderer/', import.meta.url));
}

/** Starts the loops and the web face on an opened app; shared by `serve` and `demo`. */
export async function serveApp(app: RackdeckApp, opts: { host?: string; port?: number; env: NodeJS.ProcessEnv; out: (l: string) => void }) {
  const settings = app.engine.settings;
  const token = settings.web.token ?? app.engine.updateSettings({ web: { ...settings.web, token: newToken() } }).web.token!;
  app.engine.start();
  const web = await startWebServer({
    app,
    host: opts.host ?? settings.web.host,
    port: opts.port ?? settings.web.port,
    token,
    rendererDir: defaultRendererDir(opts.env),
    log: consoleLogger,
    // Prometheus scrapes here with its own token (off until enabled in the settings).
    routes: { '/metrics': metricsRoute(() => app.integrations.scrape) },
  });
  opts.out(`Rackdeck web face: ${web.openUrl}`);
  return web;
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

Runs the loops and serves the UI. Prints the URL to open, token included.
  --port N        TCP port (default 7373; 0 picks a free one)
  --host ADDRESS  address to bind (default 127.0.0.1; anything else exposes Rackdeck to your network)`,
  async run(argv, ctx) {
    const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' } }, false);
    const port = intOption(values.port, 'port', 0, 65535);
    const { app } = ctx.open();
    const web = await serveApp(app, { ...(values.host ? { host: values.host } : {}), ...(port !== undefined ? { port } : {}), env: ctx.io.env, out: ctx.io.out });
    if (values.host && values.host !== '127.0.0.1' && values.host !== 'localhost' && values.host !== '::1') {
      ctx.io.err(`Warning: listening on ${values.host}; anyone who can reach it and has the token can control your servers.`);
    }
    await waitForSignal();
    await web.close();
    await app.stop();
    return 0;
  },
};
