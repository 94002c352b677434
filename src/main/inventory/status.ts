import type { PowerState } from '../../shared/power';
import { isTransitional } from '../../shared/power';
import { observe as observeTransition, type Transition } from '../power/machine';

export interface ProbeObservation {
  /** Port → whether a TCP connect succeeded within the timeout. */
  openPorts: Record<string, boolean>;
  /** Why no port answered (first error seen), for the card's detail line. */
  error?: string;
}

export interface RuntimeState {
  power: PowerState;
  since: number;
  lastSeen?: number;
  openPorts: Record<string, boolean>;
  detail?: string;
  /** Power control: the command in progress while `power` is transitional (core/power/machine.ts). */
  transition?: Transition;
  /** Power control: init kept failing; an answering host then shows `init_failed` rather than `on`. */
  initFailed?: boolean;
}

export function initialRuntime(now: number): RuntimeState {
  return { power: 'unknown', since: now, openPorts: {} };
}

/**
 * The power state a probe implies. A host that answers is `on`. A silent host is `off`, unless
 * Rackdeck last saw it go to sleep (then it stays `suspended`: a probe cannot tell the two
 * apart) or it is mid-transition (the power state machine owns those until its deadline).
 */
export function powerFromProbe(prev: RuntimeState, obs: ProbeObservation, now: number): RuntimeState {
  const up = anyOpen(obs.openPorts);
  const upState = prev.initFailed ? 'init_failed' : 'on';
  let power: PowerState;
  let transition: Transition | undefined;
  let detail = up ? undefined : obs.error;
  if (isTransitional(prev.power) && prev.transition) {
    // The power state machine decides: target reached, still waiting, or reverted at the deadline.
    const step = observeTransition({ power: prev.power, since: prev.since, transition: prev.transition }, up, now, upState);
    power = step.next.power;
    transition = step.next.transition;
    if (step.next.detail) detail = step.next.detail;
  } else if (isTransitional(prev.power)) power = prev.power;
  else if (up) power = upState;
  // Silent after Rackdeck put it to sleep or stopped it: it stays what Rackdeck made it.
  else if (prev.power === 'suspended' || prev.power === 'stopped') power = prev.power;
  else power = 'off';

  // Built field by field, not by spreading: this runs for every probe, tens of thousands a minute.
  const next: RuntimeState = { power, since: power === prev.power ? prev.since : now, openPorts: obs.openPorts };
  if (up) next.lastSeen = now;
  else if (prev.lastSeen !== undefined) next.lastSeen = prev.lastSeen;
  if (detail) next.detail = detail;
  if (transition) next.transition = transition;
  if (prev.initFailed) next.initFailed = true;
  return next;
}

/** Whether any port answered (a loop, not a list of the values: called for every probe). */
export function anyOpen(openPorts: Record<string, boolean>): boolean {
  for (const port in openPorts) if (openPorts[port]) return true;
  return false;
}

export function sameRuntime(a: RuntimeState, b: RuntimeState): boolean {
  if (a.power !== b.power || a.detail !== b.detail || a.since !== b.since || a.transition !== b.transition) return false;
  if (a.openPorts === b.openPorts) return true;
  let count = 0;
  for (const port in a.openPorts) {
    if (a.openPorts[port] !== b.openPorts[port]) return false;
    count++;
  }
  for (const port in b.openPorts) if (--count < 0 || !(port in a.openPorts)) return false;
  return count === 0;
}
