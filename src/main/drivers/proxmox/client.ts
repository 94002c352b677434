import * as z from 'zod';
import type { BulkAction, GuestAction, GuestAddress, GuestType, ProxmoxStorageInfo, SnapshotTree, TaskInfo } from '../../../shared/contract/proxmox';
import type { Clock } from '../../base/clock';
import { addressesFromConfig, guestAddresses } from './addresses';
import { createApi, type ProxmoxApi } from './api';
import type { TicketSession } from './auth';
import { scanBackups, type BackupScan } from './backups';
import { bulkAction, type BulkOptions } from './bulk';
import { qemuRunStates } from './guest-lists';
import { guestTasks, requestHaState, type HaRequest } from './ha';
import type { QemuRunInfo } from './model/guest-lists';
import type { ParseIssue } from './model/report';
import type { ProxmoxCredentials } from './model/credentials';
import { deleteGuest, guestAction, guestConfig, guestStatus } from './guests';
import type { ActionOptions, GuestRef, GuestState } from './model/guests';
import { clusterMembers, nodeStatus, type ClusterMember, type NodeStatus } from './nodes';
import { optStr } from './model/parse';
import { nodeRepos, type NodeRepos } from './repos';
import { fetchResources, type ClusterResources } from './resources';
import type { RrdPoint, RrdTimeframe } from './model/rrd';
import { guestRrd, nodeRrd } from './rrd';
import { createSnapshot, deleteSnapshot, listSnapshots, rollbackSnapshot, type CreateSnapshot } from './snapshots';
import type { StorageUsage } from './model/storage';
import { nodeStorage } from './storage';
import { followTask, nodeTasks, taskLog, taskStatus, type FollowOptions, type FollowedTask, type TaskLog } from './tasks';
import { lazySchema } from '../../../shared/contract/lazy';

export interface ProxmoxClientOptions {
  /** The cluster's name in Rackdeck (labels what the client returns). */
  name: string;
  url: string;
  credentials: ProxmoxCredentials;
  /** Pinned SHA-256 fingerprint for a self-signed cluster. */
  fingerprint?: string | undefined;
  /** Extra CA certificates (PEM), for a private CA. */
  ca?: string | undefined;
  clock: Clock;
  requestTimeoutMs?: number;
  renewAfterMs?: number;
}

const versionSchema = lazySchema(() => z.object({ version: optStr, release: optStr, repoid: optStr }));

/** One cluster: the driver's concerns composed behind one object, like GoDoxy's Client. */
export class ProxmoxClient {
  readonly name: string;
  readonly api: ProxmoxApi & { ticket?: TicketSession };
  private readonly clock: Clock;

  constructor(options: ProxmoxClientOptions) {
    this.name = options.name;
    this.clock = options.clock;
    this.api = createApi({
      baseUrl: options.url,
      credentials: options.credentials,
      clock: options.clock,
      ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.renewAfterMs ? { renewAfterMs: options.renewAfterMs } : {}),
    });
  }

  get baseUrl(): string {
    return this.api.baseUrl;
  }

  /** Checks the connection, the certificate and the credentials in one small request. */
  async version(): Promise<{ version?: string; release?: string }> {
    const v = await this.api.get('/version', versionSchema);
    return { ...(v.version ? { version: v.version } : {}), ...(v.release ? { release: v.release } : {}) };
  }

  resources(): Promise<ClusterResources> {
    return fetchResources(this.api, this.name);
  }

  /** A node's VMs with their QMP run state (paused or not) and PVE 9's pressure figures: one request. */
  qemuRunStates(node: string): Promise<{ vms: QemuRunInfo[]; issues: ParseIssue[] }> {
    return qemuRunStates(this.api, node);
  }

  /** PVE 9: one call for many guests; the UPID of the node's bulk worker. */
  bulk(action: BulkAction, vmids: readonly number[], options?: BulkOptions): Promise<string> {
    return bulkAction(this.api, action, vmids, options);
  }

  /** Asks the HA manager for a guest's state (ha-manager set SID --state …). */
  requestHaState(ref: { type: GuestType; vmid: number }, state: HaRequest): Promise<void> {
    return requestHaState(this.api, ref, state);
  }

  /** The guest's recent tasks on its node (all sources), for finding the HA manager's task. */
  guestTasks(ref: GuestRef): Promise<TaskInfo[]> {
    return guestTasks(this.api, ref);
  }

  /** The last successful backup of each guest, from the backup storages the token may read and the cluster's tasks. */
  backups(storage: readonly ProxmoxStorageInfo[], nodeOnline: (node: string) => boolean): Promise<BackupScan> {
    return scanBackups(this.api, storage, nodeOnline);
  }

  members(): Promise<{ clusterName?: string; members: ClusterMember[] }> {
    return clusterMembers(this.api);
  }

  guestStatus(ref: GuestRef) {
    return guestStatus(this.api, ref);
  }

  guestConfig(ref: GuestRef) {
    return guestConfig(this.api, ref);
  }

  action(guest: GuestRef & GuestState, action: GuestAction, options?: ActionOptions): Promise<string> {
    return guestAction(this.api, guest, action, options);
  }

  deleteGuest(ref: GuestRef): Promise<string> {
    return deleteGuest(this.api, ref);
  }

  taskStatus(upid: string): Promise<TaskInfo> {
    return taskStatus(this.api, upid);
  }

  taskLog(upid: string, start?: number, limit?: number): Promise<TaskLog> {
    return taskLog(this.api, upid, start, limit);
  }

  followTask(upid: string, options: Partial<FollowOptions> = {}): Promise<FollowedTask> {
    return followTask(this.api, upid, { clock: this.clock, ...options });
  }

  nodeTasks(node: string, options?: Parameters<typeof nodeTasks>[2]): Promise<TaskInfo[]> {
    return nodeTasks(this.api, node, options);
  }

  nodeStatus(node: string): Promise<NodeStatus> {
    return nodeStatus(this.api, node);
  }

  storage(node: string): Promise<StorageUsage[]> {
    return nodeStorage(this.api, node);
  }

  /** The node's subscription and APT repositories (two requests; the second needs Sys.Audit on the node). */
  repos(node: string): Promise<NodeRepos> {
    return nodeRepos(this.api, node);
  }

  snapshots(ref: GuestRef): Promise<SnapshotTree> {
    return listSnapshots(this.api, ref);
  }

  createSnapshot(ref: GuestRef, input: CreateSnapshot): Promise<string> {
    return createSnapshot(this.api, ref, input);
  }

  rollbackSnapshot(ref: GuestRef, name: string, options?: { start?: boolean }): Promise<string> {
    return rollbackSnapshot(this.api, ref, name, options);
  }

  deleteSnapshot(ref: GuestRef, name: string): Promise<string> {
    return deleteSnapshot(this.api, ref, name);
  }

  addresses(ref: GuestRef & { running?: boolean }): Promise<GuestAddress[]> {
    return guestAddresses(this.api, ref);
  }

  async configAddresses(ref: GuestRef): Promise<GuestAddress[]> {
    return addressesFromConfig(await this.guestConfig(ref));
  }

  guestRrd(ref: GuestRef, timeframe?: RrdTimeframe, cf?: 'AVERAGE' | 'MAX'): Promise<RrdPoint[]> {
    return guestRrd(this.api, ref, timeframe, cf);
  }

  nodeRrd(node: string, timeframe?: RrdTimeframe, cf?: 'AVERAGE' | 'MAX'): Promise<RrdPoint[]> {
    return nodeRrd(this.api, node, timeframe, cf);
  }

  close(): void {
    this.api.close();
  }
}
