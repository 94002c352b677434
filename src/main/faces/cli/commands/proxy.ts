import type { WakeProxyView } from '../../../../shared/contract/wake-proxy';
import { intOption, onePositional, parse, UsageError } from '../args';
import type { Command } from '../command';
import { ago, table } from '../format';

/** `rackdeck proxy add|list|remove` (issue 17): wake-on-demand listeners. */

/** `4445`, `0.0.0.0:4445`, `[::]:4445` → address (default loopback) and port. */
export function parseListen(value: string): { listenHost: string; listenPort: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]:|([0-9.]+):)?(\d{1,5})$/.exec(value.trim());
  if (!m) throw new UsageError(`--listen takes PORT or ADDRESS:PORT (like 4445, 0.0.0.0:4445 or [::]:4445), got "${value}"`);
  const port = Number(m[3]);
  if (port > 65535) throw new UsageError(`--listen: a port is 0–65535, got ${port}`);
  return { listenHost: m[1] ?? m[2] ?? '127.0.0.1', listenPort: port };
}

function state(v: WakeProxyView): string {
  if (v.error) return `not listening: ${v.error}`;
  if (!v.listening) return 'binds while Rackdeck runs';
  return 'listening';
}

export function proxyRows(views: readonly WakeProxyView[], now: number): string[] {
  return table([
    ['ID', 'LISTEN', 'FORWARDS TO', 'TIMEOUT', 'ACTIVE', 'WAITING', 'TOTAL', 'STATE', 'LAST FAILURE'],
    ...views.map((v) => [
      v.id,
      `${v.listenHost.includes(':') ? `[${v.listenHost}]` : v.listenHost}:${v.boundPort ?? v.listenPort}`,
      `${v.serverName}:${v.targetPort}`,
      `${Math.round(v.timeoutMs / 1000)} s`,
      String(v.active),
      String(v.waiting),
      String(v.total),
      state(v),
      v.lastFailure ? `${ago(v.lastFailure.at, now)}: ${v.lastFailure.reason}` : '',
    ]),
  ]);
}

export const proxyCommand: Command = {
  name: 'proxy',
  summary: 'wake on demand: forward a port of this machine to a server, waking it when a connection arrives',
  usage: `rackdeck proxy add <server> --listen [ADDRESS:]PORT --to PORT [--timeout SECONDS] [--json]
rackdeck proxy list [<server>] [--json]
rackdeck proxy remove <id>

  add      listen on PORT of this machine (127.0.0.1 unless ADDRESS is given; 0.0.0.0 for every
           interface) and forward each connection to the server's service port --to. While the
           server sleeps, the connection wakes it and is held until the service answers, up to
           --timeout (default 180 s), then closed with the reason logged.
  list     every listener: its connections now (spliced and waiting), since start, last failure
  remove   stop a listener; the connections it carries are closed

Listeners bind while Rackdeck runs (the desktop app, rackdeck serve, rackdeck demo).
Example: rackdeck proxy add nas --listen 0.0.0.0:4445 --to 445`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { listen: { type: 'string' }, to: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' } });
    const [sub, ...rest] = positionals;
    if (sub === 'add') {
      const server = onePositional(rest, 'server');
      if (values.listen === undefined) throw new UsageError('missing --listen [ADDRESS:]PORT: the port of this machine to listen on');
      const listen = parseListen(values.listen);
      const to = intOption(values.to, 'to', 1, 65535);
      if (to === undefined) throw new UsageError('missing --to PORT: the service port of the server (22 for SSH, 445 for Samba)');
      const timeout = intOption(values.timeout, 'timeout', 1, 1800);
      const { client } = ctx.open();
      const view = await client.wakeProxy.add({ server, ...listen, targetPort: to, ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }) });
      if (values.json) ctx.io.out(JSON.stringify(view, null, 2));
      else ctx.io.out(`Added ${view.id}: ${view.listenHost}:${view.boundPort ?? view.listenPort} → ${view.serverName}:${view.targetPort} (${state(view)})`);
      return 0;
    }
    if (values.listen !== undefined || values.to !== undefined || values.timeout !== undefined) throw new UsageError('--listen, --to and --timeout go with "add"');
    if (sub === 'list') {
      if (rest.length > 1) throw new UsageError(`unexpected: ${rest.slice(1).join(' ')}`);
      const { client } = ctx.open();
      const views = await client.wakeProxy.list(rest[0] === undefined ? {} : { server: rest[0] });
      if (values.json) ctx.io.out(JSON.stringify(views, null, 2));
      else if (views.length === 0) ctx.io.out('No wake-on-demand listeners. Add one with: rackdeck proxy add <server> --listen PORT --to PORT');
      else for (const line of proxyRows(views, Date.now())) ctx.io.out(line);
      return 0;
    }
    if (sub === 'remove') {
      const id = onePositional(rest, 'id');
      const { client } = ctx.open();
      await client.wakeProxy.remove({ id });
      ctx.io.out(`Removed ${id}`);
      return 0;
    }
    throw new UsageError(sub === undefined ? 'missing subcommand: add, list or remove' : `unknown subcommand "${sub}": add, list or remove`);
  },
};
