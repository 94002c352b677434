import type { ProxmoxGuestInfo } from '../../shared/contract/proxmox';

/**
 * Guests Rackdeck paused, whose pause the cluster's listing does not show: /cluster/resources
 * says "running" for a frozen container and for a paused VM alike (only a VM's status/current
 * carries qmpstatus "paused"). The pause task's success is the evidence: the guest reads as
 * paused ("frozen" for a container, qmpstatus "paused" for a VM) until it is resumed, stopped,
 * rolled back, or seen stopped or running again.
 */
export class FrozenContainers {
  private readonly keys = new Set<string>();

  /** The guest as Rackdeck knows it: one it paused reads paused while the API says running. */
  apply<G extends Pick<ProxmoxGuestInfo, 'cluster' | 'id' | 'type' | 'status' | 'qmpstatus'>>(g: G): G {
    const key = `${g.cluster}/${g.id}`;
    if (!this.keys.has(key)) return g;
    if (g.status === 'stopped') {
      this.keys.delete(key);
      return g;
    }
    if (g.status !== 'running') return g;
    if (g.type === 'lxc') return { ...g, status: 'frozen' };
    // A VM read with its own qmpstatus (status/current) says for itself whether it is paused.
    if (g.qmpstatus === undefined) return { ...g, qmpstatus: 'paused' };
    if (g.qmpstatus !== 'paused') this.keys.delete(key);
    return g;
  }

  /** After a task on the guest ended without error. */
  afterTask(g: Pick<ProxmoxGuestInfo, 'cluster' | 'id' | 'type'>, action: string): void {
    const key = `${g.cluster}/${g.id}`;
    if (action === 'pause') this.keys.add(key);
    else if (['resume', 'stop', 'shutdown', 'reboot', 'start'].includes(action) || action.startsWith('rollback')) this.keys.delete(key);
  }
}

/** Pure: a guest with the run state (status, qmpstatus, lock) of a fresher reading. */
export function withRunState<G extends ProxmoxGuestInfo>(g: G, fresh: { status?: string | undefined; qmpstatus?: string | undefined; lock?: string | undefined }): G {
  const { qmpstatus: _q, lock: _l, ...rest } = g;
  return { ...rest, status: fresh.status ?? g.status, ...(fresh.qmpstatus ? { qmpstatus: fresh.qmpstatus } : {}), ...(fresh.lock ? { lock: fresh.lock } : {}) } as G;
}
