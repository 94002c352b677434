import { createHash } from 'node:crypto';
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
  const hash = createHash('sha256')
    .update(platform === 'win32' ? resolved.toLowerCase() : resolved)
    .digest('hex')
    .slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\rackdeck-${hash}`;
  const inHome = path.join(resolved, SOCKET_FILE);
  if (Buffer.byteLength(inHome) <= MAX_UNIX_PATH) return inHome;
  return path.join(os.tmpdir(), `rackdeck-${process.getuid?.() ?? 'u'}-${hash}.sock`);
}

/** Named pipes vanish with their server and carry no file rights to check. */
export const isNamedPipe = (socketPath: string) => socketPath.startsWith('\\\\.\\pipe\\');
