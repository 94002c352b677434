import { isTransitional, POWER_ACTIONS, type PowerAction, type PowerState, type TransitionalState } from './power';

/*
 * The power actions' words and when each may start, without zod: what a card's buttons show at
 * the page's first paint, whose bundle holds no schemas (issue 16). contract/power.ts re-exports
 * these, so the card's buttons and main's refusals are one rule.
 */

/** Actions that end what runs on the host: the UI asks before it sends them. */
export const CONFIRM_ACTIONS: readonly PowerAction[] = ['shutdown', 'reboot', 'hibernate'];

export const ACTION_LABELS: Record<PowerAction, string> = {
  wake: 'Wake',
  suspend: 'Suspend',
  hibernate: 'Hibernate',
  shutdown: 'Shut down',
  reboot: 'Reboot',
};

const BUSY: Record<TransitionalState, string> = {
  waking: 'it is already waking',
  suspending: 'it is already going to sleep',
  stopping: 'it is already shutting down',
  rebooting: 'it is already rebooting',
};

/** Whether `action` may start from `power` (state only); main enforces the same rule. */
export function canStartFrom(power: PowerState, action: PowerAction): { ok: true } | { ok: false; reason: string } {
  if (isTransitional(power)) return { ok: false, reason: BUSY[power] };
  const up = power === 'on' || power === 'init_failed';
  if (action === 'wake') return up ? { ok: false, reason: 'it is already on' } : { ok: true };
  if (up) return { ok: true };
  if (power === 'unknown') return { ok: false, reason: 'its state is not known yet' };
  return { ok: false, reason: `it is ${power}` };
}

const MISSING: Record<PowerAction, string> = {
  wake: 'set its MAC address (or a custom wake command) first',
  suspend: 'set up SSH (or a custom suspend command) first',
  hibernate: 'hibernation was not found on this host (or set up SSH first)',
  shutdown: 'set up SSH (or a custom shutdown command) first',
  reboot: 'set up SSH (or a custom reboot command) first',
};

/** What the card's buttons show: enabled by capability and state, with the reason when not. */
export function actionAvailability(view: { power: PowerState; capabilities?: Record<PowerAction, boolean> | undefined }): Record<PowerAction, { enabled: boolean; reason?: string }> {
  const caps = view.capabilities;
  const out = {} as Record<PowerAction, { enabled: boolean; reason?: string }>;
  for (const action of POWER_ACTIONS) {
    if (caps && !caps[action]) {
      out[action] = { enabled: false, reason: MISSING[action] };
      continue;
    }
    const state = canStartFrom(view.power, action);
    out[action] = state.ok ? { enabled: true } : { enabled: false, reason: state.reason };
  }
  return out;
}
