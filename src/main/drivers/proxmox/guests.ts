import type { GuestAction, GuestType } from '../../../shared/contract/proxmox';
import { apiPath, type Params, type ProxmoxApi } from './api';
import { ProxmoxError } from './errors';
import { guestConfigSchema, guestStatusSchema, type GuestStatusRaw } from './parse';
import { upidSchema } from './tasks';

export interface GuestRef {
  node: string;
  type: GuestType;
  vmid: number;
}

/** What `availableActions` needs to know of a guest; both the discovery view and status/current give it. */
export interface GuestState {
  type: GuestType;
  status: string;
  qmpstatus?: string | undefined;
  lock?: string | undefined;
  template?: boolean | undefined;
}

export type RunState = 'running' | 'paused' | 'hibernated' | 'stopped' | 'locked' | 'template' | 'unknown';

/**
 * Where a guest is in its life, from what Proxmox says: a paused VM reports status "running"
 * with qmpstatus "paused" (newer servers may put "paused" in status directly, containers
 * "frozen"); a hibernated VM is stopped with lock "suspended"; any other lock blocks actions.
 */
export function runState(g: GuestState): RunState {
  if (g.template) return 'template';
  const status = g.status.toLowerCase();
  const qmp = g.qmpstatus?.toLowerCase();
  if (g.lock === 'suspended' && status !== 'running') return 'hibernated';
  if (g.lock && g.lock !== 'suspended') return 'locked';
  if (status === 'paused' || status === 'frozen' || (status === 'running' && (qmp === 'paused' || qmp === 'suspended' || qmp === 'prelaunch'))) return 'paused';
  if (status === 'running') return 'running';
  if (status === 'stopped') return 'stopped';
  return 'unknown';
}

/**
 * The actions that exist for this guest in this state, in the order a menu lists them. Reset
 * and hibernate are QEMU only; resume is offered for a paused guest and for a hibernated VM
 * (where it is done by `start`); a locked guest, a template and a guest on an unreachable node
 * offer nothing.
 */
export function availableActions(g: GuestState): GuestAction[] {
  const qemu = g.type === 'qemu';
  switch (runState(g)) {
    case 'stopped':
      return ['start'];
    case 'hibernated':
      return ['resume'];
    case 'running':
      return qemu ? ['shutdown', 'reboot', 'pause', 'hibernate', 'stop', 'reset'] : ['shutdown', 'reboot', 'pause', 'stop'];
    case 'paused':
      return qemu ? ['resume', 'hibernate', 'stop'] : ['resume', 'stop'];
    default:
      return [];
  }
}

export interface ActionOptions {
  /** shutdown: seconds to wait for the guest before the task fails (or stops it with forceStop). */
  timeout?: number;
  /** shutdown: stop the guest when the timeout passes instead of failing. */
  forceStop?: boolean;
}

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
  const allowed = availableActions(guest);
  if (!allowed.includes(action)) {
    const state = runState(guest);
    const kind = state === 'stopped' || state === 'hibernated' ? 'not_running' : 'parameter';
    throw new ProxmoxError(kind, `${action} is not available for ${guest.type === 'qemu' ? 'VM' : 'container'} ${guest.vmid} while it is ${state}${allowed.length ? ` (available: ${allowed.join(', ')})` : ''}`);
  }
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

/** The answer of status/current reduced to the fields availableActions reads. */
export function stateFromStatus(type: GuestType, s: { status?: string | undefined; qmpstatus?: string | undefined; lock?: string | undefined; template?: boolean | undefined }): GuestState {
  return { type, status: s.status ?? 'unknown', qmpstatus: s.qmpstatus, lock: s.lock, template: s.template };
}
