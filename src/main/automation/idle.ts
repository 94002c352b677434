import type { IdlePolicy } from '../../shared/contract/automation';
import type { PowerState } from '../../shared/power';
import { busyReason, type Observation } from './conditions';

/** Where a server stands in its idle countdown; kept in memory (a restart starts the count again). */
export interface IdleTrack {
  /** Since when every figure has been below its line. */
  idleSince?: number;
  /** Why it is not idle, or why an idle server is held awake. */
  busy?: string;
}

export interface IdleMoment {
  now: number;
  power: PowerState;
  /** Since when it has been on (its last wake, or when Rackdeck first saw it on). */
  onSince?: number;
  keepAwakeUntil?: number;
}

/**
 * One look at a server under its idle policy (pure): the new countdown, and whether to power it
 * down now. A server that is not on, or not idle, starts the count again; one idle for the whole
 * period is still left alone while a keep-awake holds it or within M minutes of a wake.
 */
export function idleStep(prev: IdleTrack, o: Observation | undefined, p: IdlePolicy, m: IdleMoment): { track: IdleTrack; fire: boolean } {
  if (!p.enabled) return { track: { busy: 'idle auto-suspend is off' }, fire: false };
  if (m.power !== 'on') return { track: { busy: `it is ${m.power}` }, fire: false };
  const busy = o ? busyReason(o, p) : 'not observed yet';
  if (busy !== undefined) return { track: { busy }, fire: false };
  const idleSince = prev.idleSince ?? m.now;
  if (m.now - idleSince < p.idleMinutes * 60_000) return { track: { idleSince }, fire: false };
  if (m.keepAwakeUntil !== undefined && m.keepAwakeUntil > m.now) return { track: { idleSince, busy: `kept awake until ${new Date(m.keepAwakeUntil).toISOString()}` }, fire: false };
  if (m.onSince !== undefined && m.now - m.onSince < p.afterWakeMinutes * 60_000) return { track: { idleSince, busy: `woke less than ${p.afterWakeMinutes} min ago` }, fire: false };
  return { track: { idleSince }, fire: true };
}
