import net from 'node:net';
import { FACE_EVENTS } from '../../../shared/contract/defaults';
import { CANCELLED, type Transport, type WireResult } from '../../../shared/ipc';
import { TopicListeners } from '../../../shared/ipc-transport';
import { refuseForeign } from '../../store/foreign';
import { controlSocketPath, isNamedPipe, statSocketPath } from './address';
import { lineSplitter } from './lines';

/** The transport of a face that talks to the owning engine over its control socket. */
export interface SocketTransport extends Transport {
  readonly path: string;
  /** Whether the engine hung up (or the socket broke). */
  readonly closed: boolean;
  close(): void;
}

type ServerFrame = { id: number | null; result: WireResult } | { event: string; payload: unknown };

/** The answer to every call in flight when the engine goes away: it will never answer them now. */
const GONE: WireResult = { ok: false, error: { code: 'failed', message: 'The Rackdeck engine for this home stopped before it answered; try again.' } };

/** Errors that mean "no engine listens here", as opposed to "something is wrong". */
const NOBODY = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'ECONNRESET']);

/**
 * Connects to the engine that owns `home`, if one answers: resolves undefined when nobody
 * listens (no socket, or a stale one). Refuses a socket file another user owns: the file's
 * rights are what stands for a token here, so a socket we do not own proves nothing.
 */
export async function connectControlSocket(home: string, options: { connectTimeoutMs?: number } = {}): Promise<SocketTransport | undefined> {
  const socketPath = controlSocketPath(home);
  if (!isNamedPipe(socketPath)) {
    const st = await statSocketPath(socketPath);
    if (!st) return undefined;
    refuseForeign(st, socketPath, 'The control socket');
  }
  const socket = await new Promise<net.Socket | undefined>((resolve, reject) => {
    const s = net.createConnection(socketPath);
    const timer = setTimeout(() => {
      s.destroy();
      resolve(undefined);
    }, options.connectTimeoutMs ?? 2_000);
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (NOBODY.has(error.code ?? '')) resolve(undefined);
      else reject(new Error(`Cannot reach the Rackdeck engine on ${socketPath}: ${error.message}`));
    });
  });
  return socket ? socketTransport(socket, socketPath) : undefined;
}

function socketTransport(socket: net.Socket, socketPath: string): SocketTransport {
  const pending = new Map<number, (result: WireResult) => void>();
  let nextId = 1;
  let closed = false;

  const send = (frame: object) => {
    if (!closed) socket.write(`${JSON.stringify(frame)}\n`);
  };
  const listeners = new TopicListeners({ subscribe: (topic) => send({ subscribe: topic }), unsubscribe: (topic) => send({ unsubscribe: topic }) }, FACE_EVENTS);
  // Holds the process open only while something waits: an answer, or events it listens to.
  const hold = () => {
    if (pending.size > 0 || listeners.topics().length > 0) socket.ref();
    else socket.unref();
  };

  socket.on(
    'data',
    lineSplitter(
      (line) => {
        let frame: ServerFrame;
        try {
          frame = JSON.parse(line) as ServerFrame;
        } catch {
          return;
        }
        if ('event' in frame) listeners.emit(frame.event, frame.payload);
        else if (typeof frame.id === 'number') {
          const resolve = pending.get(frame.id);
          pending.delete(frame.id);
          resolve?.(frame.result);
          hold();
        }
      },
      () => socket.destroy(),
    ),
  );
  socket.on('error', () => undefined); // the close that follows says it all
  socket.on('close', () => {
    closed = true;
    for (const resolve of pending.values()) resolve(GONE);
    pending.clear();
  });
  hold();

  return {
    path: socketPath,
    get closed() {
      return closed;
    },
    invoke(channel, input, options) {
      const signal = options?.signal;
      if (signal?.aborted) return Promise.resolve(CANCELLED);
      if (closed) return Promise.resolve(GONE);
      const id = nextId++;
      return new Promise<WireResult>((resolve) => {
        const onAbort = () => {
          pending.delete(id);
          send({ cancel: id });
          hold();
          resolve(CANCELLED);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, (result) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        });
        hold();
        send({ id, channel, input });
      });
    },
    on(event, listener) {
      const off = listeners.on(event, listener);
      hold();
      return () => {
        off();
        hold();
      };
    },
    close() {
      if (closed) return;
      closed = true;
      socket.end();
      socket.unref();
      for (const resolve of pending.values()) resolve(GONE);
      pending.clear();
    },
  };
}
