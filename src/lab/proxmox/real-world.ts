/**
 * The shapes real clusters have and a freshly seeded lab would not: a VM nobody named, a VM
 * hibernated weeks ago, locks left by a backup, a migration and a snapshot, an HA resource set
 * to "ignored", and a backup history in which some guests are current, some stale, one failed
 * last night and one was never backed up. Applied after generation when the cluster is started
 * with `realWorld: true` (the demo and `rackdeck lab`); deterministic, no randomness.
 */
import type { Guest } from './model';

/** The first eight guests are the archetypes tests rely on; of those, 0 (HA), 5 (template) and 7 (paused) stay as they are. */
const KEEP = new Set([0, 5, 7]);

interface Shape {
  fits(g: Guest): boolean;
  apply(g: Guest): void;
}

const running = (g: Guest): boolean => g.status === 'running' && !g.paused;
const plain = (g: Guest): boolean => !g.template && !g.ha && g.lock === undefined;

const SHAPES: readonly Shape[] = [
  {
    // qemu-server lists it as "VM <vmid>" and its config has no name line.
    fits: (g) => g.type === 'qemu' && running(g) && plain(g),
    apply: (g) => {
      g.name = undefined;
    },
  },
  {
    // Suspended to disk: stopped, its RAM in a state volume, lock "suspended" until resumed by a start.
    fits: (g) => g.type === 'qemu' && g.status === 'stopped' && plain(g),
    apply: (g) => {
      g.name = 'homecloud';
      g.lock = 'suspended';
    },
  },
  {
    // A vzdump that died: the lock outlives it until someone runs "pct unlock".
    fits: (g) => g.type === 'lxc' && running(g) && plain(g),
    apply: (g) => {
      g.lock = 'backup';
    },
  },
  {
    fits: (g) => g.type === 'qemu' && running(g) && plain(g),
    apply: (g) => {
      g.lock = 'migrate';
    },
  },
  {
    fits: (g) => g.status === 'stopped' && plain(g),
    apply: (g) => {
      g.lock = 'snapshot';
    },
  },
  {
    // Managed by HA once, now "ignored": hastate ignored, and power actions go straight to the guest.
    fits: (g) => running(g) && plain(g),
    apply: (g) => {
      g.ha = { request: 'ignored', service: 'ignored', maxRestart: 1, maxRelocate: 1, failback: true, comment: 'maintenance' };
    },
  },
];

/** Guests beyond the archetypes first, then the archetypes that may change, last first. */
function candidates(guests: readonly Guest[]): Guest[] {
  const extra = guests.slice(8);
  const archetypes = guests.slice(0, 8).filter((_, i) => !KEEP.has(i)).reverse();
  return [...extra, ...archetypes];
}

export function applyRealWorldShapes(guests: readonly Guest[]): void {
  const used = new Set<number>();
  for (const shape of SHAPES) {
    const g = candidates(guests).find((c) => !used.has(c.vmid) && shape.fits(c));
    if (!g) continue;
    used.add(g.vmid);
    shape.apply(g);
    g.configVersion++;
  }
}

export interface PlannedBackup {
  guest: Guest;
  startSec: number;
  ok: boolean;
}

/**
 * A backup history with every case a "last good backup" check meets: most guests backed up
 * nightly (02:00 plus a few minutes each), some only weeks ago, one whose last run failed after
 * an older success, and one never backed up at all.
 */
export function realWorldBackups(guests: readonly Guest[], nowMs: number): PlannedBackup[] {
  const runs: PlannedBackup[] = [];
  const day = 86_400;
  const midnight = Math.floor(nowMs / 1000 / day) * day;
  const at = (daysAgo: number, g: Guest): number => midnight - daysAgo * day + 2 * 3600 + (g.vmid % 50) * 60;
  guests
    .filter((g) => !g.template)
    .forEach((g, i) => {
      switch (i % 7) {
        case 3:
          break; // never backed up
        case 5:
          runs.push({ guest: g, startSec: at(30, g), ok: true }, { guest: g, startSec: at(23, g), ok: true });
          break;
        case 6:
          runs.push({ guest: g, startSec: at(8, g), ok: true }, { guest: g, startSec: at(1, g), ok: false });
          break;
        default:
          runs.push({ guest: g, startSec: at(2, g), ok: true }, { guest: g, startSec: at(1, g), ok: true });
      }
    });
  return runs;
}
