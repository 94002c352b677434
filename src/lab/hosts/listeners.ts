import { createServer, type Server, type Socket } from 'node:net';
import type { ConnectionHandler } from './services';

/** What the listeners ask of their host at each connection. */
export interface ListenerHost {
  readonly id: string;
  readonly address: string;
  /** Whether the machine is up enough to take a connection (on, or on its way down). */
  accepting(): boolean;
  /** The fault that cuts every connection as it arrives. */
  dropping(): boolean;
  /** Who answers on the named port, or undefined for a port nobody serves (closed at once). */
  route(name: string): ConnectionHandler | undefined;
}

/**
 * A simulated host's TCP listeners and the connections they accepted. Kept apart from the power
 * state machine so that one class holds "which ports exist" and the other "when": the host opens
 * them when it comes up and closes them (cutting every open connection) when it goes down.
 */
export class HostListeners {
  private readonly servers = new Map<string, Server>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly host: ListenerHost) {}

  listen(name: string, port: number): Promise<void> {
    if (this.servers.has(name)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.accept(name, socket));
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(new Error(`lab host ${this.host.id} cannot listen on ${this.host.address}:${port} (${name}): ${error.code ?? error.message}`));
      });
      server.listen({ host: this.host.address, port, exclusive: true }, () => {
        this.servers.set(name, server);
        resolve();
      });
    });
  }

  async closeAll(): Promise<void> {
    const servers = [...this.servers.values()];
    this.servers.clear();
    const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await Promise.all(closed);
  }

  /** Open TCP connections on all ports. */
  connections(): number {
    return this.sockets.size;
  }

  private accept(name: string, socket: Socket): void {
    if (!this.host.accepting()) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (this.host.dropping()) {
      socket.destroy();
      return;
    }
    const handler = this.host.route(name);
    if (handler) handler(socket);
    else socket.destroy();
  }
}
