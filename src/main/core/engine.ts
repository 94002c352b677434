import { randomUUID } from 'node:crypto';
import type { Notice, ServersSnapshot } from '../../shared/events';
import type { ServerConfig, ServerSpec, ServerView } from '../../shared/server';
import type { Settings } from '../../shared/settings';
import type { ConfigDocument } from '../store/config-document';
import type { ConfigStore } from '../store/config-store';
import type { Prober } from '../drivers/probe';
import type { Clock } from './clock';
import { mapLimit } from './concurrency';
import { notFound } from './errors';
import { EventBus } from './event-bus';
import { applyPatch, checkInventory, findServer, slugId } from './inventory';
import type { Logger } from './logger';
import { createLoop, type Loop } from './loop';
import { noticeForPowerChange } from './notices';
import { PatchBatcher } from './patch-batcher';
import { initialRuntime, powerFromProbe, sameRuntime, type RuntimeState } from './status';

export interface EngineDeps {
  store: ConfigStore;
  clock: Clock;
  probe: Prober;
  log: Logger;
}

/**
 * The one truth (DESIGN.md principle 2): the inventory from the config store, the live state of
 * every server, the loops that keep it current, and the events that tell the faces. It knows
 * nothing of Electron, HTTP or the terminal.
 */
export class Engine {
  readonly events = new EventBus();
  private doc: ConfigDocument;
  private runtime = new Map<string, RuntimeState>();
  private readonly batcher: PatchBatcher;
  private readonly statusLoop: Loop;
  private readonly startedAt: number;

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
  }

  stop(): void {
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
    const ids = this.doc.servers.map((s) => s.id);
    await mapLimit(ids, this.doc.settings.probeConcurrency, (id) => this.probeOne(id));
  }

  private async probeOne(id: string): Promise<void> {
    const server = this.doc.servers.find((s) => s.id === id);
    if (!server) return;
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
      const notice = noticeForPowerChange({ serverId: id, serverName: server.name, from: prev.power, to: next.power, at: now, ...(next.detail ? { detail: next.detail } : {}) });
      if (notice) this.notify(notice);
    }
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
    };
  }
}
