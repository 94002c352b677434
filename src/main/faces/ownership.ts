import { createClient, type RackdeckClient } from '../../shared/contract';
import type { Logger } from '../base/logger';
import { localTransport } from '../ipc/local-transport';
import type { EngineApp } from '../root/stepped';
import { acquireHomeLock, type HomeLock, type LockFace } from '../store/home-lock';
import { startControlSocket, type ControlSocket } from './socket/server';

/**
 * An engine that owns its home: the lock, the app, and (once `serve` is called) its control
 * socket. Built by the faces that are an engine: the desktop app, `serve` and `demo`.
 */
export interface Owned {
  app: EngineApp;
  client: RackdeckClient;
  lock: HomeLock;
  /** Starts the loops and the control socket: from now on every other face is a client of this engine. */
  serve(): Promise<ControlSocket>;
  /** Closes the socket, stops the engine (its last writes included) and lets the home go, in that order. */
  stop(): Promise<void>;
}

/**
 * Composes an engine's capabilities beyond its core (root/stepped.ts) once its faces are open:
 * the desktop app after opening its window, `serve` once its page has gone to a browser (or a
 * moment after its URL), so neither waits for code its first screen does not need. A failure is told, and every call that needs one of
 * them is refused with it.
 */
export function composeRest(app: Pick<EngineApp, 'capabilities'>, log: Logger): void {
  app.capabilities().catch((error: unknown) => log.error('the capabilities beyond the inventory and power control could not start; the calls that need them fail', error));
}

/**
 * Takes the home for an engine. A CLI command holding it for its few milliseconds is waited
 * for; another engine is not: its owner is named in the HomeBusyError.
 */
export async function takeHome(home: string, face: Exclude<LockFace, 'cli'>, log: Logger): Promise<HomeLock> {
  const lock = await acquireHomeLock(home, { face, log, waitFor: (holder) => holder.face === 'cli' });
  if (!lock) throw new Error('the home lock was not taken'); // only when `between` asks to stop, which is not given here
  return lock;
}

/** Builds the engine on a home it holds the lock of; the lock is let go if building fails. */
export function ownedEngine(home: string, lock: HomeLock, log: Logger, build: () => EngineApp): Owned {
  let app: EngineApp;
  try {
    app = build();
  } catch (error) {
    lock.release();
    throw error;
  }
  // The engine's own face calls it in-process, as face 'cli' (what `demo` adds to the lab's inventory).
  const client = createClient(localTransport(app, 'cli'));
  let socket: ControlSocket | undefined;
  let stopping: Promise<void> | undefined;
  return {
    app,
    client,
    lock,
    async serve() {
      app.start();
      socket = await startControlSocket({ app, home, log });
      return socket;
    },
    stop() {
      stopping ??= (async () => {
        try {
          await socket?.close();
          await app.stop();
        } finally {
          lock.release();
        }
      })();
      return stopping;
    },
  };
}
