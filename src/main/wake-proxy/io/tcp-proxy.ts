import net from 'node:net';
import type { BoundListener, ConnectResult, HeldConnection, ProxyIo } from '../ports';

/**
 * The sockets of wake on demand: a TCP listener per entry, and each accepted connection held
 * (its bytes read and kept, up to a cap, then the socket paused so the kernel holds the rest)
 * until the service decides to splice it to the server's service or close it.
 */

/** Held bytes beyond this pause the client: the kernel's buffers and TCP's window hold the rest. */
const HOLD_CAP_BYTES = 256 * 1024;

class TcpHeldConnection implements HeldConnection {
  readonly remote: string;
  private readonly held: Buffer[] = [];
  private heldBytes = 0;
  private clientEnded = false;
  private gone = false;
  private upstream: net.Socket | undefined;
  private readonly goneListeners: (() => void)[] = [];
  private readonly onData = (chunk: Buffer) => {
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes >= HOLD_CAP_BYTES) this.client.pause();
  };

  constructor(private readonly client: net.Socket) {
    this.remote = `${client.remoteAddress ?? '?'}:${client.remotePort ?? '?'}`;
    client.setNoDelay(true);
    client.on('data', this.onData);
    // A client that half-closes (sent its request, waits for the answer) is still held.
    client.once('end', () => (this.clientEnded = true));
    client.once('close', () => this.finish());
    client.on('error', () => this.finish());
  }

  onGone(listener: () => void): void {
    if (this.gone) listener();
    else this.goneListeners.push(listener);
  }

  connect(host: string, port: number, timeoutMs: number): Promise<ConnectResult> {
    if (this.gone) return Promise.resolve({ ok: false, reason: 'the client went away' });
    return new Promise((resolve) => {
      const up = net.connect({ host, port });
      let settled = false;
      const settle = (result: ConnectResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!result.ok) up.destroy();
        resolve(result);
      };
      const timer = setTimeout(() => settle({ ok: false, reason: `no answer from ${host}:${port} within ${timeoutMs} ms` }), timeoutMs);
      up.once('error', (error: NodeJS.ErrnoException) => settle({ ok: false, reason: error.code === 'ECONNREFUSED' ? `${host}:${port} refused the connection` : error.message }));
      up.once('connect', () => {
        if (this.gone) return settle({ ok: false, reason: 'the client went away' });
        settle({ ok: true });
        this.splice(up);
      });
    });
  }

  /** Held bytes first, then both ways; either side closing closes the other. */
  private splice(up: net.Socket): void {
    this.upstream = up;
    up.setNoDelay(true);
    this.client.off('data', this.onData);
    for (const chunk of this.held.splice(0)) up.write(chunk);
    this.heldBytes = 0;
    if (this.clientEnded) up.end();
    else this.client.pipe(up);
    up.pipe(this.client);
    up.on('error', () => this.client.destroy());
    up.once('close', () => this.client.destroy());
    this.client.once('close', () => up.destroy());
    this.client.resume();
  }

  close(): void {
    this.client.destroy();
    this.upstream?.destroy();
  }

  private finish(): void {
    if (this.gone) return;
    this.gone = true;
    this.upstream?.destroy();
    for (const listener of this.goneListeners.splice(0)) listener();
  }
}

/** Binds one listener; rejects with the system's reason (port taken, address not on this machine). */
function listen(host: string, port: number, onConnection: (connection: HeldConnection) => void): Promise<BoundListener> {
  return new Promise((resolve, reject) => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer({ pauseOnConnect: false }, (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      onConnection(new TcpHeldConnection(socket));
    });
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'EADDRINUSE' ? `${host}:${port} is already in use` : error.code === 'EADDRNOTAVAIL' ? `${host} is not an address of this machine` : error.code === 'EACCES' ? `binding ${host}:${port} needs privileges (ports below 1024)` : error.message)),
    );
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({
        port: bound,
        close: () => {
          server.close();
          for (const s of sockets) s.destroy();
        },
      });
    });
  });
}

export const tcpProxyIo: ProxyIo = { listen };
