/**
 * A plausible task history per node (starts, shutdowns, backups, updates, some failures) so a
 * fresh lab's task lists are not empty.
 */
import type { Rng } from '../random';
import type { Guest, NodeRecord } from './model';
import type { TaskRegistry } from './tasks';

interface HistoryKind {
  type: string;
  forGuest: 'qemu' | 'lxc' | 'any' | 'none';
  log: (id: string, guestType: string) => string[];
  error?: (id: string) => string;
}

const KINDS: readonly HistoryKind[] = [
  { type: 'qmstart', forGuest: 'qemu', log: () => [], error: () => 'start failed: QEMU exited with code 1' },
  { type: 'qmshutdown', forGuest: 'qemu', log: () => [], error: () => 'VM quit/powerdown failed - got timeout' },
  { type: 'vzstart', forGuest: 'lxc', log: () => [], error: (id) => `startup for container '${id}' failed` },
  { type: 'vzshutdown', forGuest: 'lxc', log: () => [] },
  {
    type: 'vzdump',
    forGuest: 'any',
    log: (id, guestType) => [
      `INFO: starting new backup job: vzdump ${id} --storage nas --mode snapshot --compress zstd --notes-template '{{guestname}}'`,
      `INFO: Starting Backup of VM ${id} (${guestType})`,
      'INFO: backup mode: snapshot',
      'INFO: Finished Backup of VM ' + id,
      'INFO: Backup job finished successfully',
    ],
    error: () => 'job errors',
  },
  { type: 'qmsnapshot', forGuest: 'qemu', log: () => [] },
  { type: 'aptupdate', forGuest: 'none', log: () => ['starting apt-get update', 'Hit:1 http://deb.debian.org/debian bookworm InRelease', 'Reading package lists...'] },
  { type: 'startall', forGuest: 'none', log: () => ['Starting VMs and Containers'] },
];

export function generateTaskHistory(
  rng: Rng,
  registry: TaskRegistry,
  nodes: readonly NodeRecord[],
  guests: readonly Guest[],
  nowMs: number,
): void {
  const nowSec = Math.floor(nowMs / 1000);
  for (const node of nodes) {
    const mine = guests.filter((g) => g.node === node.name && !g.template);
    const count = Math.min(40, 8 + Math.floor(mine.length / 5));
    let pid = 1000 + rng.int(0, 50_000);
    for (let i = 0; i < count; i++) {
      const kind = rng.pick(KINDS);
      const candidates = mine.filter((g) => kind.forGuest === 'any' || g.type === kind.forGuest);
      if (kind.forGuest !== 'none' && candidates.length === 0) continue;
      const guest = kind.forGuest === 'none' ? undefined : rng.pick(candidates);
      const id = guest ? String(guest.vmid) : '';
      const starttime = nowSec - rng.int(300, 3 * 86_400);
      const fails = kind.error !== undefined && rng.next() < 0.12;
      const error = fails && kind.error ? kind.error(id) : undefined;
      const log = [...kind.log(id, guest?.type ?? ''), error === undefined ? 'TASK OK' : `TASK ERROR: ${error}`];
      // Backups come from backups.ts, each with its volume; a drawn vzdump only keeps the seed's sequence.
      if (kind.type === 'vzdump') continue;
      registry.addHistory({
        node: node.name,
        pid: pid++,
        pstart: Math.max(1, (starttime - Math.floor(node.bootedAt / 1000)) * 100),
        starttime,
        type: kind.type,
        id,
        user: 'root@pam',
        status: 'stopped',
        exitstatus: error ?? 'OK',
        endtime: starttime + rng.int(1, 120),
        log,
      });
    }
  }
}
