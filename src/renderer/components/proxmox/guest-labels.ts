import type { ChangeKind, GuestAction, ProxmoxTask } from '../../../shared/contract/proxmox';
import { isTransitional, type PowerState } from '../../../shared/power';
import type { ProxmoxServerView } from '../../../shared/server';

/**
 * Pure words and rules for the Proxmox components, kept out of the JSX so they are tested as
 * plain functions: the label of each action, which ones ask first and what they warn about.
 */
export const ACTION_LABEL: Record<GuestAction, string> = {
  start: 'Start',
  shutdown: 'Shut down',
  stop: 'Stop',
  reboot: 'Reboot',
  reset: 'Reset',
  pause: 'Pause',
  hibernate: 'Hibernate',
  resume: 'Resume',
};

/** Actions that end or interrupt what runs in the guest: asked before they are sent. */
export function confirmText(action: GuestAction, name: string): string | null {
  switch (action) {
    case 'shutdown':
      return `Ask ${name} to shut down cleanly. If it does not within the time below, the task fails (or it is stopped, if you tick the box).`;
    case 'stop':
      return `Stop ${name} at once, like pulling the plug: unsaved work in the guest is lost.`;
    case 'reset':
      return `Reset ${name} at once, like pressing the reset button: unsaved work in the guest is lost.`;
    case 'reboot':
      return `Reboot ${name}: everything running in it restarts.`;
    case 'hibernate':
      return `Hibernate ${name}: its memory is written to disk and it stops; Resume brings it back where it was.`;
    default:
      return null;
  }
}

export function isDangerous(action: GuestAction): boolean {
  return action === 'stop' || action === 'reset';
}

/** One line for a task: "Shut down: running", "Start: OK", "Stop: failed: …". */
export function taskSummary(task: Pick<ProxmoxTask, 'action' | 'status' | 'outcome' | 'exitstatus' | 'error'>): string {
  const label = (ACTION_LABEL as Record<string, string>)[task.action] ?? task.action.charAt(0).toUpperCase() + task.action.slice(1);
  if (task.error) return `${label}: lost track (${task.error})`;
  if (task.status === 'running') return `${label}: running…`;
  if (task.outcome === 'ok') return `${label}: done`;
  if (task.outcome === 'warnings') return `${label}: done with ${task.exitstatus?.toLowerCase() ?? 'warnings'}`;
  return `${label}: failed${task.exitstatus ? `: ${task.exitstatus}` : ''}`;
}

/** A shutdown that failed (the guest ignored it or timed out) is followed by the offer to stop. */
export function offerStopAfter(task: { action: string; status: string; outcome: string } | undefined | null, actions: readonly string[]): boolean {
  return !!task && task.action === 'shutdown' && task.status === 'stopped' && task.outcome === 'error' && actions.includes('stop');
}

export const CHANGE_LABEL: Record<ChangeKind, string> = {
  created: 'Created',
  removed: 'Removed',
  moved: 'Moved',
  started: 'Started',
  stopped: 'Stopped',
  paused: 'Paused',
  resumed: 'Resumed',
  renamed: 'Renamed',
  'node-online': 'Node online',
  'node-offline': 'Node offline',
};

/** "AA:BB:…" in two lines of 16 pairs, for comparing by eye with the node's screen. */
export function fingerprintLines(fp: string): string[] {
  const pairs = fp.split(':');
  return [pairs.slice(0, 16).join(':'), pairs.slice(16).join(':')].filter(Boolean);
}

export interface GuestButton {
  action: GuestAction;
  label: string;
  /** Start or resume: the action a stopped or paused guest is waiting for. */
  primary: boolean;
}

/**
 * The buttons a guest offers: the actions main says exist in its type and state. A guest whose
 * node is not running offers Start anyway (main wakes the node first), unless it is a template,
 * locked or already in the middle of something. `note` says why nothing is offered.
 */
export function guestButtons(px: Pick<ProxmoxServerView, 'actions' | 'template' | 'lock' | 'nodeStatus' | 'node'>, power: PowerState): { buttons: GuestButton[]; wakesNode: boolean; note?: string } {
  const actions = (px.actions ?? []) as GuestAction[];
  const button = (action: GuestAction): GuestButton => ({ action, label: ACTION_LABEL[action], primary: action === 'start' || action === 'resume' });
  if (px.template) return { buttons: [], wakesNode: false, note: 'A template does not run: clone it in Proxmox to make a guest.' };
  if (px.lock && actions.length === 0) return { buttons: [], wakesNode: false, note: `Locked (${px.lock}): no action until Proxmox releases it.` };
  if (isTransitional(power) && actions.length === 0) return { buttons: [], wakesNode: false, note: 'Waiting for the current action to finish.' };
  if (actions.length === 0 && px.nodeStatus !== 'online') return { buttons: [button('start')], wakesNode: true };
  if (actions.length === 0) return { buttons: [], wakesNode: false, note: 'No action is available in its present state.' };
  return { buttons: actions.map(button), wakesNode: false };
}
