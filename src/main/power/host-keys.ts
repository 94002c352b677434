import type { HostKeyCheck, HostKeyFacts, HostKeyTrusted } from '../../shared/contract/host-keys';
import type { ServerConfig } from '../../shared/server';
import { HandlerError } from '../base/errors';
import { endpointOf, keyTypeLabel, sshHostName, type OfferedHostKey } from '../drivers/ssh/model';
import type { HostKeyPort, PowerHost } from './ports';
import type { ServerAccess } from './server-access';

/**
 * Host keys the OpenSSH way, for every face: what a server offers against what is pinned
 * (`check`), and the admin's explicit acceptance (`trust`), written to the home's known-hosts
 * store so every face and process sees it. A key is pinned only as the admin said: the exact
 * fingerprint they compared, or on first use only (accept-new), never a changed key by accident.
 */
export class HostKeys {
  constructor(
    private readonly host: PowerHost,
    private readonly access: ServerAccess,
    private readonly port: HostKeyPort | undefined,
  ) {}

  async check(server: ServerConfig): Promise<HostKeyCheck> {
    const { endpoint, host, port } = this.where(server);
    const offered = await this.scan(server, host, port);
    const pinned = this.keys().pinned(endpoint);
    const status = !pinned ? 'unknown' : pinned.key === offered.key ? 'pinned' : 'changed';
    if (status === 'changed' && pinned) {
      // Seen here first (a face asked before any command): the card shows it like the pool's refusals.
      this.access.hostKeyMismatch({ endpoint, keyType: offered.keyType, expected: pinned.fingerprint, presented: offered.fingerprint, presentedKey: offered.key });
    }
    return {
      serverId: server.id,
      endpoint,
      host: sshHostName(host, port),
      offered: facts(offered),
      ...(pinned ? { pinned: { ...facts(pinned), addedAt: pinned.addedAt } } : {}),
      status,
    };
  }

  async trust(server: ServerConfig, options: { fingerprint?: string | undefined; firstUse?: boolean | undefined }): Promise<HostKeyTrusted> {
    const { endpoint, host, port } = this.where(server);
    const offered = await this.scan(server, host, port);
    const name = sshHostName(host, port);
    if (options.fingerprint !== undefined && options.fingerprint !== offered.fingerprint) {
      throw new HandlerError(
        'conflict',
        `${server.name} (${name}) offers ${keyTypeLabel(offered.keyType)} key ${offered.fingerprint}, not ${options.fingerprint}: nothing was pinned. Compare the fingerprint with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on it)`,
        { fingerprint: offered.fingerprint },
      );
    }
    const keys = this.keys();
    const pinned = keys.pinned(endpoint);
    const base = { serverId: server.id, endpoint, host: name, key: facts(offered) };
    if (pinned?.key === offered.key) return { ...base, added: false };
    if (pinned && options.firstUse) {
      this.access.hostKeyMismatch({ endpoint, keyType: offered.keyType, expected: pinned.fingerprint, presented: offered.fingerprint, presentedKey: offered.key });
      throw new HandlerError(
        'conflict',
        `The host key of ${server.name} (${name}) has changed: ${pinned.fingerprint} is pinned, ${offered.fingerprint} (${keyTypeLabel(offered.keyType)}) was offered. Nothing was pinned`,
        { fingerprint: offered.fingerprint, pinned: pinned.fingerprint },
      );
    }
    keys.pin(endpoint, offered);
    // Only a replaced key makes pooled connections stale. On first use, a connection in flight
    // (an init the engine started itself) pins the same key, and closing it would fail that init.
    this.access.hostKeyAccepted(server, endpoint, { closeConnections: pinned !== undefined });
    this.host.notify({
      level: 'info',
      title: pinned ? `New host key of ${server.name} accepted` : `Host key of ${server.name} pinned`,
      body: pinned
        ? `${offered.fingerprint} replaces ${pinned.fingerprint} for ${name}.`
        : `Permanently added '${name}' (${keyTypeLabel(offered.keyType)}) to the list of known hosts: ${offered.fingerprint}.`,
      serverId: server.id,
    });
    return { ...base, added: true, ...(pinned ? { replaced: pinned.fingerprint } : {}) };
  }

  private where(server: ServerConfig): { endpoint: string; host: string; port: number } {
    if (!server.ssh) throw new HandlerError('bad_request', `${server.name} has no SSH settings`, { ssh: 'set the SSH user (and port) first' });
    const host = server.address.replace(/^\[|\]$/g, '');
    if (!host) throw new HandlerError('bad_request', `${server.name} has no address`);
    return { endpoint: endpointOf(host, server.ssh.port), host, port: server.ssh.port };
  }

  private keys(): HostKeyPort {
    if (!this.port) throw new HandlerError('failed', 'host keys cannot be read in this process');
    return this.port;
  }

  private async scan(server: ServerConfig, host: string, port: number): Promise<OfferedHostKey> {
    try {
      return await this.keys().scan(host, port);
    } catch (error) {
      if (error instanceof HandlerError) throw error;
      throw new HandlerError('failed', `Could not read the host key of ${server.name} (${sshHostName(host, port)}): ${(error as Error).message}`);
    }
  }
}

function facts(k: { keyType: string; fingerprint: string }): HostKeyFacts {
  return { keyType: k.keyType, typeLabel: keyTypeLabel(k.keyType), fingerprint: k.fingerprint };
}
