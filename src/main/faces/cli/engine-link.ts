import type { Transport } from '../../../shared/ipc';
import { TopicListeners } from '../../../shared/ipc-transport';
import { FACE_EVENTS } from '../../../shared/contract/defaults';
import type { Logger } from '../../base/logger';
import type { HomeLock } from '../../store/home-lock';
import { controlSocketPath, isNamedPipe, removeSocketFile, statSocketPath } from '../socket/address';
import { connectControlSocket, type SocketTransport } from '../socket/client-transport';
import type * as StandaloneParts from './standalone-parts';

/**
 * How one CLI command reaches the engine of its home: the running engine's control socket, or
 * (when none answers) an engine of its own, built in this process while it holds the home's
 * lock, for the duration of the command.
 */
export type EngineLink = { kind: 'engine'; transport: SocketTransport; close(): Promise<void> } | { kind: 'standalone'; transport: Transport; close(): Promise<void> };

export interface LinkOptions {
  /** What this command is (`rackdeck add`), for whoever waits for the lock. */
  command: string;
  /** Where a stale lock's takeover is said. */
  log: Logger;
  /** How long to wait for another command's lock (default 5 s). */
  waitMs?: number;
}

export async function linkToEngine(home: string, options: LinkOptions): Promise<EngineLink> {
  let socket = await connectControlSocket(home);
  if (!socket) {
    // The lock (and node:crypto, for its ids) and the engine's code are loaded only when no engine answers.
    const parts = await import('./standalone-parts');
    const { acquireHomeLock, describeOwner, HomeBusyError } = parts;
    let lock: HomeLock | undefined;
    try {
      lock = await acquireHomeLock(home, {
        face: 'cli',
        command: options.command,
        log: options.log,
        ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
        // An engine that just started may answer now.
        between: async () => (socket = await connectControlSocket(home)) !== undefined,
      });
    } catch (error) {
      if (error instanceof HomeBusyError && error.owner.face !== 'cli') {
        throw new Error(`${describeOwner(error.owner)}\n(its control socket does not answer: is it still starting, or stuck?)`);
      }
      throw error;
    }
    if (lock) {
      await removeLeftSocket(home);
      return standalone(home, lock, parts);
    }
  }
  const transport = socket as SocketTransport;
  return { kind: 'engine', transport, close: async () => transport.close() };
}

/** With the lock held nobody can be listening: a socket file left by a killed engine is only in the way. */
async function removeLeftSocket(home: string): Promise<void> {
  const socketPath = controlSocketPath(home);
  if (isNamedPipe(socketPath)) return;
  try {
    if ((await statSocketPath(socketPath))?.isSocket()) removeSocketFile(socketPath);
  } catch {
    // Another user's file, or gone already: the next engine deals with it.
  }
}

async function standalone(home: string, lock: HomeLock, parts: typeof StandaloneParts): Promise<EngineLink> {
  const releaseOnSignal = signalRelease(lock);
  try {
    const { createSteppedApp, localTransport, silentLogger } = parts;
    const app = createSteppedApp({ home, face: 'cli', log: silentLogger });
    const transport = localTransport(app, 'cli');
    return {
      kind: 'standalone',
      transport,
      async close() {
        transport.close();
        try {
          await app.stop();
        } finally {
          releaseOnSignal();
          lock.release();
        }
      },
    };
  } catch (error) {
    releaseOnSignal();
    lock.release();
    throw error;
  }
}

/**
 * Ctrl-C or a kill lets the lock go at once. When nothing else handles the signal, it is raised
 * again so the process ends as it would have; a command that handles it (exec closes its
 * session) goes on and ends by itself. Returns the undo.
 */
function signalRelease(lock: HomeLock): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      lock.release();
      if (process.listenerCount(signal) === 1) {
        process.off(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

/**
 * A transport that links to the engine on first use, so a command that only parses its
 * arguments (or fails on them) never connects nor takes the lock. Listeners added before the
 * link is up are subscribed as soon as it is, before any request made after them.
 */
export function deferredTransport(link: () => Promise<Pick<EngineLink, 'transport'>>): Transport {
  const offs = new Map<string, () => void>();
  const listeners: TopicListeners = new TopicListeners(
    {
      subscribe(topic) {
        void link().then(
          (l) => {
            if (listeners.topics().includes(topic) && !offs.has(topic)) offs.set(topic, l.transport.on(topic, (payload) => listeners.emit(topic, payload)));
          },
          () => undefined, // the request that needs the link reports why it failed
        );
      },
      unsubscribe(topic) {
        offs.get(topic)?.();
        offs.delete(topic);
      },
    },
    FACE_EVENTS,
  );
  return {
    async invoke(channel, input, options) {
      const l = await link();
      return l.transport.invoke(channel, input, options);
    },
    on: (event, listener) => listeners.on(event, listener),
  };
}
