import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { PowerState } from '../../shared/power';
import type { WakeProxySettings } from '../../shared/contract/wake-proxy';

/** What wake on demand needs of the world, handed to it by the composition root. */

export type ConnectResult = { ok: true } | { ok: false; reason: string };

/** An accepted client connection, held (its bytes kept) until it is spliced or closed. */
export interface HeldConnection {
  readonly remote: string;
  /** Called once when the client is gone: it left while held, or the spliced pair closed. */
  onGone(listener: () => void): void;
  /** One try at the service; on success the held bytes go first and both ways are piped. */
  connect(host: string, port: number, timeoutMs: number): Promise<ConnectResult>;
  close(): void;
}

export interface BoundListener {
  /** The port it got (the one asked for, or a free one for 0). */
  port: number;
  close(): void;
}

export interface ProxyIo {
  listen(host: string, port: number, onConnection: (connection: HeldConnection) => void): Promise<BoundListener>;
}

/** What a wake ended with; a refusal says why (no MAC, a state that does not allow it). */
export type WakeResult = { ok: true } | { ok: false; reason: string };

/** The engine and power control, as wake on demand sees them. */
export interface WakeProxyHost {
  clock: Clock;
  log: Logger;
  /** A server by id or name: its id, name and address; undefined when unknown. */
  server(ref: string): { id: string; name: string; address: string } | undefined;
  power(id: string): PowerState | undefined;
  /** Wakes the server through power control (as `rackdeck wake` does) and resolves once it settled. */
  wake(id: string): Promise<WakeResult>;
  settings: { read(): WakeProxySettings; write(next: WakeProxySettings): void };
  /** Live counts changed: the root emits them as an event to the faces. */
  emitCounts(): void;
}
