import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasAddress, noAddressReason, type ServerConfig } from '../../../shared/server';
import { SshError } from './model/errors';
import type { SshTarget } from './model/target';

export interface SecretSource {
  get(serverId: string, name: 'ssh.password' | 'ssh.passphrase'): string | undefined;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * The SSH target of a server: its address and SSH settings, with the passphrase or password
 * taken from the secrets store at the moment of use (never kept on the target longer).
 */
export function sshTargetFor(server: Pick<ServerConfig, 'id' | 'name' | 'address' | 'ssh'>, secrets: SecretSource, home = os.homedir()): SshTarget {
  const ssh = server.ssh;
  if (!ssh) throw new SshError('config', `${server.name} has no SSH settings`, 'Set the SSH user (and key) in the server settings.');
  // Never '' (ssh2 would connect to this machine): a Proxmox guest without a known address is refused.
  if (!hasAddress(server)) throw new SshError('config', noAddressReason(server.name), 'Install the QEMU guest agent in it, give it a static IP in its config, or set its address in its settings.');
  const base = { host: server.address.replace(/^\[|\]$/g, ''), port: ssh.port, user: ssh.user };
  switch (ssh.auth) {
    case 'agent':
      return { ...base, auth: { kind: 'agent' } };
    case 'password': {
      const password = secrets.get(server.id, 'ssh.password');
      if (!password) throw new SshError('config', `No SSH password is stored for ${server.name}`, 'Enter the password in the server settings.');
      return { ...base, auth: { kind: 'password', password } };
    }
    case 'key': {
      const keyPath = ssh.keyPath ? expandHome(ssh.keyPath, home) : DEFAULT_KEYS.map((k) => path.join(home, '.ssh', k)).find((p) => fs.existsSync(p));
      if (!keyPath) throw new SshError('config', `No SSH key is set for ${server.name} and none was found in ~/.ssh`, 'Choose a key file in the server settings, or use the SSH agent.');
      const passphrase = secrets.get(server.id, 'ssh.passphrase');
      return { ...base, auth: { kind: 'key', keyPath, ...(passphrase ? { passphrase } : {}) } };
    }
  }
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}
