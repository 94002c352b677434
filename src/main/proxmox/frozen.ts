import type { ProxmoxGuestInfo } from '../../shared/contract/proxmox';

/**
 * Containers Rackdeck froze (pause). The API shows a frozen container as "running", so the
 * pause task's success is the only evidence: the container reads as "frozen" until it is
 * resumed, stopped, rolled back, or seen stopped.
 */
export class FrozenContainers {
  private readonly keys = new Set<string>();

  /** The guest as Rackdeck knows it: a container it froze reads "frozen" while the API says running. */
  apply<G extends Pick<ProxmoxGuestInfo, 'cluster' | 'id' | 'type' | 'status'>>(g: G): G {
    const key = `${g.cluster}/${g.id}`;
    if (g.type !== 'lxc' || !this.keys.has(key)) return g;
    if (g.status === 'running') return { ...g, status: 'frozen' };
    if (g.status === 'stopped') this.keys.delete(key);
    return g;
  }

  /** After a task on the guest ended without error. */
  afterTask(g: Pick<ProxmoxGuestInfo, 'cluster' | 'id' | 'type'>, action: string): void {
    if (g.type !== 'lxc') return;
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
