import type { ClusterError, DiscoveryReport, ProxmoxChange, ProxmoxGuestInfo } from '../../shared/contract/proxmox';
import type { ServerConfig } from '../../shared/server';
import { createLoop } from '../base/loop';
import type { ProxmoxClient } from '../drivers/proxmox/client';
import type { ClusterResources } from '../drivers/proxmox/resources';
import { diffClusters, type ChangeHistory } from './changes';
import type { ClusterBook, ClusterRuntime } from './cluster-book';
import { describeError, titleOf } from './cluster-errors';
import { issueText } from '../drivers/proxmox/model/report';
import type { FrozenContainers } from './frozen';
import { guestServerId, nodeServerId, planInventory } from './inventory-map';
import type { ProxmoxEnginePort } from './port';
import { guestPower, nodePower } from './power-map';
import { readRunStates } from './run-states';
import type { TaskRegistry } from './tasks-registry';
import { guestView, nodeView, type GuestViewExtra } from './views';

/** One refresh of a cluster as listeners see it: the figures when it answered, the error when not. */
export interface ClusterRefresh {
  cluster: string;
  ok: boolean;
  at: number;
  resources?: ClusterResources;
  error?: ClusterError;
}

export interface DiscoveryDeps {
  engine: ProxmoxEnginePort;
  book: ClusterBook;
  history: ChangeHistory;
  /** The tasks in flight: their guests keep the transitional state a task holds. */
  tasks: Pick<TaskRegistry, 'running' | 'latestFor'>;
  frozen: FrozenContainers;
  /** Guests whose start waits for their node to wake: discovery leaves their "waking" alone. */
  waking: ReadonlySet<string>;
  discoveryIntervalMs?: number;
  /** What a guest's card adds from other parts (its backup, the cluster's console refusal). */
  guestExtra?(rt: ClusterRuntime, g: ProxmoxGuestInfo): Partial<GuestViewExtra>;
  /** Why the cluster's consoles cannot open with the credentials held (for its nodes' cards). */
  consoleRefusal?(rt: ClusterRuntime): string | undefined;
}

/**
 * Discovery: each cluster's refresh loop, one /cluster/resources request a refresh, turned into
 * the inventory (nodes and guests as servers), their power, "what changed", and the figures the
 * cards show. It is also the engine's power source for the servers it discovered.
 */
export class Discovery {
  private running = false;
  private readonly changeListeners = new Set<(changes: ProxmoxChange[]) => void>();
  private readonly refreshListeners = new Set<(refresh: ClusterRefresh) => void>();

  constructor(private readonly deps: DiscoveryDeps) {}

  start(): void {
    this.running = true;
    // A long-running engine asks each cluster's release once more (it may have been upgraded since).
    for (const rt of this.deps.book.all()) rt.recheckVersion = true;
    for (const rt of this.deps.book.all()) this.watch(rt);
  }

  /** Stops the loops and closes every client's connections (they reopen on the next use). */
  stop(): void {
    this.running = false;
    for (const rt of this.deps.book.all()) {
      rt.loop?.stop();
      rt.loop = undefined;
      this.deps.book.dropClient(rt);
    }
  }

  /** Starts a cluster's refresh loop, once, while discovery runs (a cluster added later joins it). */
  watch(rt: ClusterRuntime): void {
    if (!this.running || rt.loop) return;
    rt.loop = createLoop(`proxmox discovery (${rt.config.name})`, this.intervalOf(rt), async () => void (await this.refresh(rt)), { clock: this.deps.engine.clock, log: this.deps.engine.log });
    rt.loop.start();
  }

  /** Every refresh of a cluster, with its figures when it answered (metrics read them: no extra request). */
  onRefresh(listener: (refresh: ClusterRefresh) => void): () => void {
    this.refreshListeners.add(listener);
    return () => this.refreshListeners.delete(listener);
  }

  onChanges(listener: (changes: ProxmoxChange[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  async discover(name?: string): Promise<DiscoveryReport[]> {
    const targets = name ? [this.deps.book.get(name)] : this.deps.book.all();
    return Promise.all(targets.map((rt) => this.refresh(rt)));
  }

  /**
   * One refresh of one cluster: ONE /cluster/resources request, plus one VM list per node that
   * has running VMs (the only cheap way to see which are paused): at most 1 + nodes requests
   * (and /version and /cluster/status the first time it meets the cluster or a node).
   */
  async refresh(rt: ClusterRuntime): Promise<DiscoveryReport> {
    const { engine, book } = this.deps;
    const cluster = rt.config.name;
    let client: ProxmoxClient;
    let before = 0;
    try {
      client = book.clientOf(rt);
      before = client.api.requestCount;
      if (rt.version === undefined || rt.recheckVersion) this.rememberVersion(rt, (await client.version()).version ?? '');
      const resources = await client.resources();
      const issues = [...resources.issues.map(issueText), ...(await readRunStates(client, resources, rt.last?.resources))];
      this.logIssues(rt, issues);
      resources.guests = resources.guests.map((g) => this.deps.frozen.apply(g));
      if (resources.nodes.some((n) => !rt.nodeIps.has(n.name))) {
        const members = await client.members().catch(() => ({ members: [] as { name: string; ip?: string }[] }));
        for (const m of members.members) if (m.ip) rt.nodeIps.set(m.name, m.ip);
        for (const n of resources.nodes) if (!rt.nodeIps.has(n.name)) rt.nodeIps.set(n.name, '');
      }
      const now = engine.clock.now();
      const changes = diffClusters(cluster, rt.last?.resources, resources, now);
      rt.last = { at: now, resources };
      rt.status = {
        state: 'ok',
        at: now,
        nodes: resources.nodes.length,
        guests: resources.guests.length,
        storage: resources.storage.length,
        requests: client.api.requestCount - before,
        ...(rt.version ? { version: rt.version } : {}),
        ...(issues.length ? { issues: issues.slice(0, 20) } : {}),
      };
      rt.lastNoticeKey = undefined;
      if (changes.length) {
        this.deps.history.add(changes);
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
  syncInventory(rt: ClusterRuntime): void {
    const { engine } = this.deps;
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
      if (this.held(id)) continue;
      engine.reportPower(id, guestPower(g, nodes.get(g.node)));
    }
  }

  // ------------------------------------------------------------------ the engine's power source

  owns(server: ServerConfig): boolean {
    const binding = server.proxmox;
    if (!binding) return false;
    const rt = this.deps.book.find(binding.cluster);
    if (!rt) return false;
    // A node is a machine: when its cluster cannot be asked (it may be that node, asleep), the TCP probe says.
    if (server.kind === 'proxmox-node') return rt.status.state === 'ok';
    return true;
  }

  /** Refreshes the clusters whose last refresh is older than their interval (never twice in one loop period). */
  async refreshStale(): Promise<void> {
    const now = this.deps.engine.clock.now();
    const stale = this.deps.book.all().filter((rt) => rt.status.at === undefined || now - rt.status.at >= this.intervalOf(rt));
    await Promise.all(stale.map((rt) => this.refresh(rt)));
  }

  async refreshServer(id: string): Promise<void> {
    const server = this.deps.engine.servers().find((s) => s.id === id);
    const cluster = server?.proxmox?.cluster;
    if (!cluster) return;
    const rt = this.deps.book.find(cluster);
    if (rt) await this.refresh(rt);
  }

  /** What a discovered server's card shows beyond its config, from the last refresh. */
  viewExtra(server: ServerConfig) {
    const b = server.proxmox;
    if (!b) return undefined;
    const rt = this.deps.book.find(b.cluster);
    const last = rt?.last;
    if (b.vmid !== undefined && b.type) {
      // Views of hundreds of guests are built per patch: index the refresh once.
      const g = last ? (last.byId ??= new Map(last.resources.guests.map((x) => [x.id, x]))).get(`${b.type}/${b.vmid}`) : undefined;
      if (!g) return { proxmox: { ...b } };
      const task = this.deps.tasks.latestFor(server.id);
      const addresses = rt?.addresses.get(g.id)?.map((a) => a.address);
      return {
        proxmox: guestView(g, last?.resources.nodes.find((n) => n.name === g.node), {
          ...(b.discoveredName ? { discoveredName: b.discoveredName } : {}),
          ...(addresses?.length ? { addresses } : {}),
          ...(task ? { task: { upid: task.upid, action: task.action, status: task.status, outcome: task.outcome, startedAt: task.startedAt, ...(task.exitstatus ? { exitstatus: task.exitstatus } : {}) } } : {}),
          ...(rt && this.deps.guestExtra ? this.deps.guestExtra(rt, g) : {}),
        }),
      };
    }
    const n = last?.resources.nodes.find((x) => x.name === b.node);
    const refusal = rt ? this.deps.consoleRefusal?.(rt) : undefined;
    return { proxmox: n ? nodeView(n, b.discoveredName, refusal) : { ...b, ...(refusal ? { consoleRefusal: refusal } : {}) } };
  }

  // ------------------------------------------------------------------ plumbing

  /** The cluster did not answer: its guests' state is unknown; its nodes go back to the TCP probe. */
  private markUnreachable(rt: ClusterRuntime, why: string): void {
    for (const s of this.deps.engine.servers()) {
      if (s.proxmox?.cluster !== rt.config.name || s.kind === 'proxmox-node') continue;
      if (this.held(s.id)) continue;
      this.deps.engine.reportPower(s.id, { power: 'unknown', up: false, detail: `cluster unreachable: ${why}` });
    }
  }

  /** A task of ours or a wake of its node holds this guest's state: a refresh does not report over it. */
  private held(serverId: string): boolean {
    return this.deps.tasks.running(serverId) !== undefined || this.deps.waking.has(serverId);
  }

  /** The release as just read; kept in the cluster's config when it changed, so a fresh process knows it without asking. */
  private rememberVersion(rt: ClusterRuntime, version: string): void {
    rt.recheckVersion = false;
    rt.version = version;
    if (!version || rt.config.version === version) return;
    const { engine } = this.deps;
    const config = { ...rt.config, version };
    engine.writeClusters(engine.clusters().map((c) => (c.name === config.name ? config : c)));
    rt.config = config;
  }

  /** What a refresh could not read goes to the log once per distinct issue (the cluster's status lists the latest). */
  private logIssues(rt: ClusterRuntime, issues: readonly string[]): void {
    const logged = (rt.loggedIssues ??= new Set());
    for (const i of issues) {
      if (logged.has(i) || logged.size > 500) continue;
      logged.add(i);
      this.deps.engine.log.warn(`Proxmox cluster ${rt.config.name}: could not read ${i}`);
    }
  }

  private intervalOf(rt: ClusterRuntime): number {
    return rt.config.intervalMs ?? this.deps.discoveryIntervalMs ?? 10_000;
  }

  private emitRefresh(refresh: ClusterRefresh): void {
    for (const l of this.refreshListeners) {
      try {
        l(refresh);
      } catch (error) {
        this.deps.engine.log.warn('a Proxmox refresh listener failed', error);
      }
    }
  }
}
