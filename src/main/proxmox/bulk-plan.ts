import type { BulkAction, GuestAction, ProxmoxGuestInfo } from '../../shared/contract/proxmox';
import { availableActions, runState } from '../drivers/proxmox/model/guests';

export interface BulkOptionsInput {
  timeout?: number;
  forceStop?: boolean;
  toDisk?: boolean;
}

/**
 * Pure: what a bulk action does to one guest, as PVE 9's bulk worker decides it
 * (PVE/API2/Cluster/BulkAction/Guest.pm), so the per-guest calls on PVE 8 do the same: start
 * starts a stopped guest and resumes a paused or hibernated one; shutdown shuts a running guest
 * down (a paused VM only with forceStop, by stopping it); suspend pauses (or hibernates) a
 * running VM. `skip` says why a guest is left out; nothing is sent for it.
 */
export function bulkStep(action: BulkAction, g: Pick<ProxmoxGuestInfo, 'type' | 'status' | 'qmpstatus' | 'lock' | 'template'>, nodeOnline: boolean, options: BulkOptionsInput = {}): { action: GuestAction } | { skip: string } {
  if (g.template) return { skip: 'a template does not run' };
  if (!nodeOnline) return { skip: 'its node is not online' };
  const state = runState(g);
  if (state === 'locked') return { skip: `locked (${g.lock ?? '?'})` };
  if (state === 'unknown') return { skip: `Proxmox reports it ${g.status}` };
  const offers = availableActions(g);
  switch (action) {
    case 'start':
      if (state === 'running') return { skip: 'already running' };
      return offers.includes('resume') ? { action: 'resume' } : { action: 'start' };
    case 'shutdown':
      if (state === 'running') return { action: 'shutdown' };
      // As the bulk worker does: a paused VM is skipped unless force-stop was asked for.
      if (state === 'paused') return options.forceStop === true ? { action: 'stop' } : { skip: 'paused: resume it before a shutdown, or ask for force-stop' };
      return { skip: 'not running' };
    case 'suspend':
      if (g.type !== 'qemu') return { skip: 'only VMs can be suspended' };
      if (state !== 'running') return { skip: 'not running' };
      return { action: options.toDisk ? 'hibernate' : 'pause' };
  }
}
