import type { PowerState } from '../../shared/power';
import type { WakeProxyCounts, WakeProxyListener, WakeProxyView } from '../../shared/contract/wake-proxy';

/**
 * Wake on demand's decisions, free of I/O: what to do with a connection given the server's
 * state, how long to wait before the next try at the service's port, which listeners clash,
 * and the counts the cards show.
 */

/**
 * `splice`: the server is up, connect at once. `wake`: it sleeps or is off, wake it and hold the
 * connection. `try`: Rackdeck does not know (unknown state, a transition under way): try the
 * service first and wake only if it does not answer.
 */
export type ConnectionPlan = 'splice' | 'wake' | 'try';

export function planConnection(power: PowerState): ConnectionPlan {
  if (power === 'on' || power === 'init_failed') return 'splice';
  if (power === 'off' || power === 'suspended' || power === 'stopped' || power === 'paused') return 'wake';
  // waking: a wake is already under way, which the wake waits for rather than sends twice.
  if (power === 'waking') return 'wake';
  // unknown, or going down or rebooting: the service may still (or already) answer.
  return 'try';
}

/**
 * Tries at the service's port while it boots: every 250 ms after a quick start, so the wait adds at
 * most a quarter second to the boot (a longer backoff showed up as a second of its own in the
 * bench). A refused try costs one SYN and its RST; a silent one waits out its connect timeout.
 */
export function retryDelayMs(attempt: number): number {
  return Math.min(250, 50 * 2 ** Math.min(attempt, 3));
}

/** How long one connect try may take: a booting host's SYN may go unanswered; never past the hold's deadline. */
export function connectTimeoutMs(now: number, deadline: number): number {
  return Math.max(1, Math.min(2_000, deadline - now));
}

/** Two listeners on one address and port cannot both bind (port 0 asks for any free port, so never clashes). */
export function clashOf(existing: readonly WakeProxyListener[], candidate: Pick<WakeProxyListener, 'listenHost' | 'listenPort'>): WakeProxyListener | undefined {
  if (candidate.listenPort === 0) return undefined;
  const wild = (h: string) => h === '0.0.0.0' || h === '::';
  return existing.find((l) => l.listenPort === candidate.listenPort && (l.listenHost === candidate.listenHost || wild(l.listenHost) || wild(candidate.listenHost)));
}

/** A short id from the listener's address, unique among the existing ones. */
export function listenerId(existing: readonly WakeProxyListener[], serverId: string, targetPort: number): string {
  const base = `${serverId}-${targetPort}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 34);
  const taken = new Set(existing.map((l) => l.id));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** The counts per server the cards show, from the listeners' views. */
export function countsOf(views: readonly WakeProxyView[]): WakeProxyCounts {
  const servers: WakeProxyCounts['servers'] = {};
  for (const v of views) {
    const c = (servers[v.serverId] ??= { listeners: 0, active: 0, waiting: 0 });
    c.listeners++;
    c.active += v.active;
    c.waiting += v.waiting;
  }
  return { servers };
}
