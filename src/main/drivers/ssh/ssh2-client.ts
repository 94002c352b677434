import { createRequire } from 'node:module';
import type * as Ssh2 from 'ssh2';

let ClientClass: typeof Ssh2.Client | undefined;

/**
 * A new ssh2 Client, ssh2 loaded by the first one rather than with the engine's modules: it is
 * CommonJS of some forty files (kept out of the bundle for its optional native parts), and a
 * command that opens no SSH (`rackdeck list` without a running engine) should not read them.
 * Synchronous, as every caller builds its client synchronously.
 */
export function newSshClient(): Ssh2.Client {
  ClientClass ??= (createRequire(import.meta.url)('ssh2') as typeof Ssh2).Client;
  return new ClientClass();
}
