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
 * When the kernel sends a connect's SYN again while nothing answers, ms after the first (pure; the
 * driver reads the two settings from /proc, drivers/syn-schedule.ts). Linux starts at 1 s
 * (TCP_TIMEOUT_INIT, RFC 6298's initial RTO); since 6.5 the first `linear` retransmissions
 * (net.ipv4.tcp_syn_linear_timeouts, 4 by default) each wait that 1 s, and the timeout then
 * doubles: SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35 … s (measured with ss on a 6.18 kernel). Before
 * 6.5 it doubles from the start: 0, 1, 3, 7, 15, 31, 63 s. The kernel gives up once the time the
 * doubling schedule of `retries` (net.ipv4.tcp_syn_retries, 6) would take has passed. A connect
 * left open is therefore still knocking.
 */
export function synRetriesMs(linear: number, retries: number): number[] {
  const giveUpMs = (2 ** (Math.max(0, retries) + 1) - 1) * 1000;
  const at = [0];
  let rto = 1000;
  for (let i = 0; ; i++) {
    const next = (at[at.length - 1] as number) + rto;
    if (next >= giveUpMs) return at;
    at.push(next);
    if (i >= linear) rto *= 2;
  }
}

/** The schedule of a Linux before 6.5, or with tcp_syn_linear_timeouts set to 0. */
export const LINUX_SYN_RETRIES_MS: readonly number[] = synRetriesMs(0, 6);

/**
 * How long a watch probe of a silent host may hold its connect open, so that no stretch without
 * a SYN is longer than the watch period: the kernel's retransmissions knock for it, and a host
 * that comes up answers the next one, where a short probe and a new connect every period would
 * cost a socket each time. With the default 2 s and a kernel since 6.5: SYNs at 0, 1, 2, 3, 4, 5
 * and 7 s and the next connect at 9 s (before 6.5: 0, 1 and 3 s, the next at 5 s), so one connect
 * per 9 s instead of per 2 s, and never more than 2 s between knocks, as before.
 * Without a known schedule (`synAt` empty, another OS) it is the period itself.
 */
export function holdMs(everyMs: number, synAt: readonly number[]): number {
  let last = 0;
  for (let i = 1; i < synAt.length; i++) {
    const at = synAt[i] as number;
    if (at - last > everyMs) break;
    last = at;
  }
  return last + everyMs;
}

/**
 * When each watched server is probed next (pure: the caller passes the time). A server is due
 * once every `everyMs`, at its phase; one that left the watched states is dropped, and starts at
 * its phase again when it is back. A due time missed by more than a period (the process was
 * busy, or asleep) is not caught up: the server is probed once and goes on from now.
 */
export class WatchPlan {
  /** Per server: when it is due, and the last call of `due` that listed it (to drop the others). */
  private readonly next = new Map<string, { at: number; seen: number }>();
  private calls = 0;

  /** The servers of `watched` due at `now`, each then scheduled a period later. */
  due(watched: readonly string[], now: number, everyMs: number): string[] {
    // Called a few times a second with every silent server: entries are updated in place and the
    // servers no longer listed found by their stamp, so that a call allocates nothing but its answer.
    const call = ++this.calls;
    const due: string[] = [];
    for (const id of watched) {
      let entry = this.next.get(id);
      if (!entry) {
        entry = { at: now + phaseOf(id, everyMs), seen: call };
        this.next.set(id, entry);
      } else if (entry.seen === call) continue;
      entry.seen = call;
      if (entry.at <= now) {
        due.push(id);
        entry.at += everyMs;
        if (entry.at <= now) entry.at = now + everyMs;
      }
    }
    for (const [id, entry] of this.next) if (entry.seen !== call) this.next.delete(id);
    return due;
  }

  /** A server is due again at `at` (its probe ended: a held one is followed at once, not a period later). */
  dueAt(id: string, at: number): void {
    const entry = this.next.get(id);
    if (entry) entry.at = at;
  }

  /** How many servers are being watched (for tests and figures). */
  get size(): number {
    return this.next.size;
  }
}
