import { randomUUID } from 'node:crypto';
import type { Notice, ServersSnapshot } from '../../shared/events';
import type { ServerConfig, ServerSpec, ServerView } from '../../shared/server';
import type { Settings } from '../../shared/settings';
import type { ConfigDocument } from '../store/config-document';
import type { ConfigStore } from '../store/config-store';
import type { Prober } from '../drivers/probe';
import type { Clock } from '../base/clock';
import { mapLimit } from '../base/concurrency';
import { notFound } from '../base/errors';
import { EventBus } from '../base/event-bus';
import type { EnginePart } from '../health/hooks';
import { applyPatch, checkInventory, findServer, slugId } from './inventory';
import type { Logger } from '../base/logger';
import { createLoop, type Loop } from '../base/loop';
import { noticeForPowerChange, type PowerChange } from './notices';
import { PatchBatcher } from './patch-batcher';
import type { PowerController, PowerHost } from '../power/controller';
import { initialRuntime, powerFromProbe, sameRuntime, type RuntimeState } from './status';
import { buildProxmoxPort } from '../proxmox/engine-port';
import type { PowerSource, ProxmoxEnginePort } from '../proxmox/port';

export interface EngineDeps {
  store: ConfigStore;
  clock: Clock;
  probe: Prober;
  log: Logger;
}

/** What a capability adds to a server's card, from its config and live state. */
export type ViewExtra = (server: ServerConfig, runtime: RuntimeState) => Partial<ServerView> | undefined;

/**
 * The one truth: the inventory from the config store, the live state of every server, the
 * status loop that keeps it current, and the events that tell the faces. It knows nothing of
 * Electron, HTTP or the terminal, and nothing of the capabilities built on it: the composition
 * root (src/main/root) gives them its ports (`powerHost`, `proxmoxPort`) and registers what they
 * add to a card (`addViewExtra`) and what they must hear (`onObserved`, `onForget`).
 */
export class Engine {
  readonly events = new EventBus();
  private doc: ConfigDocument;
  private runtime = new Map<string, RuntimeState>();
  private readonly batcher: PatchBatcher;
  private readonly statusLoop: Loop;
  private readonly startedAt: number;
  private readonly parts: EnginePart[] = [];
  private partsRunning = false;
  private readonly powerSources: PowerSource[] = [];
  private readonly viewExtras: ViewExtra[] = [];
  private readonly observers = new Set<(id: string, prev: RuntimeState, next: RuntimeState) => void>();
  private readonly forgetters = new Set<(id: string) => void>();

  constructor(private readonly deps: EngineDeps) {
    this.doc = deps.store.read();
    this.startedAt = deps.clock.now();
    for (const s of this.doc.servers) this.runtime.set(s.id, initialRuntime(this.startedAt));
    this.batcher = new PatchBatcher(deps.clock, this.doc.settings.patchWindowMs, (id) => this.view(id), (p) => this.events.emit('servers.patch', p));
    this.statusLoop = createLoop('status', this.doc.settings.statusIntervalMs, () => this.sweep(), deps);
  }

  get settings(): Settings {
    return this.doc.settings;
  }

  get startTime(): number {
    return this.startedAt;
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  /** The TCP prober the status loop uses (a fake in tests): service checks probe with the same one. */
  get prober(): Prober {
    return this.deps.probe;
  }

  get log(): Logger {
    return this.deps.log;
  }

  private readonly stopWork: Promise<unknown>[] = [];
  private readonly powerListeners = new Set<(change: PowerChange) => void>();

  /** Every power state change as it happens (patches coalesce a quick sleep-and-wake; the history needs each step). */
  onPowerChange(listener: (change: PowerChange) => void): () => void {
    this.powerListeners.add(listener);
    return () => this.powerListeners.delete(listener);
  }

  private powerChanged(change: PowerChange): void {
    for (const listener of this.powerListeners) {
      try {
        listener(change);
      } catch (error) {
        this.deps.log.warn('a power change listener failed', error);
      }
    }
  }

  /** Work a part finishes after `stop()` (the history's last write); `stopped()` waits for it. */
  finishAfterStop(work: Promise<unknown>): void {
    this.stopWork.push(work);
  }

  /** Resolves once what the parts began at `stop()` has finished; the faces await it before exiting. */
  async stopped(): Promise<void> {
    while (this.stopWork.length > 0) await Promise.allSettled(this.stopWork.splice(0));
  }

  /** A probe's observation was applied (power control follows its transitions with it). */
  onObserved(listener: (id: string, prev: RuntimeState, next: RuntimeState) => void): () => void {
    this.observers.add(listener);
    return () => this.observers.delete(listener);
  }

  /** A server left the inventory (removed, or no longer discovered): drop what is kept about it. */
  onForget(listener: (id: string) => void): () => void {
    this.forgetters.add(listener);
    return () => this.forgetters.delete(listener);
  }

  /** What a capability adds to every card, in the order added. */
  addViewExtra(extra: ViewExtra): void {
    this.viewExtras.push(extra);
  }

  private forget(id: string): void {
    for (const listener of this.forgetters) listener(id);
  }

  /**
   * A part that runs with the engine's loops (power control, the agent receiver); started now if
   * they already run. Parts stop in the reverse order, so what was built on a part stops first.
   */
  attach(part: EnginePart): void {
    this.parts.push(part);
    if (this.partsRunning) part.start();
  }

  updateSettings(patch: Partial<Settings>): Settings {
    const next = { ...this.doc, settings: { ...this.doc.settings, ...patch } };
    this.deps.store.write(next);
    this.doc = this.deps.store.read();
    this.statusLoop.setInterval(this.doc.settings.statusIntervalMs);
    return this.doc.settings;
  }

  start(): void {
    const recovery = this.deps.store.recovery;
    if (recovery) {
      this.notify({
        level: 'error',
        title: 'Your config file could not be read',
        body: `It was kept as ${recovery.backupPath} (${recovery.reason}). Rackdeck started with an empty inventory.`,
      });
    }
    this.statusLoop.start();
    this.partsRunning = true;
    for (const part of this.parts) part.start();
  }

  stop(): void {
    this.partsRunning = false;
    for (const part of [...this.parts].reverse()) part.stop();
    this.statusLoop.stop();
    this.batcher.flush();
    this.batcher.dispose();
  }

  servers(): readonly ServerConfig[] {
    return this.doc.servers;
  }

  find(ref: string): ServerConfig | undefined {
    return findServer(this.doc.servers, ref);
  }

  get(ref: string): ServerConfig {
    const s = this.find(ref);
    if (!s) throw notFound(`Server "${ref}"`);
    return s;
  }

  snapshot(): ServersSnapshot {
    this.batcher.flush();
    return { seq: this.batcher.currentSeq(), servers: this.doc.servers.map((s) => this.viewOf(s)) };
  }

  view(ref: string): ServerView | undefined {
    const s = this.find(ref);
    return s ? this.viewOf(s) : undefined;
  }

  addServer(spec: ServerSpec): ServerView {
    const id = slugId(spec.name, new Set(this.doc.servers.map((s) => s.id)));
    const server: ServerConfig = { ...spec, id, createdAt: this.deps.clock.now() };
    this.commit([...this.doc.servers, server]);
    this.runtime.set(id, initialRuntime(this.deps.clock.now()));
    this.batcher.changed(id);
    void this.probeOne(id);
    return this.viewOf(server);
  }

  editServer(ref: string, patch: Partial<ServerSpec>): ServerView {
    const current = this.get(ref);
    const next = applyPatch(current, patch);
    this.commit(this.doc.servers.map((s) => (s.id === current.id ? next : s)));
    this.batcher.changed(current.id);
    if (patch.address !== undefined || patch.ports !== undefined) void this.probeOne(current.id);
    return this.viewOf(next);
  }

  removeServer(ref: string): string {
    const target = this.get(ref);
    const children = this.doc.servers.filter((s) => s.parentId === target.id);
    // Children keep running without a parent rather than vanishing with it.
    const rest = this.doc.servers
      .filter((s) => s.id !== target.id)
      .map((s) => (s.parentId === target.id ? { ...s, parentId: undefined } : s));
    this.commit(rest);
    this.runtime.delete(target.id);
    this.forget(target.id);
    this.batcher.gone(target.id);
    for (const c of children) this.batcher.changed(c.id);
    return target.id;
  }

  async refresh(ref: string): Promise<ServerView> {
    const s = this.get(ref);
    await this.probeOne(s.id);
    return this.viewOf(this.get(s.id));
  }

  notify(notice: Omit<Notice, 'id' | 'at'> & { at?: number }): void {
    this.events.emit('notice', { id: randomUUID(), at: this.deps.clock.now(), ...notice });
  }

  /** One status sweep over every server, bounded, each host on its own deadline. */
  async sweep(): Promise<void> {
    // Servers another source reports on (Proxmox guests, nodes of a reachable cluster) are not TCP-probed.
    const ids = this.doc.servers.filter((s) => !this.sourceOf(s)).map((s) => s.id);
    await Promise.all([mapLimit(ids, this.doc.settings.probeConcurrency, (id) => this.probeOne(id)), ...this.powerSources.map((p) => p.sweep?.())]);
  }

  private async probeOne(id: string): Promise<void> {
    const server = this.doc.servers.find((s) => s.id === id);
    if (!server) return;
    const source = this.sourceOf(server);
    if (source) return source.refresh(id);
    let obs: Awaited<ReturnType<Prober>>;
    try {
      obs = await this.deps.probe(server.address, server.ports, this.doc.settings.probeTimeoutMs);
    } catch (error) {
      obs = { openPorts: {}, error: error instanceof Error ? error.message : String(error) };
    }
    this.observe(id, obs);
  }

  private observe(id: string, obs: Awaited<ReturnType<Prober>>): void {
    const prev = this.runtime.get(id);
    const server = this.doc.servers.find((s) => s.id === id);
    if (!prev || !server) return; // removed while the probe was in flight
    const now = this.deps.clock.now();
    const next = powerFromProbe(prev, obs, now);
    if (sameRuntime(prev, next)) {
      this.runtime.set(id, next); // lastSeen moves without a patch
      return;
    }
    this.runtime.set(id, next);
    this.batcher.changed(id);
    if (next.power !== prev.power) {
      const change = { serverId: id, serverName: server.name, from: prev.power, to: next.power, at: now, ...(next.detail ? { detail: next.detail } : {}) };
      this.powerChanged(change);
      const notice = noticeForPowerChange(change);
      if (notice) this.notify(notice);
    }
    for (const listener of this.observers) listener(id, prev, next);
  }

  private commit(servers: ServerConfig[]): void {
    checkInventory(servers);
    const next = { ...this.doc, servers };
    this.deps.store.write(next);
    this.doc = this.deps.store.read();
  }

  private viewOf(s: ServerConfig): ServerView {
    const rt = this.runtime.get(s.id) ?? initialRuntime(this.deps.clock.now());
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      address: s.address,
      ports: s.ports,
      ...(s.mac ? { mac: s.mac } : {}),
      ...(s.parentId ? { parentId: s.parentId } : {}),
      ...(s.ssh ? { ssh: { user: s.ssh.user, port: s.ssh.port, auth: s.ssh.auth, ...(s.ssh.keyPath ? { keyPath: s.ssh.keyPath } : {}) } } : {}),
      ...(s.notes ? { notes: s.notes } : {}),
      power: rt.power,
      since: rt.since,
      ...(rt.lastSeen !== undefined ? { lastSeen: rt.lastSeen } : {}),
      openPorts: rt.openPorts,
      ...(rt.detail ? { detail: rt.detail } : {}),
      ...this.extraViews(s, rt),
    };
  }

  // ---- The ports the composition root hands to the capabilities ----

  /** What power control may see and change of the engine. */
  powerHost(): PowerHost {
    return {
      clock: this.deps.clock,
      log: this.deps.log,
      servers: () => this.doc.servers,
      runtime: (id) => this.runtime.get(id),
      setRuntime: (id, next) => {
        const prev = this.runtime.get(id);
        const server = this.doc.servers.find((s) => s.id === id);
        if (!prev || !server) return;
        this.runtime.set(id, next);
        this.batcher.changed(id);
        if (next.power === prev.power) return;
        const change = { serverId: id, serverName: server.name, from: prev.power, to: next.power, at: this.deps.clock.now(), ...(next.detail ? { detail: next.detail } : {}) };
        this.powerChanged(change);
        const notice = noticeForPowerChange(change);
        if (notice) this.notify(notice);
      },
      probe: (id) => this.probeOne(id),
      notify: (notice) => this.notify(notice),
      changed: (id) => this.batcher.changed(id),
      updateServer: (id, change) => {
        this.commit(this.doc.servers.map((s) => (s.id === id ? change(s) : s)));
        this.batcher.changed(id);
      },
    };
  }

  // ---- Proxmox (issue 5): what the ProxmoxService may see and change of the engine ----

  private sourceOf(server: ServerConfig): PowerSource | undefined {
    return this.powerSources.find((p) => p.owns(server));
  }

  private extraViews(s: ServerConfig, rt: RuntimeState): Partial<ServerView> {
    const out: Partial<ServerView> = {};
    for (const extra of this.viewExtras) Object.assign(out, extra(s, rt));
    return out;
  }

  /** What the Proxmox capability may see and change of the engine; guests' readings meet power control's transitions here. */
  proxmoxPort(power: Pick<PowerController, 'takeReading' | 'capabilities' | 'ensureAwake'>): ProxmoxEnginePort {
    return buildProxmoxPort({
      host: this.powerHost(),
      power,
      observe: (id, obs) => this.observe(id, obs),
      applyDiscovered: (upserts, removals) => {
        const gone = new Set(removals);
        const byId = new Map(upserts.map((u) => [u.id, u]));
        const known = new Set(this.doc.servers.map((s) => s.id));
        const kept = this.doc.servers.filter((s) => !gone.has(s.id)).map((s) => byId.get(s.id) ?? (s.parentId && gone.has(s.parentId) ? { ...s, parentId: undefined } : s));
        this.commit([...kept, ...upserts.filter((u) => !known.has(u.id))]);
        for (const u of upserts) {
          if (!this.runtime.has(u.id)) this.runtime.set(u.id, initialRuntime(this.deps.clock.now()));
          this.batcher.changed(u.id);
        }
        for (const id of removals) {
          this.runtime.delete(id);
          this.forget(id);
          this.batcher.gone(id);
        }
      },
      clusters: () => this.doc.clusters,
      writeClusters: (clusters) => {
        this.deps.store.write({ ...this.doc, clusters });
        this.doc = this.deps.store.read();
      },
      addPowerSource: (source) => void this.powerSources.push(source),
      addViewExtra: (extra) => this.addViewExtra((server) => extra(server)),
    });
  }
}
