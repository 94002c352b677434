import type { ProxmoxTask, SnapshotNode } from '../../../../shared/contract/proxmox';
import { parse, UsageError } from '../args';
import type { CliIo, Command } from '../command';
import { guarded } from './proxmox-common';
import { follow } from './proxmox-tasks';

/** `rackdeck snapshot …`: a guest's snapshot tree, and create, roll back or delete with the task followed. */

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
      const { client } = ctx.open();
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
      return follow(client, task, ctx.io, values.json);
    });
  },
};
