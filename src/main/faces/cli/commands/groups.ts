import { createInterface } from 'node:readline/promises';
import type { RackdeckClient } from '../../../../shared/contract';
import { BULK_VERB, type BulkPlanView, type BulkRunView, type BulkTarget } from '../../../../shared/contract/groups';
import type { PowerAction } from '../../../../shared/server';
import { intOption, parse, UsageError } from '../args';
import type { CliContext, CliIo, Command } from '../command';
import { table } from '../format';

/**
 * Groups and bulk power actions on the command line (issue 17): `rackdeck group …` and the bulk
 * form of the power commands, which prints the plan and asks before it runs (on a terminal;
 * `--yes` in scripts). The `--group`/`--tag` filters are in ../filter.ts.
 */

/** The plan as the admin reads it before saying yes. */
export function planLines(plan: BulkPlanView, names: ReadonlyMap<string, string> = new Map()): string[] {
  const verb = BULK_VERB[plan.action];
  const lines: string[] = [];
  if (plan.steps.length === 0) lines.push(`Nothing to ${verb.toLowerCase()}: every one of the ${plan.selected} selected is skipped.`);
  else {
    lines.push(`${verb} ${plan.steps.length} server${plan.steps.length === 1 ? '' : 's'}${plan.spacingMs > 0 ? `, ${seconds(plan.spacingMs)} apart` : ''}:`);
    lines.push(
      ...table(
        plan.steps.map((s) => [
          `  +${seconds(s.offsetMs)}`,
          s.name,
          s.via === 'proxmox' ? "in its cluster's bulk call" : '',
          [s.addedFor ? `parent of ${s.addedFor}` : '', s.after ? `after ${s.after.map((id) => names.get(id) ?? id).join(', ')}` : ''].filter(Boolean).join('; '),
        ]),
      ),
    );
  }
  if (plan.skipped.length > 0) {
    lines.push(`Skipped ${plan.skipped.length}:`);
    for (const s of plan.skipped) lines.push(`  ${s.name}: ${s.reason}`);
  }
  return lines;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

async function confirm(io: CliIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
    io.err('');
  }
}

/**
 * `rackdeck <action> --group G [--tag T]`: prints the plan, asks (or takes --yes), runs it and
 * waits until every step was sent. Exit codes: 0 every step sent, 1 one failed or nothing to do,
 * 2 not confirmed.
 */
export async function runBulk(action: PowerAction, values: { group?: string | undefined; tag?: string | undefined; yes?: boolean | undefined; json?: boolean | undefined; spacing?: string | undefined }, ctx: CliContext): Promise<number> {
  const target: BulkTarget = { ...(values.group !== undefined ? { group: values.group } : {}), ...(values.tag !== undefined ? { tag: values.tag } : {}) };
  const spacingMs = intOption(values.spacing, 'spacing', 0, 600_000);
  const { client } = ctx.open();
  const request = { action, target, ...(spacingMs !== undefined ? { spacingMs } : {}) };
  const plan = await client.bulk.plan(request);
  const names = new Map(plan.steps.map((s) => [s.serverId, s.name]));
  if (!values.json) planLines(plan, names).forEach((l) => ctx.io.out(l));
  if (plan.steps.length === 0) {
    if (values.json) ctx.io.out(JSON.stringify({ plan }, null, 2));
    return 1;
  }
  if (!values.yes) {
    if (!process.stdin.isTTY) throw new UsageError('not asking on a non-interactive input: add --yes to go ahead');
    if (!(await confirm(ctx.io, 'Go ahead?'))) {
      ctx.io.err('Nothing was sent.');
      return 2;
    }
  }
  // The run plans again: what changed since the plan was printed is taken into account.
  const started = await client.bulk.run(request);
  const last = started.plan.steps.at(-1)?.offsetMs ?? 0;
  // A parent's power-down waits for its children's (up to their transition timeouts, minutes).
  const done = await followRun(client, started, last + 10 * 60_000, values.json ? undefined : ctx.io);
  if (values.json) ctx.io.out(JSON.stringify(done, null, 2));
  return done.results.every((r) => r.status === 'sent') ? 0 : 1;
}

async function followRun(client: RackdeckClient, run: BulkRunView, timeoutMs: number, io: CliIo | undefined): Promise<BulkRunView> {
  const told = new Set<string>();
  const nameOf = new Map(run.plan.steps.map((s) => [s.serverId, s.name]));
  const tell = (view: BulkRunView): void => {
    if (view.id !== run.id || !io) return;
    for (const r of view.results) {
      if (r.status === 'pending' || told.has(r.serverId)) continue;
      told.add(r.serverId);
      const name = nameOf.get(r.serverId) ?? r.serverId;
      if (r.status === 'failed') io.err(`  ${name}: failed: ${r.error ?? ''}`);
      else io.out(`  ${name}: ${r.status}`);
    }
  };
  const off = client.on('bulk.run', tell);
  // Keep the process alive while a command's own engine sends on its (unref'd) timers.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    const done = await client.bulk.wait({ id: run.id }, { timeoutMs });
    tell(done);
    return done;
  } finally {
    off();
    clearInterval(keepAlive);
  }
}

const GROUP_USAGE = `rackdeck group <list|add|remove|spacing> …

  list [--json]                     every group and Proxmox tag, with its servers
  add <group> <server>…             puts servers in a group (made by its first member)
  remove <group> [<server>…]        takes servers out of a group; without servers, all of them
  spacing [MS]                      the delay between the wakes of a bulk wake (default 2000)

Bulk power actions take a group or a tag, e.g. every server of rack1 woken, parents
first and spaced apart: see rackdeck wake --help`;

export const groupCommand: Command = {
  name: 'group',
  summary: 'groups of servers: list, add, remove; the bulk wake delay',
  usage: GROUP_USAGE,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const [sub, group, ...servers] = positionals;
    const { client } = ctx.open();
    switch (sub) {
      case 'list':
      case undefined: {
        const view = await client.groups.list({});
        if (values.json) {
          ctx.io.out(JSON.stringify(view, null, 2));
          return 0;
        }
        const { servers: all } = await client.servers.snapshot({});
        const name = new Map(all.map((s) => [s.id, s.name]));
        const rows = [...view.groups.map((g) => ['group', g.name, g.members.map((id) => name.get(id) ?? id).join(', ')]), ...view.tags.map((t) => ['tag', t.name, t.members.map((id) => name.get(id) ?? id).join(', ')])];
        if (rows.length === 0) ctx.io.out('No groups or tags yet. Make one with: rackdeck group add <group> <server>…');
        else table([['KIND', 'NAME', 'SERVERS'], ...rows]).forEach((l) => ctx.io.out(l));
        return 0;
      }
      case 'add': {
        if (!group || servers.length === 0) throw new UsageError('usage: rackdeck group add <group> <server>…');
        const view = await client.groups.add({ group, servers });
        ctx.io.out(`${group}: ${view.groups.find((g) => g.name === group)?.members.length ?? 0} server(s).`);
        return 0;
      }
      case 'remove': {
        if (!group) throw new UsageError('usage: rackdeck group remove <group> [<server>…]');
        const view = await client.groups.remove({ group, ...(servers.length > 0 ? { servers } : {}) });
        const left = view.groups.find((g) => g.name === group)?.members.length ?? 0;
        ctx.io.out(left > 0 ? `${group}: ${left} server(s) left.` : `${group}: no servers left; the group is gone.`);
        return 0;
      }
      case 'spacing': {
        const ms = intOption(group, 'spacing', 0, 600_000);
        const settings = ms === undefined ? await client.bulk.settings({}) : await client.bulk.setSettings({ wakeSpacingMs: ms });
        ctx.io.out(`Bulk wakes are ${settings.wakeSpacingMs} ms apart.`);
        return 0;
      }
      default:
        throw new UsageError(`unknown subcommand "${sub}"\n${GROUP_USAGE}`);
    }
  },
};
