import type { RackdeckClient } from '../../../../shared/contract';
import type { DiscoveryReport, GuestAction, GuestSummary, ProxmoxTask, SnapshotNode } from '../../../../shared/contract/proxmox';
import { POWER_LABELS } from '../../../../shared/power';
import type { PowerAction } from '../../../../shared/server';
import { RackdeckError } from '../../../../shared/ipc';
import type { RackdeckApp } from '../../../root/app';
import { intOption, onePositional, parse, UsageError } from '../args';
import type { CliContext, CliIo, Command } from '../command';
import { table } from '../format';

/**
 * The Proxmox part of the CLI: clusters (`rackdeck proxmox …`), discovery, guests, guest
 * actions with their task followed, snapshots and node tasks. Every command goes through the
 * typed client, so it validates exactly like the UI.
 */

async function readStdin(io: CliIo): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) io.err('Password (input is shown; pipe it in to hide it): ');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    if (stdin.isTTY && Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function describeError(error: unknown): string {
  if (error instanceof RackdeckError) {
    const fp = error.fields?.fingerprint;
    if (fp) {
      const expected = error.fields?.expectedFingerprint;
      return `${error.message}\n  presented fingerprint: ${fp}${expected ? `\n  pinned fingerprint:    ${expected}` : ''}\n  to trust it: --fingerprint ${fp}`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs `fn`, printing a clear error (with a presented fingerprint, when there is one). */
async function guarded(io: CliIo, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.err(describeError(error));
    return error instanceof RackdeckError && error.code === 'not_found' ? 4 : 1;
  }
}

function taskLine(t: ProxmoxTask): string {
  const state = t.status === 'running' ? 'running' : t.outcome === 'ok' ? 'OK' : t.outcome === 'warnings' ? (t.exitstatus ?? 'warnings') : `FAILED: ${t.exitstatus ?? t.error ?? ''}`;
  return `${t.action} (${t.type}) ${state}`;
}

/** Follows a task to its end, printing its new log lines; exit code 0 ok/warnings, 1 failed, 3 lost. */
async function follow(app: RackdeckApp, client: RackdeckClient, task: ProxmoxTask, io: CliIo, json: boolean | undefined): Promise<number> {
  // The engine's timers are unref'd so loops never hold a CLI open: hold it open while waiting.
  const keepAlive = setInterval(() => {}, 60_000);
  let printed = 0;
  const print = (t: ProxmoxTask) => {
    if (json || t.upid !== task.upid) return;
    for (const l of t.log) if (l.n > printed) io.out(`  ${l.t}`);
    printed = Math.max(printed, ...t.log.map((l) => l.n));
  };
  const off = client.on('proxmox.task', print);
  try {
    const done = await app.proxmox.waitTask(task.upid);
    print(done);
    if (json) io.out(JSON.stringify(done, null, 2));
    else {
      io.out(`${taskLine(done)}`);
      if (done.confirmed) io.out(`  now ${POWER_LABELS[done.confirmed.power]} (${done.confirmed.status}${done.confirmed.qmpstatus && done.confirmed.qmpstatus !== done.confirmed.status ? `, ${done.confirmed.qmpstatus}` : ''})`);
      if (done.error) io.err(`  ${done.error}`);
    }
    if (done.error) return 3;
    return done.outcome === 'error' ? 1 : 0;
  } finally {
    off();
    clearInterval(keepAlive);
  }
}

// ---------------------------------------------------------------- rackdeck proxmox …

const PROXMOX_USAGE = `rackdeck proxmox <add|list|remove|trust|storage|changes|setup> …

  add <name> --url URL (--token USER@REALM!ID=SECRET | --user USER@REALM --password-stdin)
      [--fingerprint SHA256] [--no-discovery]
            adds a cluster after contacting it; a self-signed cluster is refused, with the
            fingerprint it presented, until --fingerprint pins it
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
    user: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    fingerprint: { type: 'string' },
    'no-discovery': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const name = onePositional(positionals, 'name');
  if (!values.url) throw new UsageError('--url is required');
  if (!values.token === !values.user) throw new UsageError('give either --token, or --user with --password-stdin');
  if (values.user && !values['password-stdin']) throw new UsageError('--user needs --password-stdin (a password on the command line would land in your shell history)');
  const password = values.user ? await readStdin(ctx.io) : undefined;
  if (values.user && !password) throw new UsageError('no password on stdin');
  return guarded(ctx.io, async () => {
    const { client } = ctx.open();
    const r = await client.proxmox.addCluster({
      name,
      url: values.url as string,
      ...(values.token ? { token: values.token } : { username: values.user as string, password: password as string }),
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

function reportLine(r: DiscoveryReport): string {
  if (!r.ok) return `${r.cluster}: refresh failed: ${r.error?.message ?? 'unknown error'}`;
  return `${r.cluster}: ${r.nodes} node(s), ${r.guests} guest(s), ${r.storage} storage pool(s) in ${r.requests} API request(s)${r.changes.length ? `; ${r.changes.length} change(s)` : ''}`;
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

// ---------------------------------------------------------------- discover, guests

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'refresh every Proxmox cluster now (one API request each)',
  usage: `rackdeck discover [--cluster C] [--json]

Reads every node, VM, container and storage pool of each cluster with one /cluster/resources
request and updates the inventory: guests appear as servers under their node.`,
  async run(argv, ctx) {
    const { values } = parse(argv, { cluster: { type: 'string' }, json: { type: 'boolean' } }, false);
    const { client } = ctx.open();
    const reports = await client.proxmox.discover(values.cluster ? { cluster: values.cluster } : {});
    if (values.json) ctx.io.out(JSON.stringify(reports, null, 2));
    else if (reports.length === 0) ctx.io.out('No Proxmox cluster yet. Add one with: rackdeck proxmox add <name> --url URL --token …');
    else reports.forEach((r) => ctx.io.out(reportLine(r)));
    return reports.every((r) => r.ok) ? 0 : 1;
  },
};

function flags(g: GuestSummary): string {
  return [g.template ? 'template' : '', g.hastate ? `HA:${g.hastate}` : '', g.lock ? `lock:${g.lock}` : '', g.nodeStatus !== 'online' ? `node ${g.nodeStatus}` : ''].filter(Boolean).join(' ') || '-';
}

export const guestsCommand: Command = {
  name: 'guests',
  summary: 'list the VMs and containers of every Proxmox cluster',
  usage: `rackdeck guests [--cluster C] [--json]`,
  async run(argv, ctx) {
    const { values } = parse(argv, { cluster: { type: 'string' }, json: { type: 'boolean' } }, false);
    const { client } = ctx.open();
    const reports = await client.proxmox.discover(values.cluster ? { cluster: values.cluster } : {});
    for (const r of reports) if (!r.ok) ctx.io.err(reportLine(r));
    const guests = await client.proxmox.guests(values.cluster ? { cluster: values.cluster } : {});
    if (values.json) ctx.io.out(JSON.stringify(guests, null, 2));
    else if (guests.length === 0) ctx.io.out('No guests.');
    else
      table([
        ['NAME', 'VMID', 'TYPE', 'CLUSTER', 'NODE', 'STATE', 'TAGS', 'FLAGS'],
        ...guests.map((g) => [g.name, String(g.vmid), g.type === 'qemu' ? 'vm' : 'ct', g.cluster, g.node, POWER_LABELS[g.power], g.tags.join(',') || '-', flags(g)]),
      ]).forEach((l) => ctx.io.out(l));
    return reports.every((r) => r.ok) ? 0 : 1;
  },
};

// ---------------------------------------------------------------- guest actions

const ACTION_SUMMARY: Record<string, string> = {
  start: 'start a Proxmox guest (its node woken first if asleep)',
  stop: 'stop a Proxmox guest at once (no clean shutdown)',
  pause: 'pause a Proxmox guest (suspend to RAM)',
  resume: 'resume a paused or hibernated Proxmox guest',
  reset: 'hard-reset a Proxmox VM',
};

async function runGuestAction(argv: string[], ctx: CliContext, action: GuestAction): Promise<number> {
  const { values, positionals } = parse(argv, { wait: { type: 'boolean' }, json: { type: 'boolean' }, timeout: { type: 'string' }, 'force-stop': { type: 'boolean' } });
  const ref = onePositional(positionals, 'guest');
  const timeout = intOption(values.timeout, 'timeout', 1, 86_400);
  return guarded(ctx.io, async () => {
    const { app, client } = ctx.open();
    const task = await client.proxmox.guestAction({ guest: ref, action, ...(timeout !== undefined ? { timeout } : {}), ...(values['force-stop'] ? { forceStop: true } : {}) });
    if (!values.wait) {
      if (values.json) ctx.io.out(JSON.stringify(task, null, 2));
      else ctx.io.out(`${action}: task ${task.upid} started`);
      return 0;
    }
    if (!values.json) ctx.io.out(`${action}: task ${task.upid}`);
    return follow(app, client, task, ctx.io, values.json);
  });
}

function guestActionCommand(action: Exclude<GuestAction, 'shutdown' | 'reboot' | 'hibernate'>): Command {
  return {
    name: action,
    summary: ACTION_SUMMARY[action] as string,
    usage: `rackdeck ${action} <guest> [--wait] [--json]

<guest> is a guest name, a VMID, CLUSTER/VMID or its server name.
  --wait   follow the task to its end and print its log and the guest's state after it
           (exit code 0 OK, 1 the task failed, 3 lost track of it)`,
    run: (argv, ctx) => runGuestAction(argv, ctx, action),
  };
}

export const guestActionCommands: Command[] = (['start', 'stop', 'pause', 'resume', 'reset'] as const).map(guestActionCommand);

const POWER_TO_GUEST: Record<PowerAction, GuestAction> = { wake: 'start', shutdown: 'shutdown', suspend: 'pause', hibernate: 'hibernate', reboot: 'reboot' };

/**
 * Makes a power command (wake, shutdown, suspend, hibernate, reboot) work on Proxmox guests
 * too: a guest goes through Proxmox with its task followed; anything else runs the command
 * as it was. `rackdeck shutdown web-01 --timeout 60 --force-stop` then means the same for a
 * VM as `rackdeck shutdown nas` for a machine over SSH.
 */
export function guestAware(command: Command): Command {
  const action = command.name as PowerAction;
  if (!(action in POWER_TO_GUEST)) return command;
  return {
    ...command,
    usage: `${command.usage}

For a Proxmox guest (name, VMID or CLUSTER/VMID) the action goes through Proxmox:
  wake → start (or resume), suspend → pause${action === 'shutdown' ? '\n  --timeout S      seconds to wait for a clean shutdown\n  --force-stop     stop the guest when the timeout passes' : ''}`,
    async run(argv, ctx) {
      const ref = argv.find((a) => !a.startsWith('-'));
      if (ref && (await isGuest(ctx, ref))) {
        let guestAction = POWER_TO_GUEST[action];
        if (action === 'wake') {
          const g = (await ctx.open().client.proxmox.guests({})).find((x) => matches(x, ref));
          if (g?.actions.includes('resume')) guestAction = 'resume';
        }
        return runGuestAction(argv.filter((a) => a !== '--yes'), ctx, guestAction);
      }
      return command.run(argv, ctx);
    },
  };
}

function matches(g: GuestSummary, ref: string): boolean {
  const r = ref.toLowerCase();
  return g.serverId === ref || g.name.toLowerCase() === r || g.serverName?.toLowerCase() === r || String(g.vmid) === ref || `${g.cluster}/${g.vmid}`.toLowerCase() === r;
}

async function isGuest(ctx: CliContext, ref: string): Promise<boolean> {
  const { app, client } = ctx.open();
  const server = app.engine.find(ref);
  if (server) return server.proxmox?.vmid !== undefined;
  if ((await client.proxmox.clusters({})).length === 0) return false;
  const guests = await client.proxmox.guests({});
  if (guests.length === 0) await client.proxmox.discover({});
  return (await client.proxmox.guests({})).some((g) => matches(g, ref));
}

// ---------------------------------------------------------------- snapshots, tasks

function printTree(nodes: SnapshotNode[], io: CliIo, depth = 0): void {
  for (const n of nodes) {
    const when = n.snaptime ? new Date(n.snaptime * 1000).toISOString().replace('T', ' ').slice(0, 16) : '';
    const label = n.current ? '● current (you are here)' : `${n.name}${n.vmstate ? ' [RAM]' : ''}  ${when}${n.description ? `  ${n.description.split('\n')[0]}` : ''}`;
    io.out(`${'  '.repeat(depth)}${depth ? '└ ' : ''}${label}`);
    printTree(n.children, io, depth + 1);
  }
}

export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: 'list, create, roll back or delete snapshots of a Proxmox guest',
  usage: `rackdeck snapshot list|create|rollback|delete <guest> [name] [options]

  list <guest> [--json]                       the tree, with the current position
  create <guest> <name> [--ram] [--description TEXT]
                                              --ram: include the VM's memory
  rollback <guest> <name> [--start]           --start: start the guest afterwards
  delete <guest> <name>
Create, rollback and delete follow their task to the end (--no-wait to return at once).`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, {
      json: { type: 'boolean' },
      ram: { type: 'boolean' },
      description: { type: 'string' },
      start: { type: 'boolean' },
      'no-wait': { type: 'boolean' },
    });
    const guest = positionals[0];
    if (!guest) throw new UsageError('missing <guest>');
    return guarded(ctx.io, async () => {
      const { app, client } = ctx.open();
      if (sub === 'list' || sub === 'ls') {
        const tree = await client.proxmox.snapshots({ guest });
        if (values.json) ctx.io.out(JSON.stringify(tree, null, 2));
        else {
          ctx.io.out(`${tree.guest.name} (${tree.guest.cluster}/${tree.guest.vmid}): ${tree.list.length} snapshot(s)`);
          printTree(tree.roots, ctx.io);
        }
        return 0;
      }
      const name = positionals[1];
      if (!name) throw new UsageError('missing snapshot <name>');
      let task: ProxmoxTask;
      if (sub === 'create') task = await client.proxmox.snapshotCreate({ guest, name, ...(values.description ? { description: values.description } : {}), ...(values.ram ? { vmstate: true } : {}) });
      else if (sub === 'rollback') task = await client.proxmox.snapshotRollback({ guest, name, ...(values.start ? { start: true } : {}) });
      else if (sub === 'delete' || sub === 'rm') task = await client.proxmox.snapshotDelete({ guest, name });
      else throw new UsageError(`unknown subcommand "${sub ?? ''}"`);
      if (values['no-wait']) {
        ctx.io.out(values.json ? JSON.stringify(task, null, 2) : `${task.action}: task ${task.upid} started`);
        return 0;
      }
      return follow(app, client, task, ctx.io, values.json);
    });
  },
};

export const tasksCommand: Command = {
  name: 'tasks',
  summary: "a Proxmox node's recent tasks, or one task's log",
  usage: `rackdeck tasks <node> [--cluster C] [--limit N] [--errors] [--json]
rackdeck tasks --upid UPID [--json]      one task's status and log`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { cluster: { type: 'string' }, limit: { type: 'string' }, errors: { type: 'boolean' }, upid: { type: 'string' }, json: { type: 'boolean' } });
    return guarded(ctx.io, async () => {
      const { client } = ctx.open();
      if (values.upid) {
        const t = await client.proxmox.task({ upid: values.upid, ...(values.cluster ? { cluster: values.cluster } : {}) });
        if (values.json) ctx.io.out(JSON.stringify(t, null, 2));
        else {
          ctx.io.out(taskLine(t));
          t.log.forEach((l) => ctx.io.out(`  ${l.t}`));
        }
        return t.outcome === 'error' ? 1 : 0;
      }
      const node = onePositional(positionals, 'node');
      const limit = intOption(values.limit, 'limit', 1, 500);
      if (!values.cluster) await client.proxmox.discover({});
      let tasks = await client.proxmox.nodeTasks({ node, ...(values.cluster ? { cluster: values.cluster } : {}), ...(limit ? { limit } : {}) });
      if (values.errors) tasks = tasks.filter((t) => t.outcome === 'error');
      if (values.json) ctx.io.out(JSON.stringify(tasks, null, 2));
      else
        table([
          ['STARTED', 'TYPE', 'ID', 'USER', 'STATUS'],
          ...tasks.map((t) => [new Date(t.starttime * 1000).toISOString().replace('T', ' ').slice(0, 19), t.type, t.id || '-', t.user, t.status === 'running' ? 'running' : (t.exitstatus ?? '-')]),
        ]).forEach((l) => ctx.io.out(l));
      return 0;
    });
  },
};

export const proxmoxCommands: Command[] = [proxmoxCommand, discoverCommand, guestsCommand, ...guestActionCommands, snapshotCommand, tasksCommand];
