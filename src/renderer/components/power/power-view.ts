// Zod-free (shared/power-actions, shared/power), since every card draws its buttons from these at first paint (issue 16).
import { ACTION_LABELS, actionAvailability, CONFIRM_ACTIONS } from '../../../shared/power-actions';
import { POWER_ACTIONS, type PowerAction } from '../../../shared/power';
import type { ServerView } from '../../../shared/server';

/**
 * Which power buttons a card shows, decided from what main sent (capabilities and state): an
 * action the server cannot do at all is not shown; one it cannot do now is shown disabled with
 * the reason. Pure, so it is tested without a DOM.
 */
export interface PowerButton {
  action: PowerAction;
  label: string;
  enabled: boolean;
  reason?: string;
  confirm: boolean;
  primary: boolean;
}

export function powerButtons(server: Pick<ServerView, 'power' | 'capabilities'>): PowerButton[] {
  const availability = actionAvailability(server);
  const caps = server.capabilities;
  return POWER_ACTIONS.filter((a) => !caps || caps[a]).map((action) => {
    const a = availability[action];
    return {
      action,
      label: ACTION_LABELS[action],
      enabled: a.enabled,
      ...(a.reason ? { reason: a.reason } : {}),
      confirm: CONFIRM_ACTIONS.includes(action),
      primary: action === 'wake',
    };
  });
}

export function confirmText(action: PowerAction, name: string): string {
  switch (action) {
    case 'shutdown':
      return `${name} will power off. Everything running on it stops, and it comes back only with Wake-on-LAN or its power button.`;
    case 'reboot':
      return `${name} will restart. Everything running on it stops for the time of the reboot.`;
    case 'hibernate':
      return `${name} will save its memory to disk and power off. Waking it takes longer than from suspend.`;
    default:
      return `${ACTION_LABELS[action]} ${name}?`;
  }
}

/** 0…1 of the transition's time budget, for the progress bar. */
export function transitionProgress(t: { startedAt: number; deadline: number }, now: number): number {
  const span = t.deadline - t.startedAt;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (now - t.startedAt) / span));
}

/**
 * How a card lays the buttons out in its narrow width: only what can be done now (the drawer
 * shows every button, the disabled ones with their reason); the one action that fits the
 * moment as a labelled button (Wake for a machine that is down, Suspend for one that is up),
 * the others as icons named by their tooltips.
 */
export function cardLayout(buttons: readonly PowerButton[]): { primary?: PowerButton; icons: PowerButton[] } {
  const enabled = buttons.filter((b) => b.enabled);
  const primary = enabled.find((b) => b.action === 'wake') ?? enabled.find((b) => b.action === 'suspend');
  return { ...(primary ? { primary } : {}), icons: enabled.filter((b) => b !== primary) };
}
