import type { ServerConfig } from '../../shared/server';
import type { Engine } from '../inventory/engine';
import { clusterSecretsStore } from '../proxmox/secrets';
import { ProxmoxClient } from '../drivers/proxmox/client';
import { sshTargetFor } from '../drivers/ssh';
import { KnownHostsStore } from '../store/known-hosts';
import { keyFileEncryptor, SecretsStore, type Encryptor } from '../store/secrets';
import { ConsoleError } from './errors';
import { DriversBackend, type HeldProxmoxTarget } from './drivers-backend';
import { ConsoleManager } from './manager';

export interface ConsoleWiringOptions {
  /** The data folder (config.json, known-hosts.json, secrets.json live there). */
  home: string;
  /** The desktop face's safeStorage encryptor; the key file elsewhere. */
  encryptor?: Encryptor;
}

const managers = new WeakMap<Engine, ConsoleManager>();

/**
 * The console manager of an engine, made on first use and closed with the engine. Stores are
 * read afresh at each open, so a key pinned or a secret set by another part a moment ago counts.
 */
export function consolesOf(engine: Engine, options: ConsoleWiringOptions): ConsoleManager {
  const known = managers.get(engine);
  if (known) return known;
  const { home } = options;
  let encryptor = options.encryptor;
  const lazyEncryptor: Encryptor = {
    get kind() {
      return encryptor?.kind ?? 'keyfile';
    },
    encrypt: (plain) => (encryptor ??= keyFileEncryptor(home)).encrypt(plain),
    decrypt: (sealed) => (encryptor ??= keyFileEncryptor(home)).decrypt(sealed),
  };
  const backend = new DriversBackend({
    clock: engine.clock,
    server: (ref) => engine.get(ref),
    sshTarget: (server) => {
      const secrets = new SecretsStore(home, lazyEncryptor);
      return sshTargetFor(server, { get: (id, name) => secrets.get(id, name) });
    },
    pinnedKeys: () => new KnownHostsStore(home),
    proxmoxTarget: async (server) => proxmoxTargetOf(engine, server, home, lazyEncryptor),
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
  managers.set(engine, manager);
  return manager;
}

/** A short-lived API client for one cluster, logged in with its stored secret. */
function proxmoxTargetOf(engine: Engine, server: ServerConfig, home: string, encryptor: Encryptor): HeldProxmoxTarget {
  const binding = server.proxmox;
  if (!binding) throw new ConsoleError('bad_request', `${server.name} is not a Proxmox node or guest`);
  const cluster = engine.proxmox.clusters().find((c) => c.name === binding.cluster);
  if (!cluster) throw new ConsoleError('not_found', `The Proxmox cluster ${binding.cluster} of ${server.name} is not configured`);
  const secret = clusterSecretsStore(home, encryptor).get(cluster.name);
  if (secret === undefined) throw new ConsoleError('failed', `No password is stored for Proxmox cluster ${cluster.name}`, 'Set its credentials again');
  const credentials = cluster.auth === 'token' ? { kind: 'token' as const, tokenId: cluster.tokenId ?? '', secret } : { kind: 'ticket' as const, username: cluster.username ?? '', password: secret };
  const client = new ProxmoxClient({ name: cluster.name, url: cluster.url, credentials, fingerprint: cluster.fingerprint, clock: engine.clock });
  const guest = binding.type && binding.vmid !== undefined ? { type: binding.type, vmid: binding.vmid } : undefined;
  return {
    target: { api: client.api, tls: { fingerprint: cluster.fingerprint }, node: binding.node, cluster: cluster.name, ...(guest ? { guest } : {}) },
    release: () => client.close(),
  };
}
