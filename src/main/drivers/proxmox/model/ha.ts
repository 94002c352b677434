import type { GuestType, TaskInfo } from '../../../../shared/contract/proxmox';
import type { GuestRef } from './guests';

/**
 * Pure: HA-managed guests. Their power is asked of the HA manager, as `ha-manager set vm:100
 * --state started|stopped` does, and the resource manager then starts or shuts the guest down
 * with its own task on the guest's node.
 */
export type HaRequest = 'started' | 'stopped';

export function haSid(ref: { type: GuestType; vmid: number }): string {
  return `${ref.type === 'qemu' ? 'vm' : 'ct'}:${ref.vmid}`;
}

/**
 * An HA resource the manager drives. `hastate` is the service state /cluster/resources reports
 * for HA resources; "ignored" ones are driven directly (pve-ha-manager treats them as unmanaged).
 */
export function isHaManaged(hastate: string | undefined): boolean {
  return hastate !== undefined && hastate !== '' && hastate !== 'ignored';
}

/** The task types the resource manager runs to reach a requested state. */
export function haTaskTypes(type: GuestType, state: HaRequest): string[] {
  const p = type === 'qemu' ? 'qm' : 'vz';
  return state === 'started' ? [`${p}start`, `${p}resume`] : [`${p}shutdown`, `${p}stop`];
}

/**
 * The resource manager's task for a request: a task of the expected type on the guest that was
 * not there before the request (`before`: the UPIDs listed just before it), or one already
 * running (the manager was at it). Compared by UPID, not by time: the node's clock and ours
 * need not agree.
 */
export function pickHaTask(tasks: readonly TaskInfo[], ref: GuestRef, state: HaRequest, before: ReadonlySet<string>): TaskInfo | undefined {
  const types = haTaskTypes(ref.type, state);
  return tasks
    .filter((t) => types.includes(t.type) && t.id === String(ref.vmid) && (!before.has(t.upid) || t.status === 'running'))
    .sort((a, b) => b.starttime - a.starttime)[0];
}
