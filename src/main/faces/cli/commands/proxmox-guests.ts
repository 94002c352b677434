import type { GuestAction, GuestSummary } from '../../../../shared/contract/proxmox';
import { POWER_LABELS } from '../../../../shared/power';
import type { PowerAction } from '../../../../shared/server';
import { intOption, onePositional, parse } from '../args';
import type { CliContext, Command } from '../command';
import { table } from '../format';
import { guarded, reportLine } from './proxmox-common';
import { follow } from './proxmox-tasks';

/**
 * Proxmox guests from the CLI: discovery, the guest list, the guest actions (start, stop, pause,
 * resume, reset) and the power commands made guest-aware.
 */

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
    const { client } = ctx.open();
    const task = await client.proxmox.guestAction({ guest: ref, action, ...(timeout !== undefined ? { timeout } : {}), ...(values['force-stop'] ? { forceStop: true } : {}) });
    if (!values.wait) {
      if (values.json) ctx.io.out(JSON.stringify(task, null, 2));
      else ctx.io.out(`${action}: task ${task.upid} started`);
      return 0;
    }
    if (!values.json) ctx.io.out(`${action}: task ${task.upid}`);
    return follow(client, task, ctx.io, values.json);
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
      // A bulk action (--group/--tag) names no guest: its value is not a ref.
      const bulk = argv.some((a) => /^--(group|tag)(=|$)/.test(a));
      if (ref && !bulk && (await isGuest(ctx, ref))) {
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
  const { client } = ctx.open();
  const { servers } = await client.servers.snapshot({});
  const server = servers.find((s) => s.id === ref) ?? servers.find((s) => s.name.toLowerCase() === ref.toLowerCase());
  if (server) return server.proxmox?.vmid !== undefined;
  if ((await client.proxmox.clusters({})).length === 0) return false;
  const guests = await client.proxmox.guests({});
  if (guests.length === 0) await client.proxmox.discover({});
  return (await client.proxmox.guests({})).some((g) => matches(g, ref));
}
