/** POST .../status/{action} for QEMU and LXC guests. */
import { powerAction, type PowerAction } from '../actions';
import type { GuestType } from '../model';
import type { Router } from '../router';
import { guestOf } from './guests';

const ACTIONS: Readonly<Record<GuestType, readonly PowerAction[]>> = {
  qemu: ['start', 'stop', 'shutdown', 'reboot', 'reset', 'suspend', 'resume'],
  lxc: ['start', 'stop', 'shutdown', 'reboot', 'suspend', 'resume'],
};

export function registerPower(router: Router): void {
  for (const type of ['qemu', 'lxc'] as const) {
    for (const action of ACTIONS[type]) {
      router.add(`POST /nodes/{node}/${type}/{vmid}/status/${action}`, (ctx) =>
        powerAction(action, { state: ctx.state, guest: guestOf(ctx, type), principal: ctx.principal, params: ctx.params }),
      );
    }
  }
}
