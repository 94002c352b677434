import type { GuestAction } from '../../../shared/contract/proxmox';
import { apiPath, type Params, type ProxmoxApi } from './api';
import { ProxmoxError } from './model/errors';
import { guestConfigSchema, guestStatusSchema, type GuestStatusRaw } from './model/parse';
import { upidSchema } from './tasks';
import { actionRefusal, runState, type ActionOptions, type GuestRef, type GuestState } from './model/guests';

/** The API call behind an action. Resume of a hibernated VM is a start (API-NOTES). */
export function actionRequest(guest: GuestState & GuestRef, action: GuestAction, options: ActionOptions = {}): { path: string; params: Params } {
  const base = apiPath`/nodes/${guest.node}/${guest.type}/${guest.vmid}/status`;
  const state = runState(guest);
  switch (action) {
    case 'start':
      return { path: `${base}/start`, params: {} };
    case 'stop':
      return { path: `${base}/stop`, params: {} };
    case 'shutdown':
      return { path: `${base}/shutdown`, params: { timeout: options.timeout, forceStop: options.forceStop } };
    case 'reboot':
      return { path: `${base}/reboot`, params: {} };
    case 'reset':
      return { path: `${base}/reset`, params: {} };
    case 'pause':
      return { path: `${base}/suspend`, params: {} };
    case 'hibernate':
      return { path: `${base}/suspend`, params: { todisk: true } };
    case 'resume':
      return state === 'hibernated' ? { path: `${base}/start`, params: {} } : { path: `${base}/resume`, params: {} };
  }
}

/**
 * Runs an action and returns its task id. Refuses, before any request, an action that does
 * not exist for the guest's type and state, so a click on a stale button gets a clear answer.
 */
export async function guestAction(api: ProxmoxApi, guest: GuestState & GuestRef, action: GuestAction, options: ActionOptions = {}): Promise<string> {
  const refused = actionRefusal(guest, action);
  if (refused) throw new ProxmoxError(refused.kind, refused.message);
  const { path, params } = actionRequest(guest, action, options);
  return api.post(path, upidSchema, params);
}

export async function guestStatus(api: ProxmoxApi, ref: GuestRef): Promise<GuestStatusRaw & { status: string }> {
  const raw = await api.get(apiPath`/nodes/${ref.node}/${ref.type}/${ref.vmid}/status/current`, guestStatusSchema);
  return { ...raw, status: raw.status ?? 'unknown' };
}

export async function guestConfig(api: ProxmoxApi, ref: GuestRef): Promise<Record<string, string>> {
  return api.get(apiPath`/nodes/${ref.node}/${ref.type}/${ref.vmid}/config`, guestConfigSchema);
}

/** Deletes a guest (purging it from jobs and HA). Confirmation is the caller's job (typed name). */
export async function deleteGuest(api: ProxmoxApi, ref: GuestRef, options: { purge?: boolean } = {}): Promise<string> {
  return api.delete(apiPath`/nodes/${ref.node}/${ref.type}/${ref.vmid}`, upidSchema, { purge: options.purge ?? true });
}
