import type { ServerConfig } from '../../shared/server';
import { ConsoleError } from '../consoles/errors';
import { DriversBackend, type HeldProxmoxTarget } from '../consoles/drivers-backend';
import { ProxmoxConsoleAdapter } from '../consoles/io/proxmox/proxmox-consoles';
import { SshConsoleAdapter } from '../consoles/io/ssh/ssh-consoles';
import { ConsoleManager } from '../consoles/manager';
import { ProxmoxClient } from '../drivers/proxmox/client';
import { sshTargetFor } from '../drivers/ssh';
import { clusterSecretsStore } from '../proxmox/io/cluster-secrets';
import { KnownHostsStore } from '../store/known-hosts';
import { SecretsStore } from '../store/secrets';
import type { Core } from './core';

/**
 * Builds the console manager on a core and closes it with the engine. Stores are read afresh at
 * each open, so a key pinned or a secret set by another part a moment ago counts.
 */
export function composeConsoles(core: Core): ConsoleManager {
  const { engine, home, encryptor } = core;
  const backend = new DriversBackend({
    server: (ref) => engine.get(ref),
    sshTarget: (server) => {
      const secrets = new SecretsStore(home, encryptor);
      return sshTargetFor(server, { get: (id, name) => secrets.get(id, name) });
    },
    proxmoxTarget: async (server) => proxmoxTargetOf(core, server),
    ssh: new SshConsoleAdapter({ clock: engine.clock, pinnedKeys: () => new KnownHostsStore(home), onHostKeyMismatch: (m) => core.power.hostKeyMismatch(m) }),
    proxmox: new ProxmoxConsoleAdapter({ clock: engine.clock }),
  });
  const manager = new ConsoleManager({
    clock: engine.clock,
    log: engine.log,
    backend,
    events: {
      data: (p, to) => engine.events.emit('console.data', p, { to }),
      closed: (p, to) => engine.events.emit('console.closed', p, { to }),
      stats: (p, to) => engine.events.emit('console.stats', p, { to }),
    },
  });
  engine.attach({
    start: () => undefined,
    stop: () => {
      manager.stop();
      backend.close();
    },
  });
  return manager;
}

/** A short-lived API client for one cluster, logged in with its stored secret. */
function proxmoxTargetOf(core: Core, server: ServerConfig): HeldProxmoxTarget {
  const binding = server.proxmox;
  if (!binding) throw new ConsoleError('bad_request', `${server.name} is not a Proxmox node or guest`);
  const cluster = core.proxmox.clusters().find((c) => c.name === binding.cluster);
  if (!cluster) throw new ConsoleError('not_found', `The Proxmox cluster ${binding.cluster} of ${server.name} is not configured`);
  const secrets = clusterSecretsStore(core.home, core.encryptor);
  // The cluster's console login when it has one (PVE 8 refuses API tokens on consoles), else its own credentials.
  const consolePassword = cluster.consoleUser ? secrets.get(cluster.name, 'console') : undefined;
  const secret = secrets.get(cluster.name);
  if (consolePassword === undefined && secret === undefined) throw new ConsoleError('failed', `No password is stored for Proxmox cluster ${cluster.name}`, 'Set its credentials again');
  const credentials =
    cluster.consoleUser && consolePassword !== undefined
      ? { kind: 'ticket' as const, username: cluster.consoleUser, password: consolePassword }
      : cluster.auth === 'token'
        ? { kind: 'token' as const, tokenId: cluster.tokenId ?? '', secret: secret ?? '' }
        : { kind: 'ticket' as const, username: cluster.username ?? '', password: secret ?? '' };
  const client = new ProxmoxClient({ name: cluster.name, url: cluster.url, credentials, fingerprint: cluster.fingerprint, clock: core.engine.clock });
  const guest = binding.type && binding.vmid !== undefined ? { type: binding.type, vmid: binding.vmid } : undefined;
  return {
    target: { api: client.api, tls: { fingerprint: cluster.fingerprint }, node: binding.node, cluster: cluster.name, ...(guest ? { guest } : {}) },
    release: () => client.close(),
  };
}

