import { randomUUID } from 'node:crypto';
import {
  CONSOLE_LABELS,
  consoleAvailability,
  execTitle,
  type ConsoleClosed,
  type ConsoleData,
  type ConsoleInfo,
  type ConsoleKind,
  type ConsoleStatsEvent,
  type ParsedExecSpec,
  type SessionKind,
} from '../../shared/contract/consoles';
import type { ServerConfig } from '../../shared/server';
import type { Clock, TimerHandle } from '../base/clock';
import type { Logger } from '../base/logger';
import type { ConsoleBackend, StatsReader, TerminalSize } from './backend';
import { ConsoleError, describeFailure } from './errors';
import { DEFAULT_FLOW, type FlowOptions } from './flow';
import { ByteSession } from './session';
import type { ConsoleSource } from './source';

/** `connection`: the one that opened the session, the only one its events go to (undefined: any). */
export interface ConsoleEventsOut {
  data(payload: ConsoleData, connection?: string): void;
  closed(payload: ConsoleClosed, connection?: string): void;
  stats(payload: ConsoleStatsEvent, connection?: string): void;
}

export interface ConsoleManagerOptions {
  clock: Clock;
  log: Logger;
  backend: ConsoleBackend;
  events: ConsoleEventsOut;
  flow?: Partial<FlowOptions>;
  /** A window that shows no sign of life this long loses its sessions (default 60 s). */
  leaseMs?: number;
  /** Sessions open at once, all windows together (default 64). */
  maxSessions?: number;
  /** Live stats interval when the window does not ask for one (default 3 s). */
  statsIntervalMs?: number;
}

interface StatsSession {
  info: ConsoleInfo;
  reader: StatsReader;
  timer?: TimerHandle;
  stopped: boolean;
}

const DEFAULT_SIZE: TerminalSize = { cols: 80, rows: 24 };

/**
 * Every console session of this Rackdeck: opened for a window (its `owner`), closed when the
 * tab closes, when the window says it goes away, or when the window stops showing signs of
 * life. A session that ends tells its window why (`console.closed`) and can be opened again.
 */
export class ConsoleManager {
  private readonly bytes = new Map<string, ByteSession>();
  private readonly stats = new Map<string, StatsSession>();
  private readonly owners = new Map<string, { lastSeen: number; epoch: number }>();
  /** Which transport connection (a web face socket) opened each session, when the face says. */
  private readonly connectionOf = new Map<string, string>();
  private readonly flow: FlowOptions;
  private readonly leaseMs: number;
  private readonly maxSessions: number;
  private sweepTimer: TimerHandle | undefined;
  private opening = 0;
  private stopped = false;

  constructor(private readonly options: ConsoleManagerOptions) {
    this.flow = { ...DEFAULT_FLOW, ...options.flow };
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxSessions = options.maxSessions ?? 64;
  }

  // ------------------------------------------------------------------ opening

  async open(input: { serverId: string; kind: ConsoleKind; owner: string; cols?: number | undefined; rows?: number | undefined; connection?: string | undefined }): Promise<ConsoleInfo> {
    const server = this.options.backend.server(input.serverId);
    this.require(server, input.kind);
    const size = { cols: input.cols ?? DEFAULT_SIZE.cols, rows: input.rows ?? DEFAULT_SIZE.rows };
    const info = this.infoFor(server, input.kind, input.owner, server.name, input.kind === 'vnc' ? undefined : size);
    return this.start(info, () => this.options.backend.openConsole(server, input.kind, size), input.connection);
  }

  async exec(input: { serverId: string; owner: string; spec: ParsedExecSpec; connection?: string | undefined }): Promise<ConsoleInfo> {
    const server = this.options.backend.server(input.serverId);
    this.require(server, 'exec');
    const info = this.infoFor(server, 'exec', input.owner, `${server.name}: ${execTitle(input.spec)}`);
    return this.start(info, () => this.options.backend.openExec(server, input.spec), input.connection);
  }

  openStats(input: { serverId: string; owner: string; intervalMs?: number | undefined; connection?: string | undefined }): ConsoleInfo {
    const server = this.options.backend.server(input.serverId);
    this.require(server, 'stats');
    this.checkCapacity();
    const info = this.infoFor(server, 'stats', input.owner, `${server.name}: ${CONSOLE_LABELS.stats.toLowerCase()}`);
    const session: StatsSession = { info, reader: this.options.backend.statsReader(server), stopped: false };
    this.stats.set(info.sessionId, session);
    if (input.connection) this.connectionOf.set(info.sessionId, input.connection);
    this.touch(input.owner);
    const interval = input.intervalMs ?? this.options.statsIntervalMs ?? 3_000;
    const tick = async () => {
      if (session.stopped) return;
      try {
        const sample = await session.reader.read();
        if (!session.stopped) this.options.events.stats({ sessionId: info.sessionId, sample }, input.connection);
      } catch (error) {
        const source = server.ssh && server.proxmox?.vmid === undefined ? 'ssh' : 'proxmox';
        if (!session.stopped) this.options.events.stats({ sessionId: info.sessionId, sample: { at: this.options.clock.now(), source, status: 'unknown', error: describeFailure(error) } }, input.connection);
      }
      if (!session.stopped) session.timer = this.options.clock.setTimeout(() => void tick(), interval);
    };
    void tick();
    return { ...info };
  }

  // ------------------------------------------------------------------ the live session

  write(sessionId: string, data: Buffer): void {
    const s = this.byteSession(sessionId);
    this.touch(s.info.owner);
    s.write(data);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    const s = this.byteSession(sessionId);
    this.touch(s.info.owner);
    s.resize(cols, rows);
  }

  ack(sessionId: string, bytes: number, all = false): void {
    const s = this.bytes.get(sessionId);
    // An ack that races the session's end is not an error.
    if (!s) return;
    this.touch(s.info.owner);
    s.ack(bytes, all);
  }

  close(sessionId: string, reason = 'Closed'): boolean {
    const b = this.bytes.get(sessionId);
    if (b) {
      b.close(reason);
      return true;
    }
    const st = this.stats.get(sessionId);
    if (st) {
      this.endStats(st, reason);
      return true;
    }
    return false;
  }

  /** Closes every session of a window; opens still under way for it are refused when they finish. */
  closeOwner(owner: string, reason = 'The window was closed'): number {
    const o = this.owners.get(owner);
    if (o) o.epoch += 1;
    let n = 0;
    for (const s of [...this.bytes.values(), ...this.stats.values()]) {
      if (s.info.owner === owner && this.close(s.info.sessionId, reason)) n += 1;
    }
    return n;
  }

  /**
   * A transport connection went away (a web face socket closed): its windows are gone with it.
   * Faces that name their connections call this; the others rely on owners and leases.
   */
  closeConnection(connection: string, reason = 'The window was closed'): number {
    let n = 0;
    for (const [sessionId, c] of [...this.connectionOf]) {
      if (c === connection && this.close(sessionId, reason)) n += 1;
    }
    return n;
  }

  /** A window is alive; returns how many sessions it holds. */
  keepalive(owner: string): number {
    this.touch(owner);
    return this.list(owner).length;
  }

  list(owner?: string): ConsoleInfo[] {
    return [...this.bytes.values(), ...this.stats.values()].filter((s) => owner === undefined || s.info.owner === owner).map((s) => ({ ...s.info }));
  }

  /** For tests and diagnostics: the flow state of one session. */
  flowOf(sessionId: string): { unacked: number; paused: boolean; sentBytes: number; pauses: number; resumes: number } | undefined {
    const s = this.bytes.get(sessionId);
    return s ? { unacked: s.unacked, paused: s.paused, ...s.counters } : undefined;
  }

  get flowOptions(): FlowOptions {
    return this.flow;
  }

  /** Rackdeck is quitting: everything closes. */
  stop(): void {
    this.stopped = true;
    if (this.sweepTimer !== undefined) this.options.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const id of [...this.bytes.keys(), ...this.stats.keys()]) this.close(id, 'Rackdeck is shutting down');
  }

  // ------------------------------------------------------------------ internals

  private require(server: ServerConfig, kind: SessionKind): void {
    if (this.stopped) throw new ConsoleError('failed', 'Rackdeck is shutting down');
    const avail = consoleAvailability(server).kinds[kind];
    if (!avail.available) throw new ConsoleError('bad_request', `${server.name}: no ${CONSOLE_LABELS[kind].toLowerCase()}`, avail.reason ? capitalise(avail.reason) : undefined);
  }

  private checkCapacity(): void {
    if (this.bytes.size + this.stats.size + this.opening >= this.maxSessions) {
      throw new ConsoleError('conflict', `${this.maxSessions} consoles are open already`, 'Close some tabs first');
    }
  }

  private infoFor(server: ServerConfig, kind: SessionKind, owner: string, title: string, size?: TerminalSize): ConsoleInfo {
    return {
      sessionId: randomUUID(),
      kind,
      serverId: server.id,
      serverName: server.name,
      title,
      owner,
      openedAt: this.options.clock.now(),
      ...(size ? { cols: size.cols, rows: size.rows } : {}),
      flow: { highWater: this.flow.highWater, ackEvery: Math.max(1, Math.floor(this.flow.lowWater / 2)) },
    };
  }

  private async start(info: ConsoleInfo, openSource: () => Promise<ConsoleSource>, connection?: string): Promise<ConsoleInfo> {
    this.checkCapacity();
    this.touch(info.owner);
    const epoch = this.owners.get(info.owner)?.epoch ?? 0;
    this.opening += 1;
    let source: ConsoleSource;
    try {
      source = await openSource();
    } catch (error) {
      if (error instanceof ConsoleError) throw error;
      throw new ConsoleError('failed', `${CONSOLE_LABELS[info.kind]} on ${info.serverName} could not be opened: ${describeFailure(error)}`);
    } finally {
      this.opening -= 1;
    }
    if (this.stopped || (this.owners.get(info.owner)?.epoch ?? 0) !== epoch) {
      source.close();
      throw new ConsoleError('failed', 'The window closed while the console was opening');
    }
    const session = new ByteSession(info, source, this.options.clock, this.flow, { data: (p) => this.options.events.data(p, connection), closed: (p) => this.options.events.closed(p, connection) }, (s) => {
      this.bytes.delete(s.info.sessionId);
      this.connectionOf.delete(s.info.sessionId);
    });
    this.bytes.set(info.sessionId, session);
    if (connection) this.connectionOf.set(info.sessionId, connection);
    this.options.log.info(`console opened: ${info.kind} on ${info.serverName} (${info.sessionId.slice(0, 8)})`);
    return { ...info };
  }

  private endStats(session: StatsSession, reason: string): void {
    if (session.stopped) return;
    session.stopped = true;
    if (session.timer !== undefined) this.options.clock.clearTimeout(session.timer);
    session.reader.close();
    this.stats.delete(session.info.sessionId);
    this.options.events.closed({ sessionId: session.info.sessionId, reason, error: false }, this.connectionOf.get(session.info.sessionId));
    this.connectionOf.delete(session.info.sessionId);
  }

  private byteSession(sessionId: string): ByteSession {
    const s = this.bytes.get(sessionId);
    if (!s) throw new ConsoleError('not_found', 'This console is closed', 'Reconnect to open it again');
    return s;
  }

  private touch(owner: string): void {
    const o = this.owners.get(owner);
    if (o) o.lastSeen = this.options.clock.now();
    else this.owners.set(owner, { lastSeen: this.options.clock.now(), epoch: 0 });
    this.scheduleSweep();
  }

  private scheduleSweep(): void {
    if (this.sweepTimer !== undefined || this.stopped) return;
    this.sweepTimer = this.options.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep();
    }, Math.max(1_000, Math.floor(this.leaseMs / 3)));
  }

  /** Closes the sessions of windows that went quiet; forgets windows that hold nothing. */
  private sweep(): void {
    const now = this.options.clock.now();
    const busy = new Set([...this.bytes.values(), ...this.stats.values()].map((s) => s.info.owner));
    for (const [owner, o] of this.owners) {
      if (now - o.lastSeen < this.leaseMs) continue;
      if (busy.has(owner)) this.closeOwner(owner, 'The window that opened it went away');
      else this.owners.delete(owner);
    }
    if (this.bytes.size + this.stats.size > 0 || this.owners.size > 0) this.scheduleSweep();
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
