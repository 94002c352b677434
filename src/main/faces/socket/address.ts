import type * as Crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export const SOCKET_FILE = 'rackdeck.sock';

/** Unix socket paths are short (108 bytes on Linux, 104 on macOS, with the terminating NUL). */
const MAX_UNIX_PATH = 100;

/**
 * Where the engine that owns `home` listens: `<home>/rackdeck.sock`; on Windows a named pipe
 * named after a hash of the home's path (pipes live in their own namespace). A home whose path
 * is too long for a Unix socket gets a socket in the temporary folder, named after the same
 * hash and the user's uid; both sides compute the same name, so nothing has to be looked up.
 */
export function controlSocketPath(home: string, platform: NodeJS.Platform = process.platform): string {
  const resolved = path.resolve(home);
  if (platform === 'win32') return `\\\\.\\pipe\\rackdeck-${homeHash(resolved.toLowerCase())}`;
  const inHome = path.join(resolved, SOCKET_FILE);
  if (Buffer.byteLength(inHome) <= MAX_UNIX_PATH) return inHome;
  return path.join(os.tmpdir(), `rackdeck-${process.getuid?.() ?? 'u'}-${homeHash(resolved)}.sock`);
}

/**
 * The first 16 hex digits of the path's SHA-256. node:crypto is loaded here, when a name needs
 * the hash, not with this module: loading it is a good part of what a CLI command through the
 * socket costs beyond Node's own start-up, and a home's socket is usually `<home>/rackdeck.sock`.
 */
function homeHash(text: string): string {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Named pipes vanish with their server and carry no file rights to check. */
export const isNamedPipe = (socketPath: string) => socketPath.startsWith('\\\\.\\pipe\\');

/**
 * What is at a socket's path, read asynchronously. Never with a synchronous (or callback) stat:
 * on Node 20 a sync stat of a socket file leaves the shared stat buffer so that a later dynamic
 * import of a package through a symlinked node_modules (pnpm, a shared checkout) loads a
 * half-initialised copy of it, and the CLI's own engine fails to load.
 */
export async function statSocketPath(socketPath: string): Promise<fs.Stats | undefined> {
  try {
    return await fs.promises.lstat(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Removes a socket file if it is there (unlink: no stat, see statSocketPath). */
export function removeSocketFile(socketPath: string): void {
  try {
    fs.unlinkSync(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
