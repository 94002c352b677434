import type { GuestAction, ProxmoxGuestInfo } from '../../shared/contract/proxmox';
import type { TransitionalState } from '../../shared/power';
import type { PowerAction } from '../../shared/server';
import { availableActions } from '../drivers/proxmox/model/guests';

/** Pure: the transitional state a guest action holds while its task runs. */
export const TRANSITIONAL_FOR: Record<GuestAction, TransitionalState> = {
  start: 'waking',
  resume: 'waking',
  shutdown: 'stopping',
  stop: 'stopping',
  reboot: 'rebooting',
  reset: 'rebooting',
  pause: 'suspending',
  hibernate: 'suspending',
};

/** Pure: Rackdeck's generic power actions on a guest (the reconcile loop, the tray) → the Proxmox action. */
export function guestActionFor(action: PowerAction, guest: Pick<ProxmoxGuestInfo, 'type' | 'status' | 'qmpstatus' | 'lock' | 'template'>): GuestAction | undefined {
  const allowed = availableActions(guest);
  const pick = (...candidates: GuestAction[]) => candidates.find((c) => allowed.includes(c));
  switch (action) {
    case 'wake':
      return pick('resume', 'start');
    case 'shutdown':
      return pick('shutdown');
    case 'suspend':
      return pick('pause');
    case 'hibernate':
      return pick('hibernate');
    case 'reboot':
      return pick('reboot');
  }
}

