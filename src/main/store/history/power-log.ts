import type { PowerTransition } from '../../../shared/metrics';
import type { PowerState } from '../../../shared/power';

export interface PowerLogLimits {
  /** Changes older than this are dropped, except the newest of them: it tells the state at the window's start. */
  retentionMs: number;
  /** A flapping server must not grow the file without bound. */
  maxEntries: number;
}

export const DEFAULT_POWER_LIMITS: PowerLogLimits = { retentionMs: 366 * 86_400_000, maxEntries: 10_000 };

/**
 * Appends a change (in place) when it is newer than the last one and the state differs: the log
 * keeps changes, not observations, so a status sweep every 30 s costs nothing. Returns whether it
 * was kept; a change at or before the last one is refused, which makes journal replay idempotent.
 */
export function appendTransition(log: PowerTransition[], at: number, state: PowerState, now: number, limits: PowerLogLimits = DEFAULT_POWER_LIMITS): boolean {
  const last = log[log.length - 1];
  if (!Number.isFinite(at) || (last && (at <= last.at || last.state === state))) return false;
  log.push({ at, state });
  prune(log, now, limits);
  return true;
}

export function prune(log: PowerTransition[], now: number, limits: PowerLogLimits = DEFAULT_POWER_LIMITS): void {
  const cutoff = now - limits.retentionMs;
  let drop = 0;
  while (drop + 1 < log.length && (log[drop + 1] as PowerTransition).at <= cutoff) drop++;
  drop = Math.max(drop, log.length - limits.maxEntries);
  if (drop > 0) log.splice(0, drop);
}
