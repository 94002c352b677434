import type { ClusterView, DiscoveryReport, GuestAction, GuestAddress, GuestSummary, ProxmoxChange, SnapshotTree, StorageView, TaskInfo, TaskLogLine } from '../../shared/contract/proxmox';
import type { PowerAction } from '../../shared/server';
import type { ProxmoxClient } from '../drivers/proxmox/client';
import type { LookupQuery } from '../drivers/proxmox/model/addresses';
import type { CertificateInfo } from '../drivers/proxmox/model/endpoints';
import type { ActionOptions } from '../drivers/proxmox/model/guests';
import type { Exec, TokenSetupOptions } from '../drivers/proxmox/model/token-setup';
import { Catalog } from './catalog';
import { ChangeHistory } from './changes';
import { ClusterBook, type ClusterRuntime } from './cluster-book';
import { ClusterAdmin, type AddClusterInput } from './clusters';
import { Discovery, type ClusterRefresh } from './discovery';
import { FrozenContainers } from './frozen';
import { GuestOps } from './guest-ops';
import type { ClusterSecrets, ProxmoxClients, ProxmoxEnginePort } from './port';
import type { GuestCandidate } from './resolve';
import { TaskFollowing } from './task-following';
import { TaskRegistry, type TrackedTask } from './tasks-registry';

export type { AddClusterInput } from './clusters';
export type { ClusterRefresh } from './discovery';
export type { ClusterSecrets, ProxmoxClients } from './port';

export interface ProxmoxServiceOptions {
  engine: ProxmoxEnginePort;
  /** Where the clusters' secrets live (the encrypted store in the app, memory in tests). */
  secrets: ClusterSecrets;
  /** Opens the clusters' API clients (the HTTPS driver in the app; a lab's CA or short timeouts in tests). */
  clients: ProxmoxClients;
  taskPollMs?: number;
  taskTimeoutMs?: number;
  discoveryIntervalMs?: number;
  /** How many changes "what changed" keeps. */
  historyLimit?: number;
  /** How long a start waits for a woken node to rejoin the cluster (default 5 min). */
  nodeWaitMs?: number;
}

/**
 * The Proxmox capability in the engine, as one face for its callers (the engine, the handlers,
 * monitoring, consoles, the power controller): the clusters (clusters.ts), their discovery
 * (discovery.ts), what is known of the guests (catalog.ts), what is done to them
 * (guest-ops.ts) and the tasks that follow (task-following.ts). Decisions are the pure
 * functions beside them; this file only wires the parts and hands each call to its part.
 */
export class ProxmoxService {
  readonly history: ChangeHistory;
  readonly tasks = new TaskRegistry();
  private readonly admin: ClusterAdmin;
  private readonly discovery: Discovery;
  private readonly catalog: Catalog;
  private readonly ops: GuestOps;
  private readonly following: TaskFollowing;

  constructor(opts: ProxmoxServiceOptions) {
    const { engine } = opts;
    this.history = new ChangeHistory(opts.historyLimit ?? 500);
    const book = new ClusterBook({ engine, secrets: opts.secrets, clients: opts.clients });
    const frozen = new FrozenContainers();
    // Guests whose start waits for their node to wake: discovery leaves their "waking" alone.
    const waking = new Set<string>();
    const discovery = new Discovery({ engine, book, history: this.history, tasks: this.tasks, frozen, waking, discoveryIntervalMs: opts.discoveryIntervalMs });
    const refresh = (rt: ClusterRuntime) => discovery.refresh(rt);
    this.discovery = discovery;
    this.admin = new ClusterAdmin({ engine, book, secrets: opts.secrets, clients: opts.clients, refresh, watch: (rt) => discovery.watch(rt) });
    this.catalog = new Catalog({ engine, book, discover: (name) => discovery.discover(name) });
    this.following = new TaskFollowing({ engine, book, tasks: this.tasks, frozen, refresh, taskPollMs: opts.taskPollMs, taskTimeoutMs: opts.taskTimeoutMs });
    this.ops = new GuestOps({ engine, book, catalog: this.catalog, following: this.following, frozen, waking, refresh, syncInventory: (rt) => discovery.syncInventory(rt), taskPollMs: opts.taskPollMs, nodeWaitMs: opts.nodeWaitMs });
    engine.addPowerSource({ owns: (s) => discovery.owns(s), refresh: (id) => discovery.refreshServer(id), sweep: () => discovery.refreshStale() });
    engine.addViewExtra((s) => discovery.viewExtra(s));
  }

  // ------------------------------------------------------------------ lifecycle (an EnginePart)

  start(): void {
    this.discovery.start();
  }

  /** Stops the loops and closes every client's connections (they reopen on the next use). */
  stop(): void {
    this.discovery.stop();
  }

  onTask(listener: (task: TrackedTask) => void): () => void {
    return this.following.onTask(listener);
  }

  /** Every refresh of a cluster, with its figures when it answered (metrics read them: no extra request). */
  onRefresh(listener: (refresh: ClusterRefresh) => void): () => void {
    return this.discovery.onRefresh(listener);
  }

  onChanges(listener: (changes: ProxmoxChange[]) => void): () => void {
    return this.discovery.onChanges(listener);
  }

  // ------------------------------------------------------------------ clusters

  clusters(): ClusterView[] {
    return this.admin.clusters();
  }

  addCluster(input: AddClusterInput): Promise<{ cluster: ClusterView; report: DiscoveryReport }> {
    return this.admin.addCluster(input);
  }

  removeCluster(name: string): { removed: string; servers: number } {
    return this.admin.removeCluster(name);
  }

  inspectCertificate(url: string): Promise<CertificateInfo> {
    return this.admin.inspectCertificate(url);
  }

  trustFingerprint(name: string, fingerprint: string): Promise<ClusterView> {
    return this.admin.trustFingerprint(name, fingerprint);
  }

  setCredentials(name: string, secret: string): ClusterView {
    return this.admin.setCredentials(name, secret);
  }

  setupOverSsh(input: { name: string; url: string; fingerprint?: string; exec: Exec; options?: TokenSetupOptions }): Promise<{ cluster: ClusterView; report: DiscoveryReport; tokenId: string; privileges: string[] }> {
    return this.admin.setupOverSsh(input);
  }

  /** A separate client for a configured cluster (consoles, metrics); the caller closes it. */
  openClient(name: string): ProxmoxClient {
    return this.admin.openClient(name);
  }

  // ------------------------------------------------------------------ discovery and what it knows

  discover(name?: string): Promise<DiscoveryReport[]> {
    return this.discovery.discover(name);
  }

  guests(cluster?: string): GuestSummary[] {
    return this.catalog.guests(cluster);
  }

  resolve(ref: string): Promise<GuestCandidate> {
    return this.catalog.resolve(ref);
  }

  lookup(q: LookupQuery): GuestSummary | undefined {
    return this.catalog.lookup(q);
  }

  storage(cluster?: string): StorageView[] {
    return this.catalog.storage(cluster);
  }

  changes(options: { cluster?: string; since?: number; limit?: number } = {}): ProxmoxChange[] {
    return this.history.list(options);
  }

  // ------------------------------------------------------------------ guests

  guestAction(ref: string, action: GuestAction, options: ActionOptions & { wait?: boolean } = {}): Promise<TrackedTask> {
    return this.ops.guestAction(ref, action, options);
  }

  runPowerAction(serverId: string, action: PowerAction): Promise<TrackedTask> {
    return this.ops.runPowerAction(serverId, action);
  }

  deleteGuest(ref: string, confirmName: string): Promise<TrackedTask> {
    return this.ops.deleteGuest(ref, confirmName);
  }

  snapshots(ref: string): Promise<SnapshotTree & { guest: GuestCandidate }> {
    return this.ops.snapshots(ref);
  }

  createSnapshot(ref: string, input: { name: string; description?: string; vmstate?: boolean; wait?: boolean }): Promise<TrackedTask> {
    return this.ops.createSnapshot(ref, input);
  }

  rollbackSnapshot(ref: string, name: string, options: { start?: boolean; wait?: boolean } = {}): Promise<TrackedTask> {
    return this.ops.rollbackSnapshot(ref, name, options);
  }

  deleteSnapshot(ref: string, name: string, options: { wait?: boolean } = {}): Promise<TrackedTask> {
    return this.ops.deleteSnapshot(ref, name, options);
  }

  addresses(ref: string): Promise<GuestAddress[]> {
    return this.ops.addresses(ref);
  }

  // ------------------------------------------------------------------ tasks

  task(upid: string, cluster?: string): Promise<TrackedTask> {
    return this.following.task(upid, cluster);
  }

  taskLog(upid: string, start = 0, cluster?: string): Promise<TaskLogLine[]> {
    return this.following.taskLog(upid, start, cluster);
  }

  waitTask(upid: string): Promise<TrackedTask> {
    return this.following.waitTask(upid);
  }

  nodeTasks(node: string, cluster?: string, limit = 50): Promise<TaskInfo[]> {
    return this.following.nodeTasks(node, cluster, limit);
  }
}
