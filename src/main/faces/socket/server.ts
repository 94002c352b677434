import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import type { Logger } from '../../base/logger';
import { openConnection } from '../../ipc/connection';
import type { EngineApp } from '../../root/stepped';
import { dispatchFrame, MALFORMED_FRAME, parseFrame } from '../frames';
import { controlSocketPath, isNamedPipe, removeSocketFile, statSocketPath } from './address';
import { lineSplitter } from './lines';

export interface ControlSocketOptions {
  app: Pick<EngineApp, 'router' | 'engine' | 'connectionClosed'>;
  home: string;
  log: Logger;
}

export interface ControlSocket {
  readonly path: string;
  /** Connections open now, for tests and diagnostics. */
  connections(): number;
  close(): Promise<void>;
}

/** A client that reads nothing while events pile up is cut off rather than growing main's memory. */
const MAX_BUFFERED = 16 * 1024 * 1024;

/**
 * The owning engine's control socket: the contract, through the same router and connection as
 * the web face, over newline-delimited JSON frames (../frames.ts). No token: the socket is
 * 0600 in the owner's home, so its file rights are the boundary. Every connection is a CLI (or a
 * script): its calls are logged as face 'cli', and what it opened (a console) closes with it. A
 * bad frame or a broken socket ends that connection only.
 */
export async function startControlSocket(options: ControlSocketOptions): Promise<ControlSocket> {
  const { app, log } = options;
  const socketPath = controlSocketPath(options.home);
  if (!isNamedPipe(socketPath)) await removeStaleSocket(socketPath);
  const open = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    open.add(socket);
    const send = (frame: unknown) => {
      if (socket.destroyed || !socket.writable) return;
      if (socket.writableLength > MAX_BUFFERED) {
        log.warn('a control socket client stopped reading; closed it');
        socket.destroy();
        return;
      }
      socket.write(`${JSON.stringify(frame)}\n`);
    };
    const connection = openConnection({
      id: `socket:${randomUUID()}`,
      face: 'cli',
      router: app.router,
      events: app.engine.events,
      send: (event, payload) => send({ event, payload }),
    });
    const refuse = (frame: unknown) => {
      send(frame);
      socket.end();
    };
    const onData = lineSplitter(
      (line) => {
        const frame = parseFrame(line);
        // A stream out of step cannot be trusted to find the next frame: answer, then hang up.
        if (!frame) return refuse(MALFORMED_FRAME);
        dispatchFrame(connection, frame, send).catch((error: unknown) => log.error('a control socket frame failed', error));
      },
      () => refuse({ id: null, result: { ok: false, error: { code: 'bad_request', message: 'Frame too long' } } }),
    );
    socket.on('data', onData);
    socket.on('error', (error) => {
      log.warn(`a control socket connection failed: ${error.message}`);
      socket.destroy();
    });
    socket.on('close', () => {
      open.delete(socket);
      connection.close();
      app.connectionClosed(connection.id);
    });
  });
  server.on('error', (error) => log.error('the control socket failed', error));

  await listenOwnerOnly(server, socketPath);
  log.info(`control socket: ${socketPath}`);
  return {
    path: socketPath,
    connections: () => open.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => {
          if (!isNamedPipe(socketPath)) removeSocketFile(socketPath);
          resolve();
        });
      }),
  };
}

/** Listens with the file created 0600 from the start (umask), then made sure of it (chmod). */
async function listenOwnerOnly(server: net.Server, socketPath: string): Promise<void> {
  let previous: number | undefined;
  try {
    previous = process.umask(0o177);
  } catch {
    // Worker threads cannot change the umask; the chmod below still applies before anyone can know the socket is up.
  }
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    if (previous !== undefined) process.umask(previous);
  }
  if (!isNamedPipe(socketPath)) fs.chmodSync(socketPath, 0o600);
}

/**
 * A socket file left by an engine that was killed (no one listens) is removed before listening.
 * One that answers belongs to a live engine, which the home's lock should have prevented.
 */
async function removeStaleSocket(socketPath: string): Promise<void> {
  const st = await statSocketPath(socketPath);
  if (!st) return;
  if (!st.isSocket()) throw new Error(`${socketPath} exists and is not a socket; move it away and start again.`);
  const answered = await new Promise<boolean>((resolve) => {
    const probe = net.createConnection(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (answered) throw new Error(`Another Rackdeck engine already listens on ${socketPath}.`);
  removeSocketFile(socketPath);
}
