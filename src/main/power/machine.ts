import type { PowerState, SettledState, TransitionalState } from '../../shared/power';
import { canStartFrom } from '../../shared/contract/power';
import type { PowerAction, PowerSettings } from '../../shared/server';

/**
 * The power state machine (docs/ARCHITECTURE.md "Power states"), pure: (state, command | observation,
 * now) → state. A command sets the transitional state at once; observations while it lasts
 * either reach the target or, past the deadline, revert it. Off and suspended look the same to
 * a probe, so which one a silent host is follows from what Rackdeck last did.
 */
export interface Transition {
  action: PowerAction;
  /** The settled state before the command, restored when the command fails at once. */
  from: PowerState;
  target: SettledState;
  startedAt: number;
  deadline: number;
  /** A reboot must be seen going down before coming up counts. */
  sawDown?: boolean;
  /** The last observation, to decide where a timeout reverts to. */
  lastUp?: boolean;
  step?: string;
}

export interface PowerSnapshot {
  power: PowerState;
  since: number;
  transition?: Transition;
  detail?: string;
}

export type Outcome = 'reached' | 'timeout' | 'failed';

export interface Step {
  next: PowerSnapshot;
  outcome?: Outcome;
}

export const TRANSITIONAL_OF: Record<PowerAction, TransitionalState> = {
  wake: 'waking',
  suspend: 'suspending',
  hibernate: 'suspending',
  shutdown: 'stopping',
  reboot: 'rebooting',
};

export const TARGET_OF: Record<PowerAction, SettledState> = {
  wake: 'on',
  suspend: 'suspended',
  hibernate: 'suspended',
  shutdown: 'off',
  reboot: 'on',
};

export interface PowerTimeouts {
  wakeMs: number;
  suspendMs: number;
  shutdownMs: number;
  rebootMs: number;
}

export const DEFAULT_TIMEOUTS: PowerTimeouts = { wakeMs: 300_000, suspendMs: 120_000, shutdownMs: 180_000, rebootMs: 300_000 };

export function timeoutsFor(settings: PowerSettings | undefined, defaults: PowerTimeouts = DEFAULT_TIMEOUTS): PowerTimeouts {
  const t = settings?.timeouts ?? {};
  return {
    wakeMs: t.wakeMs ?? defaults.wakeMs,
    suspendMs: t.suspendMs ?? defaults.suspendMs,
    shutdownMs: t.shutdownMs ?? defaults.shutdownMs,
    rebootMs: t.rebootMs ?? defaults.rebootMs,
  };
}

export function timeoutOf(action: PowerAction, timeouts: PowerTimeouts): number {
  switch (action) {
    case 'wake':
      return timeouts.wakeMs;
    case 'suspend':
    case 'hibernate':
      return timeouts.suspendMs;
    case 'shutdown':
      return timeouts.shutdownMs;
    case 'reboot':
      return timeouts.rebootMs;
  }
}

const DOWN_STATES: readonly PowerState[] = ['off', 'suspended', 'stopped', 'paused'];
const UP_STATES: readonly PowerState[] = ['on', 'init_failed'];

export function isUp(power: PowerState): boolean {
  return UP_STATES.includes(power);
}

/** Whether `action` may start from `power`: the one rule, shared with the renderer's buttons. */
export const canStart = canStartFrom;

/** A command was issued: the transitional state holds from now until the target or the deadline. */
export function begin(snap: PowerSnapshot, action: PowerAction, now: number, timeouts: PowerTimeouts): PowerSnapshot {
  const from = snap.transition ? snap.transition.from : snap.power;
  return {
    power: TRANSITIONAL_OF[action],
    since: now,
    transition: { action, from, target: TARGET_OF[action], startedAt: now, deadline: now + timeoutOf(action, timeouts) },
  };
}

/** The command could not even be sent (no route, SSH refused): back to where it was, with the reason. */
export function fail(snap: PowerSnapshot, now: number, reason: string): Step {
  if (!snap.transition) return { next: snap };
  const back = snap.transition.from;
  return { next: { power: back, since: now, detail: reason }, outcome: 'failed' };
}

/** Updates the step text shown under the transitional state, without changing anything else. */
export function withStep(snap: PowerSnapshot, step: string): PowerSnapshot {
  if (!snap.transition) return snap;
  return { ...snap, transition: { ...snap.transition, step } };
}

/**
 * One observation while transitional. `upState` is what an answering host is (`on`, or
 * `init_failed` while its init keeps failing). An observation that shows the target wins even
 * past the deadline; otherwise the deadline reverts.
 */
export function observe(snap: PowerSnapshot, up: boolean, now: number, upState: 'on' | 'init_failed' = 'on'): Step {
  const t = snap.transition;
  if (!t) return { next: snap };
  const reached = (power: PowerState, detail?: string): Step => ({ next: { power, since: now, ...(detail ? { detail } : {}) }, outcome: 'reached' });
  switch (t.target) {
    case 'on':
      if (t.action === 'reboot') {
        if (up && t.sawDown) return reached(upState);
        if (!up && !t.sawDown) return keepOrExpire({ ...snap, transition: { ...t, sawDown: true, lastUp: false } }, now, upState);
        break;
      }
      if (up) return reached(upState);
      break;
    default:
      if (!up) return reached(t.target, t.action === 'hibernate' ? 'hibernated' : undefined);
      break;
  }
  const next = t.lastUp === up ? snap : { ...snap, transition: { ...t, lastUp: up } };
  return keepOrExpire(next, now, upState);
}

/** Past the deadline with no observation (or one that missed the target): revert and say so. */
export function expire(snap: PowerSnapshot, now: number, upState: 'on' | 'init_failed' = 'on'): Step {
  return keepOrExpire(snap, now, upState);
}

function keepOrExpire(snap: PowerSnapshot, now: number, upState: 'on' | 'init_failed'): Step {
  const t = snap.transition;
  if (!t || now < t.deadline) return { next: snap };
  return { next: { power: revertState(t, upState), since: now, detail: timeoutDetail(t) }, outcome: 'timeout' };
}

/** Where a timed-out transition lands: what the last observation showed, told apart by what was asked. */
export function revertState(t: Transition, upState: 'on' | 'init_failed'): SettledState {
  if (t.lastUp === true) return upState;
  if (t.action === 'wake') return DOWN_STATES.includes(t.from) ? (t.from as SettledState) : 'off';
  if (t.action === 'reboot') return t.sawDown || t.lastUp === false ? 'off' : upState;
  // suspend / shutdown with no observation at all: the host was up when asked.
  return t.lastUp === false ? t.target : upState;
}

function timeoutDetail(t: Transition): string {
  const minutes = Math.round((t.deadline - t.startedAt) / 60_000);
  const span = minutes >= 1 ? `${minutes} min` : `${Math.round((t.deadline - t.startedAt) / 1000)} s`;
  switch (t.action) {
    case 'wake':
      return `no answer ${span} after the wake request`;
    case 'reboot':
      return t.sawDown ? `went down but did not come back within ${span}` : `it was never seen going down within ${span}`;
    default:
      return `still answering ${span} after the ${t.action} command`;
  }
}
