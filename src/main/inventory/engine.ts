import { randomUUID } from 'node:crypto';
import type { Notice, ServersSnapshot } from '../../shared/events';
import type { ServerConfig, ServerSpec, ServerView } from '../../shared/server';
import type { Settings } from '../../shared/settings';
import type { ConfigDocument } from '../store/config-document';
import type { ConfigChange, ConfigStore } from '../store/config-store';
import type { SetAsideServer } from '../../shared/contract/servers';
import type { Prober } from '../drivers/probe';
import type { Clock } from '../base/clock';
import { StatusProbing } from './status-probing';
import { notFound } from '../base/errors';
import { EventBus } from '../base/event-bus';
import type { EnginePart } from '../health/hooks';
import { applyPatch, checkInventory, findServer, slugId } from './inventory';
import { ServerIndex } from './server-index';
import { applyDiscovery, diffDocuments, mergeClusters, noticeForExternalChange, noticeForMissing, noticeForSetAside, noticeForUnreadable, noticeForUnusable } from './external-changes';
import type { Logger } from '../base/logger';
import { noticeForPowerChange, type PowerChange } from './notices';
import { PatchBatcher } from './patch-batcher';
import type { PowerController, PowerHost } from '../power/controller';
import { initialRuntime, powerFromProbe, sameRuntime, type RuntimeState } from './status';
import { serverView } from './view';
import { Listeners } from './listeners';
import { patchEmitter } from './patch-emitter';
import { buildProxmoxPort } from '../proxmox/engine-port';
import type { PowerSource, ProxmoxEnginePort } from '../proxmox/port';

export interface EngineDeps {
  store: ConfigStore;
  clock: Clock;
  probe: Prober;
  log: Logger;
  synRetriesMs?: readonly number[]; // when the OS resends an unanswered SYN (inventory/watch.ts); none known: left out
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
  private readonly index = new ServerIndex();
  private readonly batcher: PatchBatcher;
  private readonly emitter = patchEmitter(this.events);
  private readonly probing: StatusProbing;
  private readonly startedAt: number;
  private readonly parts: EnginePart[] = [];
  private partsRunning = false;
  private readonly powerSources: PowerSource[] = [];
  private readonly viewExtras: ViewExtra[] = [];
  private readonly observers = new Listeners<[id: string, prev: RuntimeState, next: RuntimeState]>();
  private readonly forgetters = new Listeners<[id: string]>();
  private readonly powerListeners: Listeners<[change: PowerChange]>;
  private stopWatching: (() => void) | undefined;

  constructor(private readonly deps: EngineDeps) {
    this.doc = deps.store.read();
    // Before any write: a write may first take in a change someone else made to the file.
    deps.store.onChange((change) => this.configChanged(change));
    this.startedAt = deps.clock.now();
    this.powerListeners = new Listeners((error) => deps.log.warn('a power change listener failed', error));
    for (const s of this.doc.servers) this.runtime.set(s.id, initialRuntime(this.startedAt));
    this.batcher = new PatchBatcher(deps.clock, this.doc.settings.patchWindowMs, (id) => this.view(id), (p) => this.emitter.send(p));
    this.probing = new StatusProbing({
      clock: deps.clock,
      log: deps.log,
      probe: deps.probe,
      settings: () => this.doc.settings,
      servers: () => this.doc.servers,
      server: (id) => this.index.get(this.doc.servers, id),
      power: (id) => this.runtime.get(id)?.power,
      sourceOf: (server) => this.sourceOf(server),
      sources: () => this.powerSources,
      observe: (id, obs) => this.observe(id, obs),
      synRetriesMs: deps.synRetriesMs ?? [],
    });
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

  /** Every power state change as it happens (patches coalesce a quick sleep-and-wake; the history needs each step). */
  onPowerChange(listener: (change: PowerChange) => void): () => void {
    return this.powerListeners.add(listener);
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
    return this.observers.add(listener);
  }

  /** A server left the inventory (removed, or no longer discovered): drop what is kept about it. */
  onForget(listener: (id: string) => void): () => void {
    return this.forgetters.add(listener);
  }

  /** What a capability adds to every card, in the order added. */
  addViewExtra(extra: ViewExtra): void {
    this.viewExtras.push(extra);
  }

  /** A server joined the inventory: live state from now, and a patch. */
  private track(id: string): void {
    if (!this.runtime.has(id)) this.runtime.set(id, initialRuntime(this.deps.clock.now()));
    this.batcher.changed(id);
  }

  /** A server left the inventory: its live state, what the capabilities keep about it, and a patch. */
  private untrack(id: string): void {
    this.runtime.delete(id);
    this.probing.prober.forget(id);
    this.forgetters.emit(id);
    this.batcher.gone(id);
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
    this.commit((doc) => ({ ...doc, settings: { ...doc.settings, ...patch } }));
    this.probing.retime();
    return this.doc.settings;
  }

  start(): void {
    // What the store could not load when it opened: the whole file, or some servers.
    for (const notice of [noticeForUnreadable(this.deps.store.recovery), noticeForSetAside(this.deps.store.setAsideAtOpen)]) if (notice) this.notify(notice);
    this.stopWatching ??= this.deps.store.watch();
    this.probing.start();
    this.partsRunning = true;
    for (const part of this.parts) part.start();
  }

  stop(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
    this.partsRunning = false;
    for (const part of [...this.parts].reverse()) part.stop();
    this.probing.stop();
    this.batcher.flush();
    this.batcher.dispose();
    // What this engine wrote to config.json is judged once now, not by the next process at its start.
    this.deps.store.vouchForLastWrite();
  }

  servers(): readonly ServerConfig[] {
    return this.doc.servers;
  }

  find(ref: string): ServerConfig | undefined {
    return this.index.get(this.doc.servers, ref) ?? findServer(this.doc.servers, ref);
  }

  get(ref: string): ServerConfig {
    const s = this.find(ref);
    if (!s) throw notFound(`Server "${ref}"`);
    return s;
  }

  snapshot(): ServersSnapshot {
    this.batcher.flush();
    return this.emitter.snapshot({ seq: this.batcher.currentSeq(), servers: this.doc.servers.map((s) => this.viewOf(s)) });
  }

  view(ref: string): ServerView | undefined {
    const s = this.find(ref);
    return s ? this.viewOf(s) : undefined;
  }

  // Each change is a function of the document as it is on disk when written (see `commit`):
  // ids, names and parents are checked against that, not against what this engine last saw.

  addServer(spec: ServerSpec): ServerView {
    const added = this.commitServers((servers) => {
      const server: ServerConfig = { ...spec, id: slugId(spec.name, new Set(servers.map((s) => s.id))), createdAt: this.deps.clock.now() };
      return [[...servers, server], server];
    });
    this.track(added.id);
    void this.probing.probeOne(added.id);
    return this.viewOf(added);
  }

  editServer(ref: string, patch: Partial<ServerSpec>): ServerView {
    const edited = this.commitServers((servers) => {
      const current = findServer(servers, ref);
      if (!current) throw notFound(`Server "${ref}"`);
      const next = applyPatch(current, patch);
      return [servers.map((s) => (s.id === current.id ? next : s)), next];
    });
    this.batcher.changed(edited.id);
    if (patch.address !== undefined) this.probing.prober.forget(edited.id); // another host's round trips
    if (patch.address !== undefined || patch.ports !== undefined || patch.ssh !== undefined) void this.probing.probeOne(edited.id);
    return this.viewOf(edited);
  }

  removeServer(ref: string): string {
    const { id, children } = this.commitServers((servers) => {
      const target = findServer(servers, ref);
      if (!target) throw notFound(`Server "${ref}"`);
      // Children keep running without a parent rather than vanishing with it.
      const rest = servers.filter((s) => s.id !== target.id).map((s) => (s.parentId === target.id ? { ...s, parentId: undefined } : s));
      return [rest, { id: target.id, children: servers.filter((s) => s.parentId === target.id) }];
    });
    this.untrack(id);
    for (const c of children) this.batcher.changed(c.id);
    return id;
  }

  /** Server entries of config.json set aside because they could not be loaded (kept beside the file). */
  rejected(): SetAsideServer[] {
    return this.deps.store.rejected();
  }

  async refresh(ref: string): Promise<ServerView> {
    const s = this.get(ref);
    await this.probing.probeOne(s.id);
    return this.viewOf(this.get(s.id));
  }

  notify(notice: Omit<Notice, 'id' | 'at'> & { at?: number }): void {
    this.events.emit('notice', { id: randomUUID(), at: this.deps.clock.now(), ...notice });
  }

  /** One status sweep over every server (inventory/status-probing.ts). */
  sweep(): Promise<void> {
    return this.probing.sweep();
  }

  private observe(id: string, obs: Awaited<ReturnType<Prober>>): void {
    const prev = this.runtime.get(id);
    const server = this.index.get(this.doc.servers, id);
    if (!prev || !server) return; // removed while the probe was in flight
    const now = this.deps.clock.now();
    const next = powerFromProbe(prev, obs, now);
    if (sameRuntime(prev, next)) {
      this.runtime.set(id, next); // lastSeen moves without a patch
      return;
    }
    this.runtime.set(id, next);
    this.batcher.changed(id);
    this.announce(server, prev, next);
    this.observers.emit(id, prev, next);
  }

  /** A power state change: to the history's listeners, and as a notice when it is news. */
  private announce(server: ServerConfig, prev: RuntimeState, next: RuntimeState): void {
    if (next.power === prev.power) return;
    const change = { serverId: server.id, serverName: server.name, from: prev.power, to: next.power, at: this.deps.clock.now(), ...(next.detail ? { detail: next.detail } : {}) };
    this.powerListeners.emit(change);
    const notice = noticeForPowerChange(change);
    if (notice) this.notify(notice);
  }

  /**
   * Every write of config.json: `change` is applied by the store to the document on disk, under
   * its lock; if someone else changed the file since, their change is taken in first
   * (`configChanged`), so neither is lost. Throws, changing nothing, when `change` refuses or
   * the file on disk cannot be used.
   */
  private commit(change: (doc: ConfigDocument) => ConfigDocument): void {
    this.doc = this.deps.store.update(change);
  }

  /** A change of the servers, checked as a whole (names, parents); returns what `change` says about it. */
  private commitServers<T>(change: (servers: ServerConfig[]) => [ServerConfig[], T]): T {
    let result: { said: T } | undefined;
    this.commit((doc) => {
      const [servers, said] = change(doc.servers);
      checkInventory(servers);
      result = { said };
      return { ...doc, servers };
    });
    return (result as { said: T }).said;
  }

  /** A config.json someone else wrote: applied (inventory, runtime, patches, notices), or refused with a notice. */
  private configChanged(change: ConfigChange): void {
    try {
      if (change.kind === 'invalid') return this.notify(noticeForUnusable(this.deps.store.path, change.reason, this.doc.servers.length));
      if (change.kind === 'missing') return this.notify(noticeForMissing(this.deps.store.path, this.doc.servers.length));
      const prev = this.doc;
      const diff = diffDocuments(prev, change.doc);
      this.doc = change.doc;
      for (const id of diff.removed) this.untrack(id);
      for (const id of [...diff.added, ...diff.changed]) this.track(id);
      for (const id of [...diff.added, ...diff.reprobe]) void this.probing.probeOne(id);
      if (diff.settingsChanged) this.probing.retime();
      for (const notice of [noticeForExternalChange(prev, change.doc, diff, change.recovered), noticeForSetAside(change.setAside)]) if (notice) this.notify(notice);
    } catch (error) {
      this.deps.log.error('applying a change of config.json failed', error);
    }
  }

  private viewOf(s: ServerConfig): ServerView {
    const rt = this.runtime.get(s.id) ?? initialRuntime(this.deps.clock.now());
    const extras: Partial<ServerView> = {};
    for (const extra of this.viewExtras) Object.assign(extras, extra(s, rt));
    return serverView(s, rt, extras);
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
        const server = this.index.get(this.doc.servers, id);
        if (!prev || !server) return;
        this.runtime.set(id, next);
        this.batcher.changed(id);
        this.announce(server, prev, next);
      },
      probe: (id) => this.probing.probeOne(id),
      notify: (notice) => this.notify(notice),
      changed: (id) => this.batcher.changed(id),
      updateServer: (id, change) => {
        this.commitServers((servers) => [servers.map((s) => (s.id === id ? change(s) : s)), undefined]);
        this.batcher.changed(id);
      },
    };
  }

  // ---- Proxmox (issue 5): what the ProxmoxService may see and change of the engine ----

  private sourceOf(server: ServerConfig): PowerSource | undefined {
    return this.powerSources.find((p) => p.owns(server));
  }

  /** What the Proxmox capability may see and change of the engine; guests' readings meet power control's transitions here. */
  proxmoxPort(power: Pick<PowerController, 'takeReading' | 'capabilities' | 'ensureAwake'>): ProxmoxEnginePort {
    return buildProxmoxPort({
      host: this.powerHost(),
      power,
      observe: (id, obs) => this.observe(id, obs),
      applyDiscovered: (upserts, removals) => {
        this.commitServers((servers) => [applyDiscovery(servers, upserts, removals), undefined]);
        for (const u of upserts) this.track(u.id);
        for (const id of removals) this.untrack(id);
      },
      clusters: () => this.doc.clusters,
      // Computed from the clusters this engine holds; replayed by name on the ones on disk.
      writeClusters: (clusters) => {
        const base = this.doc.clusters;
        this.commit((doc) => ({ ...doc, clusters: mergeClusters(base, clusters, doc.clusters) }));
      },
      addPowerSource: (source) => void this.powerSources.push(source),
      addViewExtra: (extra) => this.addViewExtra((server) => extra(server)),
    });
  }
}
