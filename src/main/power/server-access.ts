import type { SecretField } from '../../shared/contract/power';
import type { ServerConfig } from '../../shared/server';
import { HandlerError } from '../base/errors';
import { endpointOf, keyTypeLabel, sshHostName, type HostKeyMismatch, type SshTarget } from '../drivers/ssh/model';
import { parseSecureOn } from '../drivers/wol/model';
import type { RemoteShell } from '../health/hooks';
import type { PowerHost, PowerPorts, PowerSecrets, PowerSsh } from './ports';
import type { PowerBook } from './state';

/**
 * How power reaches a server: the SSH pool and secrets store (opened on first use), each
 * server's SSH target, the host keys it refused until the admin accepts one, the secrets the
 * admin sets, and a shell for other capabilities.
 */
export class ServerAccess {
  private sshOpen: PowerSsh | undefined;
  private secretsOpen: PowerSecrets | undefined;

  constructor(
    private readonly host: PowerHost,
    private readonly book: PowerBook,
    private readonly ports: PowerPorts,
    private readonly commandTimeoutMs: number,
  ) {}

  get ssh(): PowerSsh {
    return (this.sshOpen ??= this.ports.openSsh());
  }

  /** Throws when the secrets file cannot be read. */
  get secrets(): PowerSecrets {
    return (this.secretsOpen ??= this.ports.openSecrets());
  }

  /** Closes pooled connections (to one host, or all), when SSH was ever opened. */
  close(target?: Pick<SshTarget, 'host' | 'port'>): void {
    this.sshOpen?.close(target);
  }

  /** The secrets are read only when the target needs one. */
  targetFor(server: ServerConfig): SshTarget {
    return this.ports.sshTarget(server, { get: (id, name) => this.secrets.get(id, name) });
  }

  /** The pool refused a host key: every server behind that endpoint shows it, once per presented key. */
  hostKeyMismatch(m: HostKeyMismatch): void {
    const known = this.book.mismatches.get(m.endpoint);
    if (known?.presentedKey === m.presentedKey) return;
    this.book.mismatches.set(m.endpoint, { ...m, at: this.host.clock.now() });
    for (const s of this.host.servers()) {
      if (!s.ssh || endpointOf(s.address, s.ssh.port) !== m.endpoint) continue;
      this.host.changed(s.id);
      this.host.notify({
        level: 'error',
        title: `The SSH host key of ${s.name} changed`,
        body: `Expected ${m.expected}, got ${m.presented}. Rackdeck will not connect until you accept the new key.`,
        serverId: s.id,
      });
    }
  }

  /** A connection that worked with the pinned key ends any mismatch shown for it. */
  sshWorked(server: ServerConfig): void {
    if (!server.ssh) return;
    const endpoint = endpointOf(server.address, server.ssh.port);
    if (this.book.mismatches.delete(endpoint)) this.host.changed(server.id);
  }

  /** Pins the key the card showed for the server's endpoint, and clears it from every server behind it. */
  acceptHostKey(server: ServerConfig): void {
    if (!server.ssh) throw new HandlerError('bad_request', `${server.name} has no SSH settings`);
    const endpoint = endpointOf(server.address, server.ssh.port);
    const mismatch = this.book.mismatches.get(endpoint);
    if (!mismatch) throw new HandlerError('conflict', `No changed host key of ${server.name} is waiting to be accepted`);
    const { at: _shownAt, ...presented } = mismatch;
    this.ssh.acceptHostKey(presented);
    this.hostKeyAccepted(server, endpoint);
    this.host.notify({ level: 'info', title: `New host key of ${server.name} accepted`, body: `${mismatch.presented} is now pinned for ${endpoint}.`, serverId: server.id });
  }

  /**
   * A key was pinned for the endpoint (accepted on the card, or trusted from any face): pooled
   * connections made with the old one close, and the mismatch and its errors leave every card.
   */
  hostKeyAccepted(server: ServerConfig, endpoint: string, options: { closeConnections: boolean } = { closeConnections: true }): void {
    if (server.ssh && options.closeConnections) this.sshOpen?.close({ host: server.address.replace(/^\[|\]$/g, ''), port: server.ssh.port });
    this.book.mismatches.delete(endpoint);
    for (const s of this.host.servers()) {
      if (s.ssh && endpointOf(s.address, s.ssh.port) === endpoint) {
        const record = this.book.peek(s.id);
        if (record?.error?.message.includes('host key')) delete record.error;
        this.host.changed(s.id);
      }
    }
  }

  /** The pool pinned a key on first contact: said on the card's notices as ssh says it. */
  hostKeyPinned(endpoint: string, key: { keyType: string; fingerprint: string }): void {
    for (const s of this.host.servers()) {
      if (!s.ssh || endpointOf(s.address.replace(/^\[|\]$/g, ''), s.ssh.port) !== endpoint) continue;
      this.host.notify({
        level: 'info',
        title: `Host key of ${s.name} pinned`,
        body: `Permanently added '${sshHostName(s.address.replace(/^\[|\]$/g, ''), s.ssh.port)}' (${keyTypeLabel(key.keyType)}) to the list of known hosts: ${key.fingerprint}.`,
        serverId: s.id,
      });
    }
  }

  setSecret(server: ServerConfig, name: SecretField, value: string | null): void {
    if (name === 'wol.password' && value) {
      try {
        parseSecureOn(value);
      } catch (error) {
        throw new HandlerError('bad_request', (error as Error).message, { value: (error as Error).message });
      }
    }
    this.secrets.set(server.id, name, value);
    // New credentials: a reused connection would keep the old login.
    if (name !== 'wol.password' && server.ssh) this.close({ host: server.address, port: server.ssh.port });
    this.host.changed(server.id);
  }

  /** Which secrets are stored, for the card; nothing when the file cannot be read (that is told when a secret is needed). */
  secretsSet(id: string): { sshPassword: boolean; sshPassphrase: boolean; wolPassword: boolean } | undefined {
    try {
      const s = this.secrets;
      return { sshPassword: s.has(id, 'ssh.password'), sshPassphrase: s.has(id, 'ssh.passphrase'), wolPassword: s.has(id, 'wol.password') };
    } catch {
      return undefined;
    }
  }

  /** A server left the inventory: its secrets go too. */
  forgetSecrets(id: string): void {
    try {
      this.secrets.removeServer(id);
    } catch (error) {
      this.host.log.warn(`could not remove the secrets of ${id}`, error);
    }
  }

  /**
   * A shell on a server over the pooled, pinned SSH connection, for other capabilities (the
   * agent installer): commands are theirs to build from validated values; uploads go through
   * stdin, never through the command line.
   */
  shellFor(server: ServerConfig): RemoteShell {
    const target = this.targetFor(server);
    const timeoutMs = this.commandTimeoutMs;
    const exec = async (command: string, options: { stdin?: string; timeoutMs?: number } = {}) => {
      const r = await this.ssh.exec(target, command, { timeoutMs: options.timeoutMs ?? timeoutMs, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}) });
      this.sshWorked(server);
      // No exit status means the connection dropped: report it as ssh(1) does.
      return { code: r.code ?? 255, stdout: r.stdout, stderr: r.stderr };
    };
    return {
      exec,
      upload: async (content, remotePath, mode) => {
        if (!/^\/[A-Za-z0-9._/-]{1,255}$/.test(remotePath) || remotePath.includes('..')) throw new Error(`refusing to upload to "${remotePath}"`);
        if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new Error(`bad file mode ${mode}`);
        const r = await this.ssh.exec(target, `umask 077 && cat > '${remotePath}' && chmod ${mode.toString(8)} '${remotePath}'`, { timeoutMs, stdin: content });
        if (r.code !== 0) throw new Error(`upload to ${remotePath} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
      },
    };
  }
}
