import fs from 'node:fs';
import type { ConnectConfig } from 'ssh2';
import { SshError } from './model/errors';
import type { SshTarget } from './model/target';

/**
 * ssh2's login options for a target: the pool's short commands and the consoles' long-lived
 * shells log in the same way.
 */
export function loginConfig(target: SshTarget): Partial<ConnectConfig> {
  const auth = target.auth;
  switch (auth.kind) {
    case 'key': {
      let privateKey: Buffer;
      try {
        privateKey = fs.readFileSync(auth.keyPath);
      } catch (error) {
        throw new SshError('key', `The SSH key ${auth.keyPath} could not be read: ${(error as Error).message}`, 'Check the key file path in the server settings.');
      }
      return { privateKey, ...(auth.passphrase ? { passphrase: auth.passphrase } : {}) };
    }
    case 'agent': {
      const socket = auth.socket ?? process.env.SSH_AUTH_SOCK;
      if (!socket) throw new SshError('config', 'No SSH agent is running (SSH_AUTH_SOCK is not set)', 'Start ssh-agent and add your key, or use a key file.');
      return { agent: socket };
    }
    case 'password':
      return { password: auth.password };
  }
}
