import { proxmoxSettingsSchema, type BulkAction, type BulkResult, type ClusterView, type DiscoveryReport, type GuestAction, type GuestAddress, type GuestSummary, type ProxmoxChange, type ProxmoxSettings, type SnapshotTree, type StorageView, type TaskInfo, type TaskLogLine } from '../../shared/contract/proxmox';
import type { PowerAction } from '../../shared/server';
import type { ProxmoxClient } from '../drivers/proxmox/client';
import type { ProxmoxCredentials } from '../drivers/proxmox/model/credentials';
import type { LookupQuery } from '../drivers/proxmox/model/addresses';
import type { CertificateInfo } from '../drivers/proxmox/model/endpoints';
import type { NodeRepos } from '../drivers/proxmox/repos';
import type { ActionOptions } from '../drivers/proxmox/model/guests';
import type { Exec, TokenSetupOptions } from '../drivers/proxmox/model/token-setup';
import { BackupWatch, type BackupScanReport } from './backup-watch';
import { BulkOps } from './bulk-ops';
import type { BulkOptionsInput } from './bulk-plan';
import { Catalog } from './catalog';
import { ChangeHistory } from './changes';
import { ClusterBook, type ClusterRuntime } from './cluster-book';
import { ClusterAdmin, type AddClusterInput } from './clusters';
import { consoleRefusal } from './console-auth';
import { Discovery, type ClusterRefresh } from './discovery';
import { FrozenContainers } from './frozen';
import { GuestOps } from './guest-ops';
import { guestServerId } from './inventory-map';
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
  /** How long the HA manager may take to start its task for a request (default 2 min). */
  haWaitMs?: number;
  /** Where `settings.proxmox` is kept (the config document in the app; memory when not given). */
  settings?: ProxmoxSettingsStore;
}

/** The capability's settings as kept by the engine's config (settings.proxmox). */
export interface ProxmoxSettingsStore {
  read(): ProxmoxSettings;
  write(next: ProxmoxSettings): void;
}

/** Settings held in memory (tests, or a face without a config document). */
export function memorySettings(initial: Partial<ProxmoxSettings> = {}): ProxmoxSettingsStore {
  let current = proxmoxSettingsSchema.parse(initial);
  return { read: () => current, write: (next) => void (current = next) };
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
  private readonly backups: BackupWatch;
  private readonly bulkOps: BulkOps;
  private readonly book: ClusterBook;
  private readonly settingsStore: ProxmoxSettingsStore;
  private readonly engine: ProxmoxEnginePort;

  constructor(opts: ProxmoxServiceOptions) {
    const { engine } = opts;
    this.engine = engine;
    this.history = new ChangeHistory(opts.historyLimit ?? 500);
    this.settingsStore = opts.settings ?? memorySettings();
    const book = new ClusterBook({ engine, secrets: opts.secrets, clients: opts.clients });
    this.book = book;
    const frozen = new FrozenContainers();
    // Guests whose start waits for their node to wake: discovery leaves their "waking" alone.
    const waking = new Set<string>();
    this.backups = new BackupWatch({ engine, book, settings: () => this.settingsStore.read() });
    const discovery = new Discovery({
      engine,
      book,
      history: this.history,
      tasks: this.tasks,
      frozen,
      waking,
      discoveryIntervalMs: opts.discoveryIntervalMs,
      consoleRefusal: (rt) => consoleRefusal(rt.config, rt.version),
      guestExtra: (rt, g) => {
        const backup = this.backups.view(rt, g);
        const refusal = consoleRefusal(rt.config, rt.version);
        return { ...(backup ? { backup } : {}), ...(refusal ? { consoleRefusal: refusal } : {}) };
      },
    });
    const refresh = (rt: ClusterRuntime) => discovery.refresh(rt);
    this.discovery = discovery;
    discovery.onRefresh((r) => {
      const rt = book.find(r.cluster);
      if (rt && r.ok) this.backups.afterRefresh(rt);
    });
    this.admin = new ClusterAdmin({ engine, book, secrets: opts.secrets, clients: opts.clients, refresh, watch: (rt) => discovery.watch(rt) });
    this.catalog = new Catalog({ engine, book, discover: (name) => discovery.discover(name), backup: (rt, g) => this.backups.view(rt, g) });
    this.following = new TaskFollowing({ engine, book, tasks: this.tasks, frozen, refresh, taskPollMs: opts.taskPollMs, taskTimeoutMs: opts.taskTimeoutMs });
    this.ops = new GuestOps({ engine, book, catalog: this.catalog, following: this.following, frozen, waking, refresh, syncInventory: (rt) => discovery.syncInventory(rt), taskPollMs: opts.taskPollMs, nodeWaitMs: opts.nodeWaitMs, haWaitMs: opts.haWaitMs });
    this.bulkOps = new BulkOps({ engine, book, catalog: this.catalog, following: this.following });
    engine.addPowerSource({ owns: (s) => discovery.owns(s), refresh: (id) => discovery.refreshServer(id), sweep: () => discovery.refreshStale() });
    engine.addViewExtra((s) => discovery.viewExtra(s));
  }

  // ------------------------------------------------------------------ lifecycle (an EnginePart)

  start(): void {
    this.discovery.start();
    this.backups.start();
  }

  /** Stops the loops and closes every client's connections (they reopen on the next use). */
  stop(): void {
    this.backups.stop();
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

  /** A user login for the consoles of a token cluster (PVE 8 refuses tokens on consoles); null removes it. */
  setConsoleLogin(name: string, username: string | null, password?: string): Promise<ClusterView> {
    return this.admin.setConsoleLogin(name, username, password);
  }

  /** What a console of this cluster logs in with: its console login, else the cluster's credentials. */
  consoleCredentials(name: string): ProxmoxCredentials {
    return this.admin.consoleCredentials(name);
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

  /** A node's subscription and APT repositories, read now (the cluster is chosen from the node, as nodeTasks does). */
  nodeRepos(node: string, cluster?: string): Promise<NodeRepos> {
    return this.book.clientOf(cluster ? this.book.get(cluster) : this.book.ofNode(node)).repos(node);
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

  /** Many guests at once: one call per cluster on PVE 9, one per guest on PVE 8. */
  bulk(refs: readonly string[], action: BulkAction, options: BulkOptionsInput = {}): Promise<BulkResult> {
    return this.bulkOps.run(refs, action, options);
  }

  // ------------------------------------------------------------------ backups and settings

  /** Reads the backups of a cluster (or all) now. */
  async scanBackups(name?: string): Promise<BackupScanReport[]> {
    const targets = name ? [this.book.get(name)] : this.book.all();
    const out: BackupScanReport[] = [];
    for (const rt of targets) {
      if (!rt.last) await this.discovery.refresh(rt);
      out.push(await this.backups.scan(rt));
    }
    return out;
  }

  settings(): ProxmoxSettings {
    return this.settingsStore.read();
  }

  /** Changes the settings (validated; nothing is written when a value is refused); the backup loop follows. */
  setSettings(patch: Partial<ProxmoxSettings>): ProxmoxSettings {
    const next = proxmoxSettingsSchema.parse({ ...this.settingsStore.read(), ...patch });
    this.settingsStore.write(next);
    this.backups.settingsChanged();
    // The cards' "backup too old" follows the new threshold at once.
    for (const rt of this.book.all()) for (const g of rt.last?.resources.guests ?? []) this.engine.touch(guestServerId(rt.config.name, g));
    return next;
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

  /** `source: 'active'` lists the running tasks only (Proxmox's default lists the finished ones). */
  nodeTasks(node: string, cluster?: string, limit = 50, source?: 'archive' | 'active' | 'all'): Promise<TaskInfo[]> {
    return this.following.nodeTasks(node, cluster, limit, source);
  }
}
