import { HandlerError, notFound } from '../base/errors';
import {
  wakeProxyInputSchema,
  wakeProxyListenerSchema,
  type WakeProxyCounts,
  type WakeProxyInput,
  type WakeProxyListener,
  type WakeProxyView,
} from '../../shared/contract/wake-proxy';
import { clashOf, connectTimeoutMs, countsOf, listenerId, planConnection, retryDelayMs } from './model';
import type { BoundListener, HeldConnection, ProxyIo, WakeProxyHost, WakeResult } from './ports';

interface Live {
  active: number;
  waiting: number;
  total: number;
  lastFailure?: { at: number; reason: string };
}

interface Binding {
  /** What it was bound for: a listener edited to another address is rebound. */
  key: string;
  bound?: BoundListener;
  error?: string;
}

const keyOf = (l: WakeProxyListener) => `${l.listenHost}|${l.listenPort}`;

/**
 * Wake on demand (issue 17): binds the admin's listeners while the engine runs, and for each
 * connection either splices it to the server's service at once (the server is up) or wakes the
 * server through power control, holds the connection until the service's port answers (up to
 * the listener's timeout) and then splices it; a connection that cannot be served is closed with
 * its reason logged. The counts of held and spliced connections go to the faces as an event.
 */
export class WakeProxyService {
  private running = false;
  private readonly bindings = new Map<string, Binding>();
  private readonly live = new Map<string, Live>();
  private readonly connections = new Map<string, Set<HeldConnection>>();
  /** One wake per server in flight, shared by every connection held for it. */
  private readonly wakes = new Map<string, Promise<WakeResult>>();
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: WakeProxyHost,
    private readonly io: ProxyIo,
  ) {}

  start(): void {
    this.running = true;
    void this.sync(true);
  }

  /**
   * The inventory or config.json changed (a server removed or back, a listener edited by hand):
   * binds and closes what that changes. A listener that could not bind is tried again only at
   * the next start or once its address changes, so this costs nothing when nothing changed.
   */
  resync(): void {
    void this.sync();
  }

  stop(): void {
    this.running = false;
    void this.sync();
  }

  /** Resolves once the listeners bound or closed match the configuration (tests, `add`). */
  settled(): Promise<void> {
    return this.syncing;
  }

  list(serverRef?: string): WakeProxyView[] {
    const serverId = serverRef === undefined ? undefined : this.requireServer(serverRef).id;
    return this.listeners()
      .filter((l) => serverId === undefined || l.serverId === serverId)
      .map((l) => this.view(l));
  }

  counts(): WakeProxyCounts {
    return countsOf(this.list());
  }

  async add(input: WakeProxyInput): Promise<WakeProxyView> {
    const parsed = wakeProxyInputSchema.parse(input);
    const server = this.requireServer(parsed.server);
    const existing = this.listeners();
    const clash = clashOf(existing, parsed);
    if (clash) throw new HandlerError('conflict', `${parsed.listenHost}:${parsed.listenPort} already forwards to ${this.host.server(clash.serverId)?.name ?? clash.serverId}:${clash.targetPort} (listener ${clash.id}); pick another port.`);
    const listener = wakeProxyListenerSchema.parse({
      id: listenerId(existing, server.id, parsed.targetPort),
      serverId: server.id,
      listenHost: parsed.listenHost,
      listenPort: parsed.listenPort,
      targetPort: parsed.targetPort,
      timeoutMs: parsed.timeoutMs,
    });
    this.host.settings.write({ ...this.host.settings.read(), listeners: [...existing, listener] });
    await this.sync();
    const error = this.bindings.get(listener.id)?.error;
    if (this.running && error !== undefined) {
      // Refused while the engine runs: nothing is kept of a listener that cannot listen.
      this.host.settings.write({ ...this.host.settings.read(), listeners: this.listeners().filter((l) => l.id !== listener.id) });
      await this.sync();
      throw new HandlerError('conflict', `Cannot listen on ${parsed.listenHost}:${parsed.listenPort}: ${error}.`);
    }
    this.host.emitCounts();
    return this.view(listener);
  }

  async remove(id: string): Promise<{ id: string }> {
    const listeners = this.listeners();
    if (!listeners.some((l) => l.id === id)) throw notFound(`Wake-on-demand listener "${id}"`);
    this.host.settings.write({ ...this.host.settings.read(), listeners: listeners.filter((l) => l.id !== id) });
    await this.sync();
    this.host.emitCounts();
    return { id };
  }

  private listeners(): WakeProxyListener[] {
    return this.host.settings.read().listeners;
  }

  private requireServer(ref: string): { id: string; name: string; address: string } {
    const server = this.host.server(ref);
    if (!server) throw notFound(`Server "${ref}"`);
    return server;
  }

  private view(l: WakeProxyListener): WakeProxyView {
    const live = this.live.get(l.id);
    const binding = this.bindings.get(l.id);
    const server = this.host.server(l.serverId);
    const error = !server ? 'its server is no longer in the inventory' : binding?.error;
    return {
      ...l,
      serverName: server?.name ?? l.serverId,
      listening: binding?.bound !== undefined,
      ...(binding?.bound ? { boundPort: binding.bound.port } : {}),
      ...(error ? { error } : {}),
      active: live?.active ?? 0,
      waiting: live?.waiting ?? 0,
      total: live?.total ?? 0,
      ...(live?.lastFailure ? { lastFailure: live.lastFailure } : {}),
    };
  }

  /** Binds what should listen and closes what should not, one pass at a time. */
  private sync(retryFailed = false): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncOnce(retryFailed));
    return this.syncing;
  }

  private async syncOnce(retryFailed: boolean): Promise<void> {
    let changed = false;
    const settled = (b: Binding | undefined) => b !== undefined && (b.bound !== undefined || (b.error !== undefined && !retryFailed));
    const wanted = new Map(
      (this.running ? this.listeners() : []).filter((l) => l.enabled && this.host.server(l.serverId) !== undefined).map((l) => [l.id, l]),
    );
    for (const [id, binding] of this.bindings) {
      const l = wanted.get(id);
      if (l && keyOf(l) === binding.key && settled(binding)) continue;
      changed = true;
      binding.bound?.close();
      this.bindings.delete(id);
      for (const c of this.connections.get(id) ?? []) c.close();
    }
    for (const l of wanted.values()) {
      if (settled(this.bindings.get(l.id))) continue;
      changed = true;
      const binding: Binding = { key: keyOf(l) };
      this.bindings.set(l.id, binding);
      try {
        binding.bound = await this.io.listen(l.listenHost, l.listenPort, (c) => void this.handle(l.id, c));
      } catch (error) {
        binding.error = error instanceof Error ? error.message : String(error);
        this.host.log.warn(`wake on demand: cannot listen on ${l.listenHost}:${l.listenPort}: ${binding.error}`);
      }
    }
    if (changed) this.host.emitCounts();
  }

  private liveOf(id: string): Live {
    let live = this.live.get(id);
    if (!live) this.live.set(id, (live = { active: 0, waiting: 0, total: 0 }));
    return live;
  }

  private async handle(listenerIdValue: string, conn: HeldConnection): Promise<void> {
    const l = this.listeners().find((x) => x.id === listenerIdValue);
    if (!l) return conn.close();
    const live = this.liveOf(l.id);
    const open = this.connections.get(l.id) ?? new Set<HeldConnection>();
    this.connections.set(l.id, open);
    open.add(conn);
    let phase: 'waiting' | 'active' | 'done' = 'waiting';
    // Read through a call: the client may leave (onGone) during any await below.
    const held = (): boolean => phase === 'waiting';
    live.total++;
    live.waiting++;
    const move = (to: 'active' | 'done') => {
      if (phase === 'done') return;
      if (phase === 'waiting') live.waiting--;
      else live.active--;
      if (to === 'active') live.active++;
      else open.delete(conn);
      phase = to;
      this.host.emitCounts();
    };
    conn.onGone(() => move('done'));
    this.host.emitCounts();

    const fail = (reason: string) => {
      if (phase === 'done') return;
      live.lastFailure = { at: this.host.clock.now(), reason };
      this.host.log.warn(`wake on demand ${l.listenHost}:${l.listenPort} → ${l.serverId}:${l.targetPort}: closed ${conn.remote}: ${reason}`);
      conn.close();
      move('done');
    };
    const server = this.host.server(l.serverId);
    if (!server) return fail('its server is no longer in the inventory');
    if (server.address.trim() === '') return fail(`${server.name} has no address known`);

    const clock = this.host.clock;
    const deadline = clock.now() + l.timeoutMs;
    const plan = planConnection(this.host.power(server.id) ?? 'unknown');
    if (plan !== 'wake') {
      const first = await conn.connect(server.address, l.targetPort, connectTimeoutMs(clock.now(), deadline));
      if (first.ok) return move('active');
      if (!held()) return;
      // Up by the last probe but not answering: it may have just gone to sleep; wake it.
      this.host.log.info(`wake on demand: ${server.name}:${l.targetPort} did not answer (${first.reason}); waking it`);
    }

    let refused: string | undefined;
    void this.wakeOnce(server.id).then((r) => {
      if (!r.ok) refused = r.reason;
    });
    let last = 'the service did not answer';
    for (let attempt = 0; held(); attempt++) {
      if (refused !== undefined) return fail(`the wake failed: ${refused}`);
      if (clock.now() >= deadline) return fail(`${server.name}:${l.targetPort} did not open within ${Math.round(l.timeoutMs / 1000)} s (${last})`);
      const r = await conn.connect(server.address, l.targetPort, connectTimeoutMs(clock.now(), deadline));
      if (r.ok) return move('active');
      last = r.reason;
      if (!held()) return;
      await new Promise<void>((resolve) => clock.setTimeout(resolve, Math.min(retryDelayMs(attempt), Math.max(0, deadline - clock.now()))));
    }
  }

  private wakeOnce(id: string): Promise<WakeResult> {
    let wake = this.wakes.get(id);
    if (!wake) {
      wake = this.host
        .wake(id)
        .catch((error: unknown): WakeResult => ({ ok: false, reason: error instanceof Error ? error.message : String(error) }))
        .finally(() => this.wakes.delete(id));
      this.wakes.set(id, wake);
    }
    return wake;
  }
}
