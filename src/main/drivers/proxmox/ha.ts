import * as z from 'zod';
import type { GuestType, TaskInfo } from '../../../shared/contract/proxmox';
import { apiPath, type ProxmoxApi } from './api';
import type { GuestRef } from './model/guests';
import { haSid, type HaRequest } from './model/ha';
import { nodeTasks } from './tasks';

export type { HaRequest } from './model/ha';

/** Asks the HA manager for a guest's state: PUT /cluster/ha/resources/{sid} (needs Sys.Console on /). */
export async function requestHaState(api: ProxmoxApi, ref: { type: GuestType; vmid: number }, state: HaRequest): Promise<void> {
  await api.put(apiPath`/cluster/ha/resources/${haSid(ref)}`, z.unknown(), { state });
}

/** The guest's recent tasks on its node (running ones included), newest first: the HA manager's task is among them. */
export function guestTasks(api: ProxmoxApi, ref: GuestRef): Promise<TaskInfo[]> {
  return nodeTasks(api, ref.node, { vmid: ref.vmid, source: 'all', limit: 20 });
}
