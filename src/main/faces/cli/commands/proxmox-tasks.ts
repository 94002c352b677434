import type { RackdeckClient } from '../../../../shared/contract';
import type { ProxmoxTask } from '../../../../shared/contract/proxmox';
import { POWER_LABELS } from '../../../../shared/power';
import { intOption, onePositional, parse } from '../args';
import type { CliIo, Command } from '../command';
import { table } from '../format';
import { guarded } from './proxmox-common';

/** Proxmox tasks: one followed to its end after a guest action or a snapshot, and `rackdeck tasks`. */

function taskLine(t: ProxmoxTask): string {
  const state = t.status === 'running' ? 'running' : t.outcome === 'ok' ? 'OK' : t.outcome === 'warnings' ? (t.exitstatus ?? 'warnings') : `FAILED: ${t.exitstatus ?? t.error ?? ''}`;
  return `${t.action} (${t.type}) ${state}`;
}

/** Follows a task to its end, printing its new log lines; exit code 0 ok/warnings, 1 failed, 3 lost. */
export async function follow(client: RackdeckClient, task: ProxmoxTask, io: CliIo, json: boolean | undefined): Promise<number> {
  // A command's own engine runs unref'd timers, so loops never hold a CLI open: hold it open while waiting.
  const keepAlive = setInterval(() => {}, 60_000);
  let printed = 0;
  const print = (t: ProxmoxTask) => {
    if (json || t.upid !== task.upid) return;
    for (const l of t.log) if (l.n > printed) io.out(`  ${l.t}`);
    printed = Math.max(printed, ...t.log.map((l) => l.n));
  };
  const off = client.on('proxmox.task', print);
  try {
    const done = await client.proxmox.waitTask({ upid: task.upid });
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
