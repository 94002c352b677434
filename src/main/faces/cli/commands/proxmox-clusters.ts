import { onePositional, parse, UsageError } from '../args';
import type { CliContext, Command } from '../command';
import { readStdin } from '../stdin';
import { table } from '../format';
import { guarded, reportLine } from './proxmox-common';

/** `rackdeck proxmox …`: add, list, remove and trust clusters, their storage, what changed, and token setup. */

const PROXMOX_USAGE = `rackdeck proxmox <add|list|remove|trust|storage|changes|setup> …

  add <name> --url URL (--token-stdin [--token-id USER@REALM!ID] | --user USER@REALM --password-stdin
      | --token USER@REALM!ID=SECRET) [--fingerprint SHA256] [--no-discovery]
            adds a cluster after contacting it; a self-signed cluster is refused, with the
            fingerprint it presented, until --fingerprint pins it. --token-stdin reads the
            token (USER@REALM!ID=SECRET, or the SECRET alone with --token-id) from stdin, so
            the secret stays off the command line (argv is world-readable in /proc)
  list [--json]                      clusters and their last refresh
  remove <name>                      removes the cluster, its secret and its discovered servers
  trust <name> <fingerprint>         pins a new certificate fingerprint (after a change you checked)
  storage [--cluster C] [--json]     storage pools with usage
  changes [--cluster C] [--json]     what changed between refreshes
  setup <server> --name N [--fingerprint F] [--allow-delete]
            over SSH on a Proxmox host: creates a user, role and token with least privilege`;

export const proxmoxCommand: Command = {
  name: 'proxmox',
  summary: 'add, list and remove Proxmox VE clusters',
  usage: PROXMOX_USAGE,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'add':
        return addCluster(rest, ctx);
      case 'list':
      case 'ls':
        return listClusters(rest, ctx);
      case 'remove':
      case 'rm':
        return guarded(ctx.io, async () => {
          const { positionals } = parse(rest, {});
          const { client } = ctx.open();
          const r = await client.proxmox.removeCluster({ name: onePositional(positionals, 'name') });
          ctx.io.out(`Removed cluster ${r.removed} and its ${r.servers} discovered server(s).`);
          return 0;
        });
      case 'trust':
        return guarded(ctx.io, async () => {
          const { positionals } = parse(rest, {});
          if (positionals.length !== 2) throw new UsageError('trust <name> <fingerprint>');
          const { client } = ctx.open();
          const c = await client.proxmox.trustFingerprint({ name: positionals[0] as string, fingerprint: positionals[1] as string });
          ctx.io.out(`Pinned ${c.fingerprint} for ${c.name}; last refresh: ${c.status.state === 'ok' ? 'ok' : (c.status.error?.message ?? c.status.state)}`);
          return c.status.state === 'ok' ? 0 : 1;
        });
      case 'storage':
        return guarded(ctx.io, async () => {
          const { values } = parse(rest, { cluster: { type: 'string' }, json: { type: 'boolean' } }, false);
          const { client } = ctx.open();
          await client.proxmox.discover(values.cluster ? { cluster: values.cluster } : {});
          const pools = await client.proxmox.storage(values.cluster ? { cluster: values.cluster } : {});
          if (values.json) ctx.io.out(JSON.stringify(pools, null, 2));
          else
            table([
              ['CLUSTER', 'NODE', 'STORAGE', 'TYPE', 'SHARED', 'USED', 'TOTAL', 'USE%'],
              ...pools.map((p) => [p.cluster, p.node, p.storage, p.type ?? '-', p.shared ? 'yes' : 'no', bytes(p.used), bytes(p.total), p.fraction === undefined ? '-' : `${Math.round(p.fraction * 100)}%`]),
            ]).forEach((l) => ctx.io.out(l));
          return 0;
        });
      case 'changes':
        return guarded(ctx.io, async () => {
          const { values } = parse(rest, { cluster: { type: 'string' }, json: { type: 'boolean' } }, false);
          const { client } = ctx.open();
          const changes = await client.proxmox.changes(values.cluster ? { cluster: values.cluster } : {});
          if (values.json) ctx.io.out(JSON.stringify(changes, null, 2));
          else if (changes.length === 0) ctx.io.out('No changes seen yet (changes are tracked between refreshes while Rackdeck runs).');
          else changes.forEach((c) => ctx.io.out(`${new Date(c.at).toISOString()}  ${c.cluster}  ${c.kind.padEnd(12)} ${c.detail}`));
          return 0;
        });
      case 'setup':
        return guarded(ctx.io, async () => {
          const { values, positionals } = parse(rest, { name: { type: 'string' }, fingerprint: { type: 'string' }, 'allow-delete': { type: 'boolean' } });
          const serverId = onePositional(positionals, 'server');
          if (!values.name) throw new UsageError('--name is required (the cluster name in Rackdeck)');
          const { client } = ctx.open();
          const r = await client.proxmox.setupToken({ serverId, name: values.name, ...(values.fingerprint ? { fingerprint: values.fingerprint } : {}), ...(values['allow-delete'] ? { allowDelete: true } : {}) });
          ctx.io.out(`Created token ${r.tokenId} with ${r.privileges.join(', ')}; added cluster ${r.cluster.name}.`);
          return 0;
        });
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
    }
  },
};

async function addCluster(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, {
    url: { type: 'string' },
    token: { type: 'string' },
    'token-stdin': { type: 'boolean' },
    'token-id': { type: 'string' },
    user: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    fingerprint: { type: 'string' },
    'no-discovery': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const name = onePositional(positionals, 'name');
  if (!values.url) throw new UsageError('--url is required');
  const ways = [values.token !== undefined, values['token-stdin'] === true, values.user !== undefined].filter(Boolean).length;
  if (ways !== 1) throw new UsageError('give one of --token-stdin, --token, or --user with --password-stdin');
  if (values.user && !values['password-stdin']) throw new UsageError('--user needs --password-stdin (a password on the command line would land in your shell history)');
  if (values['token-id'] !== undefined && !values['token-stdin']) throw new UsageError('--token-id goes with --token-stdin');
  const password = values.user ? await readStdin(ctx.io) : undefined;
  if (values.user && !password) throw new UsageError('no password on stdin');
  const piped = values['token-stdin'] ? (await readStdin(ctx.io, 'API token')).trim() : undefined;
  if (values['token-stdin'] && !piped) throw new UsageError('no token on stdin');
  // The contract's schema judges the token's shape, whichever way it came.
  const token = piped !== undefined ? (values['token-id'] !== undefined ? `${values['token-id']}=${piped}` : piped) : values.token;
  return guarded(ctx.io, async () => {
    const { client } = ctx.open();
    const r = await client.proxmox.addCluster({
      name,
      url: values.url as string,
      ...(token !== undefined ? { token } : { username: values.user as string, password: password as string }),
      ...(values.fingerprint ? { fingerprint: values.fingerprint } : {}),
      ...(values['no-discovery'] ? { discovery: false } : {}),
    });
    if (values.json) ctx.io.out(JSON.stringify(r, null, 2));
    else {
      ctx.io.out(`Added cluster ${r.cluster.name} (${r.cluster.url}, ${r.cluster.auth === 'token' ? `token ${r.cluster.tokenId}` : `user ${r.cluster.username}`}${r.cluster.fingerprint ? `, pinned ${r.cluster.fingerprint}` : ''}).`);
      ctx.io.out(reportLine(r.report));
    }
    return r.report.ok ? 0 : 1;
  });
}

async function listClusters(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } }, false);
  const { client } = ctx.open();
  const clusters = await client.proxmox.clusters({});
  if (values.json) ctx.io.out(JSON.stringify(clusters, null, 2));
  else if (clusters.length === 0) ctx.io.out('No Proxmox cluster yet. Add one with: rackdeck proxmox add <name> --url URL --token USER@REALM!ID=SECRET');
  else
    table([
      ['NAME', 'URL', 'AUTH', 'PINNED', 'SECRET'],
      ...clusters.map((c) => [c.name, c.url, c.auth === 'token' ? (c.tokenId ?? 'token') : (c.username ?? 'ticket'), c.fingerprint ? `${c.fingerprint.slice(0, 11)}…` : 'no (CA)', c.hasSecret ? 'stored' : 'MISSING']),
    ]).forEach((l) => ctx.io.out(l));
  return 0;
}

function bytes(n: number | undefined): string {
  if (n === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
