import net from 'node:net';
import type {
  ClusterConfig,
  ClusterError,
  ClusterStatus,
  ClusterView,
  DiscoveryReport,
  GuestAction,
  GuestSummary,
  StorageView,
  GuestAddress,
  ProxmoxChange,
  ProxmoxGuestInfo,
  SnapshotTree,
  TaskInfo,
  TaskLogLine,
} from '../../shared/contract/proxmox';
import type { PowerAction, ServerConfig } from '../../shared/server';
import { ProxmoxClient } from '../drivers/proxmox/client';
import { reverseLookup, type LookupQuery } from '../drivers/proxmox/model/addresses';
import { isUserId, parseTokenSpec, type ProxmoxCredentials } from '../drivers/proxmox/model/credentials';
import { normalizeBaseUrl, normalizeFingerprint } from '../drivers/proxmox/model/endpoints';
import { ProxmoxError } from '../drivers/proxmox/model/errors';
import { availableActions, stateFromStatus, type ActionOptions } from '../drivers/proxmox/model/guests';
import { storageFromResources } from '../drivers/proxmox/model/storage';
import { setupToken, type Exec, type TokenSetupOptions } from '../drivers/proxmox/model/token-setup';
import type { ClusterResources } from '../drivers/proxmox/resources';
import { createLoop, type Loop } from '../base/loop';
import { guestActionFor, TRANSITIONAL_FOR } from './actions-map';
import { describeError, titleOf } from './cluster-errors';
import { FrozenContainers, withRunState } from './frozen';
import { ensureNodeUp } from './node-wake';
import { followGuestTask } from './task-follower';
import { ChangeHistory, diffClusters } from './changes';
import { guestServerId, nodeServerId, planInventory } from './inventory-map';
import type { ProxmoxEnginePort } from './port';
import { guestPower, nodePower } from './power-map';
import { candidateOf, resolveGuest, type GuestCandidate } from './resolve';
import { TaskRegistry, type TrackedTask } from './tasks-registry';
import { guestView, nodeView } from './views';

/**
 * The Proxmox capability in the engine: the configured clusters, their discovery loops, the
 * guests as servers, the actions on them with their tasks followed to the end, snapshots,
 * and "what changed". Decisions are the pure functions beside it; this file is the glue.
 */

export interface ClusterSecrets {
  get(cluster: string): string | undefined;
  set(cluster: string, value: string | null): void;
}

export interface AddClusterInput {
  name: string;
  url: string;
  /** USER@REALM!TOKENID=SECRET */
  token?: string;
  /** user@realm, with `password`: ticket auth. */
  username?: string;
  password?: string;
  fingerprint?: string;
  discovery?: boolean;
  intervalMs?: number;
}

interface ClusterRuntime {
  config: ClusterConfig;
  client?: ProxmoxClient;
  last?: { at: number; resources: ClusterResources; byId?: Map<string, ProxmoxGuestInfo> };
  status: ClusterStatus;
  nodeIps: Map<string, string>;
  addresses: Map<string, GuestAddress[]>;
  lastNoticeKey?: string;
  loop?: Loop;
}

/** One refresh of a cluster as listeners see it: the figures when it answered, the error when not. */
export interface ClusterRefresh {
  cluster: string;
  ok: boolean;
  at: number;
  resources?: ClusterResources;
  error?: ClusterError;
}

export interface ProxmoxServiceOptions {
  engine: ProxmoxEnginePort;
  secrets: ClusterSecrets;
  /** Builds a client for a cluster (tests pass a CA or short timeouts). */
  connect?: (config: ClusterConfig, credentials: ProxmoxCredentials) => ProxmoxClient;
  taskPollMs?: number;
  taskTimeoutMs?: number;
  discoveryIntervalMs?: number;
  /** How many changes "what changed" keeps. */
  historyLimit?: number;
  /** How long a start waits for a woken node to rejoin the cluster (default 5 min). */
  nodeWaitMs?: number;
}

export class ProxmoxService {
  readonly history: ChangeHistory;
  readonly tasks = new TaskRegistry();
  private readonly runtimes = new Map<string, ClusterRuntime>();
  private readonly following = new Map<string, Promise<TrackedTask>>();
  private readonly taskListeners = new Set<(task: TrackedTask) => void>();
  private readonly changeListeners = new Set<(changes: ProxmoxChange[]) => void>();
  private readonly refreshListeners = new Set<(refresh: ClusterRefresh) => void>();
  private running = false;
  private readonly frozen = new FrozenContainers();
  /** Guests whose start waits for their node to wake: discovery leaves their "waking" alone. */
  private readonly waking = new Set<string>();

  constructor(private readonly opts: ProxmoxServiceOptions) {
    this.history = new ChangeHistory(opts.historyLimit ?? 500);
    for (const c of opts.engine.clusters()) this.runtimes.set(c.name, this.newRuntime(c));
    opts.engine.addPowerSource({ owns: (s) => this.owns(s), refresh: (id) => this.refreshServer(id), sweep: () => this.refreshStale() });
    opts.engine.addViewExtra((s) => this.viewExtra(s));
  }

  // ------------------------------------------------------------------ lifecycle (an EnginePart)

  start(): void {
    this.running = true;
    for (const rt of this.runtimes.values()) this.startLoop(rt);
  }

  /** Stops the loops and closes every client's connections (they reopen on the next use). */
  stop(): void {
    this.running = false;
    for (const rt of this.runtimes.values()) {
      rt.loop?.stop();
      rt.loop = undefined;
      rt.client?.close();
      rt.client = undefined;
    }
  }

  onTask(listener: (task: TrackedTask) => void): () => void {
    this.taskListeners.add(listener);
    return () => this.taskListeners.delete(listener);
  }

  /** Every refresh of a cluster, with its figures when it answered (metrics read them: no extra request). */
  onRefresh(listener: (refresh: ClusterRefresh) => void): () => void {
    this.refreshListeners.add(listener);
    return () => this.refreshListeners.delete(listener);
  }

  private emitRefresh(refresh: ClusterRefresh): void {
    for (const l of this.refreshListeners) {
      try {
        l(refresh);
      } catch (error) {
        this.opts.engine.log.warn('a Proxmox refresh listener failed', error);
      }
    }
  }

  onChanges(listener: (changes: ProxmoxChange[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  // ------------------------------------------------------------------ clusters

  clusters(): ClusterView[] {
    return [...this.runtimes.values()].map((rt) => this.clusterView(rt));
  }

  /**
   * Adds a cluster after one successful contact: the certificate (system CAs or the pinned
   * fingerprint), the credentials and the first discovery. Nothing is saved when any fails.
   */
  async addCluster(input: AddClusterInput): Promise<{ cluster: ClusterView; report: DiscoveryReport }> {
    if (this.runtimes.has(input.name) || [...this.runtimes.keys()].some((n) => n.toLowerCase() === input.name.toLowerCase())) {
      throw new ProxmoxError('parameter', `A cluster named "${input.name}" already exists`, { errors: { name: 'this name is taken' } });
    }
    const url = normalizeBaseUrl(input.url);
    const fingerprint = input.fingerprint ? normalizeFingerprint(input.fingerprint) : undefined;
    let credentials: ProxmoxCredentials;
    let config: ClusterConfig;
    const base = { name: input.name, url, discovery: input.discovery ?? true, ...(fingerprint ? { fingerprint } : {}), ...(input.intervalMs ? { intervalMs: input.intervalMs } : {}), addedAt: this.opts.engine.clock.now() };
    if (input.token) {
      const { tokenId, secret } = parseTokenSpec(input.token);
      credentials = { kind: 'token', tokenId, secret };
      config = { ...base, auth: 'token', tokenId };
    } else if (input.username && input.password !== undefined) {
      if (!isUserId(input.username)) throw new ProxmoxError('parameter', 'a user is USER@REALM, e.g. root@pam', { errors: { username: 'USER@REALM' } });
      credentials = { kind: 'ticket', username: input.username, password: input.password };
      config = { ...base, auth: 'ticket', username: input.username };
    } else {
      throw new ProxmoxError('parameter', 'give an API token, or a user and a password', { errors: { token: 'required without a user' } });
    }
    const client = this.connect(config, credentials);
    const rt: ClusterRuntime = { ...this.newRuntime(config), client };
    try {
      await client.version();
    } catch (error) {
      client.close();
      throw error;
    }
    this.runtimes.set(config.name, rt);
    this.opts.secrets.set(config.name, credentials.kind === 'token' ? credentials.secret : credentials.password);
    this.opts.engine.writeClusters([...this.opts.engine.clusters().filter((c) => c.name !== config.name), config]);
    const report = await this.refresh(rt);
    if (this.running) this.startLoop(rt);
    return { cluster: this.clusterView(rt), report };
  }

  /** Removes a cluster, its secret, and every server discovery made for it. */
  removeCluster(name: string): { removed: string; servers: number } {
    const rt = this.runtime(name);
    rt.loop?.stop();
    rt.client?.close();
    this.runtimes.delete(rt.config.name);
    this.opts.secrets.set(rt.config.name, null);
    this.opts.engine.writeClusters(this.opts.engine.clusters().filter((c) => c.name !== rt.config.name));
    const owned = this.opts.engine.servers().filter((s) => s.proxmox?.cluster === rt.config.name).map((s) => s.id);
    this.opts.engine.applyDiscovered([], owned);
    return { removed: rt.config.name, servers: owned.length };
  }

  /** Pins a (new) certificate fingerprint after the admin compared it with the node's. */
  async trustFingerprint(name: string, fingerprint: string): Promise<ClusterView> {
    const rt = this.runtime(name);
    const pinned = normalizeFingerprint(fingerprint);
    const config = { ...rt.config, fingerprint: pinned };
    this.opts.engine.writeClusters(this.opts.engine.clusters().map((c) => (c.name === rt.config.name ? config : c)));
    rt.client?.close();
    rt.config = config;
    rt.client = undefined;
    await this.refresh(rt);
    return this.clusterView(rt);
  }

  /** Replaces a cluster's token or password (the secret goes to the encrypted store only). */
  setCredentials(name: string, secret: string): ClusterView {
    const rt = this.runtime(name);
    this.opts.secrets.set(rt.config.name, secret);
    rt.client?.close();
    rt.client = undefined;
    return this.clusterView(rt);
  }

  /**
   * Sets up least-privilege access over SSH on a Proxmox host (user, role, privsep token), then
   * adds the cluster with the new token. `exec` runs a command on the host.
   */
  async setupOverSsh(input: { name: string; url: string; fingerprint?: string; exec: Exec; options?: TokenSetupOptions }): Promise<{ cluster: ClusterView; report: DiscoveryReport; tokenId: string; privileges: string[] }> {
    const result = await setupToken(input.exec, input.options);
    const added = await this.addCluster({ name: input.name, url: input.url, token: `${result.tokenId}=${result.secret}`, ...(input.fingerprint ? { fingerprint: input.fingerprint } : {}) });
    return { ...added, tokenId: result.tokenId, privileges: result.privileges };
  }

  /**
   * A separate client for a configured cluster, with its stored secret and pinned certificate:
   * for consoles and other long-lived uses that should not share the discovery's connections.
   * The caller closes it.
   */
  openClient(name: string): ProxmoxClient {
    const rt = this.runtime(name);
    return this.connect(rt.config, this.credentialsOf(rt.config));
  }

  // ------------------------------------------------------------------ discovery

  async discover(name?: string): Promise<DiscoveryReport[]> {
    const targets = name ? [this.runtime(name)] : [...this.runtimes.values()];
    return Promise.all(targets.map((rt) => this.refresh(rt)));
  }

  /** One refresh of one cluster: ONE /cluster/resources request (plus /cluster/status the first time it meets a node). */
  private async refresh(rt: ClusterRuntime): Promise<DiscoveryReport> {
    const engine = this.opts.engine;
    const cluster = rt.config.name;
    let client: ProxmoxClient;
    let before = 0;
    try {
      client = this.clientOf(rt);
      before = client.api.requestCount;
      const resources = await client.resources();
      resources.guests = resources.guests.map((g) => this.frozen.apply(g));
      if (resources.nodes.some((n) => !rt.nodeIps.has(n.name))) {
        const members = await client.members().catch(() => ({ members: [] as { name: string; ip?: string }[] }));
        for (const m of members.members) if (m.ip) rt.nodeIps.set(m.name, m.ip);
        for (const n of resources.nodes) if (!rt.nodeIps.has(n.name)) rt.nodeIps.set(n.name, '');
      }
      const now = engine.clock.now();
      const changes = diffClusters(cluster, rt.last?.resources, resources, now);
      rt.last = { at: now, resources };
      rt.status = { state: 'ok', at: now, nodes: resources.nodes.length, guests: resources.guests.length, storage: resources.storage.length, requests: client.api.requestCount - before };
      rt.lastNoticeKey = undefined;
      if (changes.length) {
        this.history.add(changes);
        for (const l of this.changeListeners) l(changes);
      }
      if (rt.config.discovery) this.syncInventory(rt);
      this.emitRefresh({ cluster, ok: true, at: now, resources });
      return { cluster, ok: true, at: now, nodes: resources.nodes.length, guests: resources.guests.length, storage: resources.storage.length, requests: rt.status.requests ?? 0, changes };
    } catch (error) {
      const now = engine.clock.now();
      const err = describeError(error);
      rt.status = { ...rt.status, state: 'error', at: now, error: err };
      this.markUnreachable(rt, err.message);
      const key = `${err.kind}:${err.fingerprint ?? ''}`;
      if (rt.lastNoticeKey !== key) {
        rt.lastNoticeKey = key;
        engine.notify({ level: 'error', title: `Proxmox cluster ${cluster}: ${titleOf(err.kind)}`, body: err.message });
      }
      this.emitRefresh({ cluster, ok: false, at: now, error: err });
      return { cluster, ok: false, at: now, nodes: 0, guests: 0, storage: 0, requests: 0, changes: [], error: err };
    }
  }

  /** Writes the discovered servers (one config write when anything changed) and their power. */
  private syncInventory(rt: ClusterRuntime): void {
    const engine = this.opts.engine;
    const res = rt.last?.resources;
    if (!res) return;
    const cluster = rt.config.name;
    const guestAddresses = new Map<string, string>();
    for (const [id, list] of rt.addresses) if (list[0]) guestAddresses.set(id, list[0].address);
    const plan = planInventory({
      cluster,
      nodes: res.nodes,
      guests: res.guests,
      nodeIps: new Map([...rt.nodeIps].filter(([, ip]) => ip)),
      guestAddresses,
      servers: engine.servers(),
      now: engine.clock.now(),
    });
    if (plan.upserts.length || plan.removals.length) engine.applyDiscovered(plan.upserts, plan.removals);
    const nodes = new Map(res.nodes.map((n) => [n.name, n]));
    for (const n of res.nodes) engine.reportPower(nodeServerId(cluster, n.name), nodePower(n));
    for (const g of res.guests) {
      const id = guestServerId(cluster, g);
      // A task of ours (or a wake of its node) holds the transitional state; its end reports the confirmed state.
      if (this.tasks.running(id) || this.waking.has(id)) continue;
      engine.reportPower(id, guestPower(g, nodes.get(g.node)));
    }
  }

  /** The cluster did not answer: its guests' state is unknown; its nodes go back to the TCP probe. */
  private markUnreachable(rt: ClusterRuntime, why: string): void {
    for (const s of this.opts.engine.servers()) {
      if (s.proxmox?.cluster !== rt.config.name || s.kind === 'proxmox-node') continue;
      if (this.tasks.running(s.id) || this.waking.has(s.id)) continue;
      this.opts.engine.reportPower(s.id, { power: 'unknown', up: false, detail: `cluster unreachable: ${why}` });
    }
  }

  private owns(server: ServerConfig): boolean {
    const binding = server.proxmox;
    if (!binding) return false;
    const rt = this.runtimes.get(binding.cluster);
    if (!rt) return false;
    // A node is a machine: when its cluster cannot be asked (it may be that node, asleep), the TCP probe says.
    if (server.kind === 'proxmox-node') return rt.status.state === 'ok';
    return true;
  }

  /** Refreshes the clusters whose last refresh is older than their interval (never twice in one loop period). */
  private async refreshStale(): Promise<void> {
    const now = this.opts.engine.clock.now();
    const stale = [...this.runtimes.values()].filter((rt) => rt.status.at === undefined || now - rt.status.at >= (rt.config.intervalMs ?? this.opts.discoveryIntervalMs ?? 10_000));
    await Promise.all(stale.map((rt) => this.refresh(rt)));
  }

  private async refreshServer(id: string): Promise<void> {
    const server = this.opts.engine.servers().find((s) => s.id === id);
    const cluster = server?.proxmox?.cluster;
    if (!cluster) return;
    const rt = this.runtimes.get(cluster);
    if (rt) await this.refresh(rt);
  }

  private viewExtra(server: ServerConfig) {
    const b = server.proxmox;
    if (!b) return undefined;
    const rt = this.runtimes.get(b.cluster);
    const last = rt?.last;
    if (b.vmid !== undefined && b.type) {
      // Views of hundreds of guests are built per patch: index the refresh once.
      const g = last ? (last.byId ??= new Map(last.resources.guests.map((x) => [x.id, x]))).get(`${b.type}/${b.vmid}`) : undefined;
      if (!g) return { proxmox: { ...b } };
      const task = this.tasks.latestFor(server.id);
      const addresses = rt?.addresses.get(g.id)?.map((a) => a.address);
      return {
        proxmox: guestView(g, last?.resources.nodes.find((n) => n.name === g.node), {
          ...(b.discoveredName ? { discoveredName: b.discoveredName } : {}),
          ...(addresses?.length ? { addresses } : {}),
          ...(task ? { task: { upid: task.upid, action: task.action, status: task.status, outcome: task.outcome, startedAt: task.startedAt, ...(task.exitstatus ? { exitstatus: task.exitstatus } : {}) } } : {}),
        }),
      };
    }
    const n = last?.resources.nodes.find((x) => x.name === b.node);
    return { proxmox: n ? nodeView(n, b.discoveredName) : { ...b } };
  }

  // ------------------------------------------------------------------ guests

  guests(cluster?: string): GuestSummary[] {
    const names = new Map(this.opts.engine.servers().map((s) => [s.id, s.name]));
    const out: GuestSummary[] = [];
    for (const rt of this.runtimes.values()) {
      if (cluster && rt.config.name !== cluster) continue;
      const res = rt.last?.resources;
      if (!res) continue;
      const nodes = new Map(res.nodes.map((n) => [n.name, n]));
      for (const g of res.guests) {
        const node = nodes.get(g.node);
        const c = candidateOf(g, names.get(guestServerId(g.cluster, g)));
        out.push({ ...c, power: guestPower(g, node).power, actions: node?.status === 'online' ? availableActions(g) : [], nodeStatus: node?.status ?? 'unknown' });
      }
    }
    return out;
  }

  /** Finds a guest by reference, discovering first when nothing is known yet. */
  async resolve(ref: string): Promise<GuestCandidate> {
    if ([...this.runtimes.values()].some((rt) => !rt.last)) await this.discover();
    const r = resolveGuest(this.guests(), ref);
    if (r.ok) return r.guest;
    if (r.reason === 'ambiguous') {
      throw new ProxmoxError('parameter', `"${ref}" matches ${r.candidates.length} guests: ${r.candidates.map((c) => `${c.cluster}/${c.vmid} (${c.name})`).join(', ')}; use CLUSTER/VMID`);
    }
    throw new ProxmoxError('not_found', this.runtimes.size === 0 ? 'No Proxmox cluster is configured: add one with rackdeck proxmox add' : `No guest "${ref}" in ${[...this.runtimes.keys()].join(', ')}`);
  }

  /**
   * Runs a guest action: refuses what the guest's present state does not allow (read fresh
   * from the guest), holds the transitional state, and follows the task to its end in the
   * background; the end state is read back from the guest. `wait` resolves at the end.
   */
  async guestAction(ref: string, action: GuestAction, options: ActionOptions & { wait?: boolean } = {}): Promise<TrackedTask> {
    const g = await this.resolve(ref);
    const rt = this.runtime(g.cluster);
    if (action === 'start' || action === 'resume') await this.ensureNodeUp(rt, g);
    this.waking.delete(g.serverId);
    const client = this.clientOf(rt);
    const fresh = await client.guestStatus(g);
    const state = stateFromStatus(g.type, this.frozen.apply(withRunState(g, fresh)));
    const upid = await client.action({ ...g, ...state }, action, options);
    this.opts.engine.holdTransitional(g.serverId, TRANSITIONAL_FOR[action], `${action}: task running`);
    const task = this.track(rt, upid, action, g);
    return options.wait ? this.waitTask(task.upid) : task;
  }

  private ensureNodeUp(rt: ClusterRuntime, g: GuestCandidate): Promise<void> {
    return ensureNodeUp(
      {
        engine: this.opts.engine,
        online: () => rt.status.state === 'ok' && rt.last?.resources.nodes.find((n) => n.name === g.node)?.status === 'online',
        refresh: async () => void (await this.refresh(rt)),
        waking: this.waking,
        nodeWaitMs: this.opts.nodeWaitMs ?? 5 * 60_000,
        pollMs: this.opts.taskPollMs ?? 2_000,
      },
      g,
    );
  }

  /** For the reconcile loop and the tray: a generic power action on a guest server. */
  async runPowerAction(serverId: string, action: PowerAction): Promise<TrackedTask> {
    const g = await this.resolve(serverId);
    const rt = this.runtime(g.cluster);
    if (action === 'wake') await this.ensureNodeUp(rt, g);
    const fresh = await this.clientOf(rt).guestStatus(g);
    const ga = guestActionFor(action, this.frozen.apply(withRunState(g, fresh)));
    if (!ga) throw new ProxmoxError('not_running', `${g.name} cannot ${action} in its present state`);
    return this.guestAction(g.serverId, ga);
  }

  async deleteGuest(ref: string, confirmName: string): Promise<TrackedTask> {
    const g = await this.resolve(ref);
    if (confirmName !== g.name) throw new ProxmoxError('parameter', `Type the guest's name "${g.name}" exactly to delete it`, { errors: { confirmName: `type ${g.name}` } });
    const rt = this.runtime(g.cluster);
    const client = this.clientOf(rt);
    const fresh = await client.guestStatus(g);
    if (fresh.status !== 'stopped') throw new ProxmoxError('not_running', `${g.name} is ${fresh.status}: stop it before deleting it`);
    const upid = await client.deleteGuest(g);
    return this.track(rt, upid, 'delete', g);
  }

  async snapshots(ref: string): Promise<SnapshotTree & { guest: GuestCandidate }> {
    const g = await this.resolve(ref);
    const tree = await this.clientOf(this.runtime(g.cluster)).snapshots(g);
    return { ...tree, guest: g };
  }

  async createSnapshot(ref: string, input: { name: string; description?: string; vmstate?: boolean; wait?: boolean }): Promise<TrackedTask> {
    const g = await this.resolve(ref);
    const rt = this.runtime(g.cluster);
    const upid = await this.clientOf(rt).createSnapshot(g, { name: input.name, ...(input.description ? { description: input.description } : {}), ...(input.vmstate ? { vmstate: true } : {}) });
    const task = this.track(rt, upid, `snapshot ${input.name}`, g);
    return input.wait ? this.waitTask(task.upid) : task;
  }

  async rollbackSnapshot(ref: string, name: string, options: { start?: boolean; wait?: boolean } = {}): Promise<TrackedTask> {
    const g = await this.resolve(ref);
    const rt = this.runtime(g.cluster);
    const upid = await this.clientOf(rt).rollbackSnapshot(g, name, options.start !== undefined ? { start: options.start } : {});
    const task = this.track(rt, upid, `rollback ${name}`, g);
    return options.wait ? this.waitTask(task.upid) : task;
  }

  async deleteSnapshot(ref: string, name: string, options: { wait?: boolean } = {}): Promise<TrackedTask> {
    const g = await this.resolve(ref);
    const rt = this.runtime(g.cluster);
    const upid = await this.clientOf(rt).deleteSnapshot(g, name);
    const task = this.track(rt, upid, `delete snapshot ${name}`, g);
    return options.wait ? this.waitTask(task.upid) : task;
  }

  /** A guest's IPs (agent, LXC interfaces, config); the first becomes its server's address. */
  async addresses(ref: string): Promise<GuestAddress[]> {
    const g = await this.resolve(ref);
    const rt = this.runtime(g.cluster);
    const list = await this.clientOf(rt).addresses({ ...g, running: g.status === 'running' });
    rt.addresses.set(g.id, list);
    if (rt.config.discovery) this.syncInventory(rt);
    this.opts.engine.touch(g.serverId);
    return list;
  }

  /** Reverse lookup over what is known (IPs learned so far, names, hostnames). */
  lookup(q: LookupQuery): GuestSummary | undefined {
    const all = this.guests();
    const addresses = new Map<string, GuestAddress[]>();
    for (const rt of this.runtimes.values()) for (const [id, list] of rt.addresses) addresses.set(`${rt.config.name}:${id}`, list);
    const keyed = all.map((g) => ({ ...g, id: `${g.cluster}:${g.id}` }));
    const hit = reverseLookup(keyed, addresses, q);
    return hit ? all.find((g) => `${g.cluster}:${g.id}` === hit.id) : undefined;
  }

  storage(cluster?: string): StorageView[] {
    const out: StorageView[] = [];
    for (const rt of this.runtimes.values()) {
      if (cluster && rt.config.name !== cluster) continue;
      for (const s of storageFromResources(rt.last?.resources.storage ?? [])) out.push({ ...s, cluster: rt.config.name });
    }
    return out;
  }

  async nodeTasks(node: string, cluster?: string, limit = 50): Promise<TaskInfo[]> {
    const rt = cluster ? this.runtime(cluster) : this.clusterOfNode(node);
    return this.clientOf(rt).nodeTasks(node, { limit });
  }

  changes(options: { cluster?: string; since?: number; limit?: number } = {}): ProxmoxChange[] {
    return this.history.list(options);
  }

  // ------------------------------------------------------------------ tasks

  /** A task Rackdeck follows, or any task of a configured cluster read once (with its log). */
  async task(upid: string, cluster?: string): Promise<TrackedTask> {
    const known = this.tasks.get(upid);
    if (known) return known;
    const node = /^UPID:([^:]+):/.exec(upid)?.[1];
    const rt = cluster ? this.runtime(cluster) : node ? this.clusterOfNode(node) : undefined;
    if (!rt) throw new ProxmoxError('not_found', `No cluster knows task ${upid}`);
    const client = this.clientOf(rt);
    const info = await client.taskStatus(upid);
    const log = await client.taskLog(upid);
    return { upid, cluster: rt.config.name, node: info.node, action: info.type, type: info.type, status: info.status, outcome: info.outcome, ...(info.exitstatus ? { exitstatus: info.exitstatus } : {}), startedAt: info.starttime * 1000, ...(info.endtime ? { endedAt: info.endtime * 1000 } : {}), log: log.lines };
  }

  async taskLog(upid: string, start = 0, cluster?: string): Promise<TaskLogLine[]> {
    const t = await this.task(upid, cluster);
    return t.log.filter((l) => l.n > start);
  }

  /** Resolves when a followed task has ended and the guest's state has been read back. */
  async waitTask(upid: string): Promise<TrackedTask> {
    const p = this.following.get(upid);
    if (p) return p;
    return this.task(upid);
  }

  private track(rt: ClusterRuntime, upid: string, action: string, g: GuestCandidate): TrackedTask {
    const type = /^UPID:[^:]+:[^:]+:[^:]+:[^:]+:([^:]+):/.exec(upid)?.[1] ?? action;
    const task = this.tasks.start({ upid, cluster: rt.config.name, node: g.node, serverId: g.serverId, action, type, startedAt: this.opts.engine.clock.now() });
    this.emitTask(task);
    this.opts.engine.touch(g.serverId);
    const done = this.follow(rt, task, g);
    this.following.set(upid, done);
    void done.finally(() => this.following.delete(upid));
    return task;
  }

  private follow(rt: ClusterRuntime, task: TrackedTask, g: GuestCandidate): Promise<TrackedTask> {
    return followGuestTask(
      {
        engine: this.opts.engine,
        client: this.clientOf(rt),
        tasks: this.tasks,
        frozen: this.frozen,
        emit: (t) => this.emitTask(t),
        remember: (guest) => this.rememberGuest(rt, guest),
        refresh: () => void this.refresh(rt),
        pollMs: this.opts.taskPollMs ?? 1000,
        timeoutMs: this.opts.taskTimeoutMs ?? 15 * 60_000,
      },
      task,
      g,
    );
  }

  /** Keeps the last discovery's copy of a guest in step with what was just read back. */
  private rememberGuest(rt: ClusterRuntime, g: ProxmoxGuestInfo): void {
    const res = rt.last?.resources;
    if (!res) return;
    const at = res.guests.findIndex((x) => x.id === g.id);
    if (at >= 0) res.guests[at] = withRunState(res.guests[at] as ProxmoxGuestInfo, g);
    if (rt.last) delete rt.last.byId;
  }

  private emitTask(task: TrackedTask): void {
    for (const l of this.taskListeners) l(task);
  }

  // ------------------------------------------------------------------ plumbing

  private newRuntime(config: ClusterConfig): ClusterRuntime {
    // Node IPs learned by an earlier run live on in the node servers' addresses: no /cluster/status needed for them.
    const nodeIps = new Map<string, string>();
    for (const s of this.opts.engine.servers()) {
      if (s.proxmox?.cluster === config.name && s.kind === 'proxmox-node' && net.isIP(s.address)) nodeIps.set(s.proxmox.node, s.address);
    }
    return { config, status: { state: 'never', nodes: 0, guests: 0, storage: 0 }, nodeIps, addresses: new Map() };
  }

  private runtime(name: string): ClusterRuntime {
    const rt = this.runtimes.get(name) ?? [...this.runtimes.values()].find((r) => r.config.name.toLowerCase() === name.toLowerCase());
    if (!rt) throw new ProxmoxError('not_found', `No Proxmox cluster named "${name}"${this.runtimes.size ? ` (known: ${[...this.runtimes.keys()].join(', ')})` : ''}`);
    return rt;
  }

  private clusterOfNode(node: string): ClusterRuntime {
    const hits = [...this.runtimes.values()].filter((rt) => rt.last?.resources.nodes.some((n) => n.name === node));
    if (hits.length === 1) return hits[0] as ClusterRuntime;
    if (this.runtimes.size === 1) return [...this.runtimes.values()][0] as ClusterRuntime;
    throw new ProxmoxError('not_found', hits.length ? `Node ${node} is in several clusters; name the cluster` : `No cluster has a node named ${node}`);
  }

  private credentialsOf(config: ClusterConfig): ProxmoxCredentials {
    const secret = this.opts.secrets.get(config.name);
    if (secret === undefined) throw new ProxmoxError('auth', `No ${config.auth === 'token' ? 'token secret' : 'password'} is stored for cluster ${config.name}; set it again`);
    if (config.auth === 'token') return { kind: 'token', tokenId: config.tokenId ?? '', secret };
    return { kind: 'ticket', username: config.username ?? '', password: secret };
  }

  private connect(config: ClusterConfig, credentials: ProxmoxCredentials): ProxmoxClient {
    if (this.opts.connect) return this.opts.connect(config, credentials);
    return new ProxmoxClient({ name: config.name, url: config.url, credentials, fingerprint: config.fingerprint, clock: this.opts.engine.clock });
  }

  private clientOf(rt: ClusterRuntime): ProxmoxClient {
    if (!rt.client) rt.client = this.connect(rt.config, this.credentialsOf(rt.config));
    return rt.client;
  }

  private startLoop(rt: ClusterRuntime): void {
    if (rt.loop) return;
    const interval = rt.config.intervalMs ?? this.opts.discoveryIntervalMs ?? 10_000;
    rt.loop = createLoop(`proxmox discovery (${rt.config.name})`, interval, async () => void (await this.refresh(rt)), { clock: this.opts.engine.clock, log: this.opts.engine.log });
    rt.loop.start();
  }

  private clusterView(rt: ClusterRuntime): ClusterView {
    return { ...rt.config, hasSecret: this.opts.secrets.get(rt.config.name) !== undefined, status: rt.status };
  }
}
