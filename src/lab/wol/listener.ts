import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { assertLoopback } from '../addressing';
import type { WolOutcome } from '../hosts/host';
import { parseMagicPacket } from './magic-packet';

/**
 * The lab's stand-in for the LAN segment: a UDP socket (or several, one per host address)
 * receiving magic packets. It resolves the MAC to a lab host and asks the host's NIC whether
 * to wake; everything else is counted and logged so tests can assert what Rackdeck sent.
 */
export interface WolTarget {
  readonly id: string;
  readonly mac: string;
  wakeOnLan(password: Buffer | undefined): WolOutcome;
}

export type WolEventKind = WolOutcome | 'unknown_mac' | 'malformed';

export interface WolEvent {
  at: number;
  /** Sender as "address:port". */
  from: string;
  /** The local address:port the packet arrived on. */
  to: string;
  kind: WolEventKind;
  mac?: string;
  hostId?: string;
  /** For malformed packets: what was wrong. */
  reason?: string;
  bytes: number;
}

export type WolCounters = Record<'received' | WolEventKind, number>;

export interface WolListenerOptions {
  /** The main address, 127.0.0.1 by default. */
  address?: string;
  /** 0 picks a free port. */
  port: number;
  /** More loopback addresses to receive on (e.g. every host's own), with the same port. */
  extraAddresses?: readonly string[];
  resolve(mac: string): WolTarget | undefined;
  /** Events kept for inspection; older ones are dropped. */
  logSize?: number;
}

export class WolListener extends EventEmitter<{ packet: [WolEvent] }> {
  readonly counters: WolCounters = {
    received: 0, woke: 0, already_on: 0, busy: 0, wol_disabled: 0, bad_password: 0, unknown_mac: 0, malformed: 0,
  };
  private readonly log: WolEvent[] = [];
  private readonly sockets: Socket[] = [];

  private constructor(readonly address: string, public port: number, private readonly options: WolListenerOptions) {
    super();
  }

  static async start(options: WolListenerOptions): Promise<WolListener> {
    const address = options.address ?? '127.0.0.1';
    assertLoopback(address);
    const listener = new WolListener(address, options.port, options);
    try {
      listener.port = await listener.bind(address, options.port);
      for (const extra of options.extraAddresses ?? []) {
        assertLoopback(extra);
        await listener.bind(extra, listener.port);
      }
    } catch (error) {
      await listener.close();
      throw error;
    }
    return listener;
  }

  /** Newest last. */
  events(): readonly WolEvent[] {
    return this.log;
  }

  /** Resolves with the first event (already logged or future) that matches. */
  waitFor(predicate: (event: WolEvent) => boolean, timeoutMs = 5000): Promise<WolEvent> {
    const seen = this.log.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('packet', onPacket);
        reject(new Error(`no matching Wake-on-LAN packet within ${timeoutMs} ms`));
      }, timeoutMs);
      const onPacket = (event: WolEvent): void => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        this.off('packet', onPacket);
        resolve(event);
      };
      this.on('packet', onPacket);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.sockets.splice(0).map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  }

  private bind(address: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: 'udp4' });
      socket.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`Wake-on-LAN listener cannot bind ${address}:${port}: ${error.code ?? error.message}`)));
      socket.on('message', (payload, remote) => this.receive(payload, remote, `${address}:${socket.address().port}`));
      socket.bind({ address, port, exclusive: true }, () => {
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
        this.sockets.push(socket);
        resolve(socket.address().port);
      });
    });
  }

  private receive(payload: Buffer, remote: RemoteInfo, to: string): void {
    this.counters.received++;
    const base = { at: Date.now(), from: `${remote.address}:${remote.port}`, to, bytes: payload.length };
    const parsed = parseMagicPacket(payload);
    let event: WolEvent;
    if (!parsed.ok) {
      event = { ...base, kind: 'malformed', reason: parsed.reason };
    } else {
      const target = this.options.resolve(parsed.mac);
      event = target
        ? { ...base, kind: target.wakeOnLan(parsed.password), mac: parsed.mac, hostId: target.id }
        : { ...base, kind: 'unknown_mac', mac: parsed.mac };
    }
    this.counters[event.kind]++;
    this.log.push(event);
    const limit = this.options.logSize ?? 1000;
    if (this.log.length > limit) this.log.splice(0, this.log.length - limit);
    this.emit('packet', event);
  }
}
