import type { BulkAction } from '../../../shared/contract/proxmox';
import { apiPath, type Params, type ProxmoxApi } from './api';
import { ProxmoxError } from './model/errors';
import { upidSchema } from './tasks';

export interface BulkOptions {
  /** shutdown: seconds per guest before it is stopped (force-stop) or its shutdown fails. */
  timeout?: number;
  /** shutdown: stop a guest that did not shut down in time (PVE 9's default is to). */
  forceStop?: boolean;
  /** suspend: to disk. */
  toDisk?: boolean;
  /** How many guests the node's worker drives at once (Proxmox's default: 4). */
  maxWorkers?: number;
}

/** Pure: the request of a bulk action (PVE 9's /cluster/bulk-action/guest/{start,shutdown,suspend}). */
export function bulkRequest(action: BulkAction, vmids: readonly number[], options: BulkOptions = {}): { path: string; params: Params } {
  // Without `vms` the bulk endpoints act on EVERY guest of the cluster: never send an empty list.
  if (vmids.length === 0) throw new ProxmoxError('parameter', 'a bulk action needs at least one guest', { errors: { vms: 'empty' } });
  const params: Params = { vms: [...vmids] };
  if (options.maxWorkers !== undefined) params['max-workers'] = Math.max(1, Math.min(64, Math.round(options.maxWorkers)));
  if (action === 'shutdown') {
    if (options.timeout !== undefined) params.timeout = options.timeout;
    if (options.forceStop !== undefined) params['force-stop'] = options.forceStop;
  }
  if (action === 'start' && options.timeout !== undefined) params.timeout = options.timeout;
  if (action === 'suspend' && options.toDisk) params['to-disk'] = true;
  return { path: apiPath`/cluster/bulk-action/guest/${action}`, params };
}

/** One call for many guests: answers the UPID of the node's bulk worker (a 501 on PVE 8). */
export function bulkAction(api: ProxmoxApi, action: BulkAction, vmids: readonly number[], options: BulkOptions = {}): Promise<string> {
  const { path, params } = bulkRequest(action, vmids, options);
  return api.post(path, upidSchema, params);
}
