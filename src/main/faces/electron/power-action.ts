import type { Notice } from '../../../shared/events';
import type { Router } from '../../ipc/router';
import type { PowerAction } from './tray-menu';

export type Notify = (notice: Omit<Notice, 'id' | 'at'>) => void;

/**
 * What the tray's Wake / Suspend items call. Power control is built elsewhere; until its
 * `power.run` channel exists the admin is told so instead of nothing happening. Kept in this
 * one function so it is replaced in one place when the power commands land.
 */
export function powerActionVia(router: Router, notify: Notify, nameOf: (id: string) => string | undefined) {
  return async (serverId: string, action: PowerAction): Promise<void> => {
    const name = nameOf(serverId) ?? serverId;
    if (!router.channels().includes('power.run')) {
      notify({ level: 'info', title: 'Power control is not available yet', body: `Rackdeck cannot ${action} ${name} from here yet.`, serverId });
      return;
    }
    const result = await router.handle('power.run', { id: serverId, action }, { face: 'desktop' });
    if (!result.ok) notify({ level: 'error', title: `Could not ${action} ${name}`, body: result.error.message, serverId });
  };
}
