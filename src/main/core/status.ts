import type { PowerState } from '../../shared/power';
import { isTransitional } from '../../shared/power';

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
  const up = Object.values(obs.openPorts).some(Boolean);
  let power: PowerState;
  if (isTransitional(prev.power)) power = prev.power;
  else if (up) power = 'on';
  else if (prev.power === 'suspended' || prev.power === 'stopped' || prev.power === 'init_failed') power = prev.power;
  else power = 'off';

  const detail = up ? undefined : obs.error;
  const next: RuntimeState = {
    power,
    since: power === prev.power ? prev.since : now,
    openPorts: obs.openPorts,
    ...(up ? { lastSeen: now } : prev.lastSeen !== undefined ? { lastSeen: prev.lastSeen } : {}),
    ...(detail ? { detail } : {}),
  };
  return next;
}

export function sameRuntime(a: RuntimeState, b: RuntimeState): boolean {
  if (a.power !== b.power || a.detail !== b.detail || a.since !== b.since) return false;
  const ka = Object.keys(a.openPorts);
  const kb = Object.keys(b.openPorts);
  return ka.length === kb.length && ka.every((k) => a.openPorts[k] === b.openPorts[k]);
}
