import type { ProxmoxGuestInfo, ProxmoxTask } from '../../shared/contract/proxmox';
import type { GuestControl, GuestPower } from './hooks';

/** What the watchdog needs of the Proxmox capability (ProxmoxService has this shape). */
export interface ProxmoxGuestsPort {
  guests(): Array<ProxmoxGuestInfo & { serverId: string; nodeStatus: 'online' | 'offline' | 'unknown' }>;
  guestAction(ref: string, action: 'reset', options: { wait?: boolean }): Promise<ProxmoxTask>;
}

/** Proxmox's words for a guest's run state, as the watchdog reads them. */
export function guestPowerOf(g: Pick<ProxmoxGuestInfo, 'status' | 'qmpstatus' | 'lock'>, nodeStatus: string): GuestPower {
  const lock = g.lock ? { lock: g.lock } : {};
  // A node the cluster cannot see says nothing certain about its guests.
  if (nodeStatus !== 'online') return { status: 'unknown', ...lock };
  if (g.status === 'stopped') return { status: 'stopped', ...lock };
  if (g.status !== 'running') return { status: 'unknown', ...lock };
  const qmp = g.qmpstatus;
  if (qmp === undefined || qmp === 'running') return { status: 'running', ...lock };
  if (qmp === 'paused') return { status: 'paused', ...lock };
  if (qmp === 'suspended' || qmp === 'prelaunch') return { status: 'suspended', ...lock };
  return { status: 'unknown', ...lock };
}

/**
 * The watchdog's GuestControl over the Proxmox capability: QEMU guests only (Proxmox has no
 * reset for containers), templates never. The reset is Proxmox's `status/reset`, its task
 * followed to the end; the result is the task's exit status.
 */
export function guestControlFromProxmox(px: ProxmoxGuestsPort): GuestControl {
  const find = (serverId: string) => px.guests().find((g) => g.serverId === serverId && g.type === 'qemu' && !g.template);
  return {
    async power(serverId) {
      const g = find(serverId);
      return g ? guestPowerOf(g, g.nodeStatus) : undefined;
    },
    async reset(serverId) {
      if (!find(serverId)) return { ok: false, taskStatus: 'not a Proxmox VM Rackdeck knows' };
      const task = await px.guestAction(serverId, 'reset', { wait: true });
      const ok = task.outcome === 'ok' || task.outcome === 'warnings';
      return { ok, taskStatus: task.error ?? task.exitstatus ?? task.outcome, upid: task.upid };
    },
    identify(serverId) {
      const g = find(serverId);
      return g ? { vmid: g.vmid, node: g.node } : undefined;
    },
  };
}
