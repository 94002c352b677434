import type { PowerState } from '../../shared/power';

/**
 * The states a host can leave by itself, behind Rackdeck's back: powered on by hand, by a BIOS
 * timer, by someone else's Wake-on-LAN. A silent host costs one connect that nothing answers, so
 * these are probed every few seconds (settings.watchSilentMs) while the hosts that answer wait
 * for the status sweep. A waking host is polled by power control already; a Proxmox guest's
 * state comes from its cluster.
 */
export const WATCHED_STATES: ReadonlySet<PowerState> = new Set<PowerState>(['off', 'suspended', 'stopped']);

/**
 * A fixed offset in [0, everyMs) per server (FNV-1a of its id), so the probes of a thousand
 * silent hosts flow at an even rate rather than in one burst per period, and a server keeps its
 * place in the period from one run to the next.
 */
export function phaseOf(id: string, everyMs: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return everyMs > 0 ? h % everyMs : 0;
}

/**
 * When each watched server is probed next (pure: the caller passes the time). A server is due
 * once every `everyMs`, at its phase; one that left the watched states is dropped, and starts at
 * its phase again when it is back. A due time missed by more than a period (the process was
 * busy, or asleep) is not caught up: the server is probed once and goes on from now.
 */
export class WatchPlan {
  private readonly next = new Map<string, number>();

  /** The servers of `watched` due at `now`, each then scheduled a period later. */
  due(watched: readonly string[], now: number, everyMs: number): string[] {
    const keep = new Set(watched);
    for (const id of this.next.keys()) if (!keep.has(id)) this.next.delete(id);
    const due: string[] = [];
    for (const id of keep) {
      let at = this.next.get(id) ?? now + phaseOf(id, everyMs);
      if (at <= now) {
        due.push(id);
        at += everyMs;
        if (at <= now) at = now + everyMs;
      }
      this.next.set(id, at);
    }
    return due;
  }

  /** How many servers are being watched (for tests and figures). */
  get size(): number {
    return this.next.size;
  }
}
