import type { HealthState, WatchOptions } from '../../shared/contract/agents';
import { isTransitional, type PowerState } from '../../shared/power';
import { autoAttemptsInWindow, lastReset } from './history';
import type { GuestPower } from './hooks';
import { DELIBERATE_GRACE_MS } from './options';
import type { HealthRecord } from './state';

/** What the engine itself knows of the server: its live power state and what the admin wants. */
export interface EngineSideView {
  power: PowerState;
  desired?: string;
  /** A power command is in progress. */
  transitioning?: boolean;
}

export interface WatchdogInput {
  now: number;
  record: HealthRecord;
  /** The server's health as assessed now. */
  state: HealthState;
  options: WatchOptions;
  guest: GuestPower | undefined;
  view: EngineSideView | undefined;
  /** The last deliberate power action the health monitor saw (a transitional state, a command). */
  deliberateAt: number | undefined;
  /** Many agents went silent together: more likely Rackdeck's network than hung guests. */
  massSilence: boolean;
  resetInFlight: boolean;
}

export type WatchdogDecision =
  | { action: 'none'; why: string }
  | { action: 'reset'; reason: string; attempt: number }
  | { action: 'give_up'; reason: string };

const none = (why: string): WatchdogDecision => ({ action: 'none', why });

/** A desired or Proxmox-side state that means "meant to be off": never fight it. */
function wantsOff(desired: string | undefined): boolean {
  return desired !== undefined && desired !== 'on' && desired !== 'running';
}

/**
 * Why a guest is being powered down or worked on on purpose, or undefined when it is not.
 * Any doubt means hands off: a needless reset loses work, a missed one only waits for a human.
 */
export function deliberateReason(input: Pick<WatchdogInput, 'now' | 'guest' | 'view' | 'deliberateAt'>): string | undefined {
  const { now, guest, view } = input;
  if (view && (view.transitioning || isTransitional(view.power))) return `a power action is in progress (${view.power})`;
  if (wantsOff(view?.desired)) return `its desired state is ${view?.desired}`;
  if (wantsOff(guest?.desired)) return `its desired state is ${guest?.desired}`;
  if (guest?.lock) return `Proxmox holds a ${guest.lock} lock on it`;
  const last = Math.max(input.deliberateAt ?? -Infinity, guest?.lastActionAt ?? -Infinity);
  if (now - last < DELIBERATE_GRACE_MS) return 'a power action was sent to it recently';
  return undefined;
}

/**
 * The watchdog's decision for one server: reset a guest that is `down` while Proxmox says it is
 * running, within the attempt budget and after the cool-down, or give up and ask for a human.
 */
export function decideWatchdog(input: WatchdogInput): WatchdogDecision {
  const { now, record, options, guest } = input;
  if (input.state !== 'down') return none(`it is ${input.state}`);
  if (!options.autoReset) return none('auto-reset is off for it');
  if (input.resetInFlight) return none('a reset is already in progress');
  if (!guest) return none('it is not a Proxmox guest Rackdeck can drive');
  const deliberate = deliberateReason(input);
  if (deliberate) return none(deliberate);
  if (guest.status !== 'running') return none(`Proxmox reports it ${guest.status}`);
  if (input.massSilence) return none('many agents went silent at once, which points at the network, not the guests');
  const last = lastReset(record.resets);
  if (last && now - last.at < options.cooldownMs) return none('cooling down after the last reset');
  const attempts = autoAttemptsInWindow(record.resets, now, options.windowMs);
  const silentMin = record.lastReportAt === undefined ? '?' : String(Math.round((now - record.lastReportAt) / 60_000));
  if (attempts >= options.maxAttempts) {
    return {
      action: 'give_up',
      reason: `${attempts} automatic resets within ${Math.round(options.windowMs / 60_000)} min did not bring its agent back (silent for ${silentMin} min)`,
    };
  }
  return {
    action: 'reset',
    attempt: attempts + 1,
    reason: `Auto-reset ${attempts + 1}/${options.maxAttempts}: no heartbeat for ${silentMin} min while Proxmox reports it running`,
  };
}

/**
 * Many guests needing a reset at once (at least 3, and at least half of the agents that ever
 * reported) is what a broken switch or a Rackdeck host that slept looks like; resetting every VM
 * would not help, so the watchdog holds and tells the admin instead.
 */
export function isMassSilence(wouldReset: number, reporting: number): boolean {
  return wouldReset >= 3 && wouldReset * 2 >= reporting;
}
