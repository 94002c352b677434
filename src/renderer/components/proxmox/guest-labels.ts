import type { ChangeKind, GuestAction, GuestBackupView, GuestPressure, ProxmoxTask } from '../../../shared/contract/proxmox';
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

/**
 * The words of a guest's state badge where they say more than the power state: a VM suspended
 * to disk (stopped, lock "suspended") is Hibernated, not just Suspended.
 */
export function guestStateLabel(px: Pick<ProxmoxServerView, 'lock' | 'vmid'> | undefined, power: PowerState): string | undefined {
  if (px?.vmid === undefined) return undefined;
  if (power === 'suspended' && px.lock === 'suspended') return 'Hibernated';
  return undefined;
}

const DAY = 86_400_000;

/** "3 d", "5 h", "just now": how long ago a backup ran, in a chip's few characters. */
export function shortAge(ms: number): string {
  if (ms < 60 * 60_000) return ms < 60_000 ? 'just now' : `${Math.floor(ms / 60_000)} min`;
  if (ms < 2 * DAY) return `${Math.floor(ms / 3_600_000)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

/** The card's backup chip: shown only when the last backup is older than the threshold (or none was found). */
export function backupChip(backup: GuestBackupView | undefined, now: number): { text: string; title: string } | undefined {
  if (!backup || !backup.stale) return undefined;
  if (backup.lastOkAt === undefined) return { text: 'No backup', title: 'No successful backup of this guest was found on the storages Rackdeck may read, nor in the recent vzdump tasks.' };
  const age = Math.max(0, now - backup.lastOkAt);
  return { text: `Backup ${shortAge(age)} old`, title: `Last successful backup ${new Date(backup.lastOkAt).toLocaleString()}${backup.volid ? ` (${backup.volid})` : ''}` };
}

/** Memory pressure (PVE 9): the share of the last 10 s the guest's tasks stalled waiting for memory. */
export function memoryPressure(p: GuestPressure | undefined): number | undefined {
  return p?.memSome ?? p?.memFull;
}

/** From this much memory pressure the card shows it: the guest is starved, whatever `mem` says. */
export const PRESSURE_SHOWN_AT = 5;

export function pressureText(percent: number): string {
  return `${percent < 10 ? percent.toFixed(1) : Math.round(percent)} %`;
}
