import type { Notice } from '../../shared/events';
import type { PowerState } from '../../shared/power';

export interface PowerChange {
  serverId: string;
  serverName: string;
  from: PowerState;
  to: PowerState;
  at: number;
  detail?: string;
}

/**
 * Which power changes deserve a notification. The first observation after start (from
 * `unknown`) is not news; a host dropping off while it was on is; transitions the admin asked
 * for are confirmed when they land, not when they begin.
 */
export function noticeForPowerChange(change: PowerChange): Omit<Notice, 'id'> | null {
  const { from, to, serverName, serverId, at } = change;
  if (from === to || from === 'unknown') return null;
  const base = { at, serverId };
  if (to === 'on' && from === 'waking') return { ...base, level: 'success', title: `${serverName} is awake`, body: 'It answered after the wake request.' };
  if (to === 'on' && (from === 'off' || from === 'suspended' || from === 'stopped' || from === 'init_failed')) {
    return { ...base, level: 'info', title: `${serverName} is up`, body: 'It started answering.' };
  }
  if (to === 'on' && from === 'rebooting') return { ...base, level: 'success', title: `${serverName} is back`, body: 'The reboot finished.' };
  if (to === 'off' && from === 'on') {
    return { ...base, level: 'warning', title: `${serverName} went down`, body: change.detail ? `It stopped answering (${change.detail}).` : 'It stopped answering.' };
  }
  if (to === 'suspended' && from === 'suspending') return { ...base, level: 'success', title: `${serverName} is asleep`, body: 'It suspended as asked.' };
  if ((to === 'off' || to === 'stopped') && from === 'stopping') return { ...base, level: 'success', title: `${serverName} is off`, body: 'It shut down as asked.' };
  if (to === 'init_failed') return { ...base, level: 'error', title: `${serverName} could not be initialised`, body: change.detail ?? 'SSH setup failed.' };
  return null;
}
