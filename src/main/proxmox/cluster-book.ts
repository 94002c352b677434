import type { ClusterConfig, ClusterStatus, GuestAddress, ProxmoxGuestInfo } from '../../shared/contract/proxmox';
import type { Loop } from '../base/loop';
import type { ProxmoxClient } from '../drivers/proxmox/client';
import { isIpAddress } from '../drivers/proxmox/model/addresses';
import type { ProxmoxCredentials } from '../drivers/proxmox/model/credentials';
import { ProxmoxError } from '../drivers/proxmox/model/errors';
import type { LastBackup } from '../drivers/proxmox/model/backups';
import type { ClusterResources } from '../drivers/proxmox/resources';
import type { ClusterSecrets, ProxmoxClients, ProxmoxEnginePort } from './port';

/** What Rackdeck holds of one configured cluster while it runs. */
export interface ClusterRuntime {
  config: ClusterConfig;
  /** The discovery's client, opened on first use and closed on stop or a credentials change. */
  client?: ProxmoxClient;
  last?: { at: number; resources: ClusterResources; byId?: Map<string, ProxmoxGuestInfo> };
  status: ClusterStatus;
  nodeIps: Map<string, string>;
  addresses: Map<string, GuestAddress[]>;
  lastNoticeKey?: string;
  loop?: Loop;
  /** The release the cluster runs ("9.1.2"), kept in its config; read again once after the engine starts. */
  version?: string;
  /** Read the release again at the next refresh (the engine started: the cluster may have been upgraded). */
  recheckVersion?: boolean;
  /** The last scan of its backups: per vmid, the last successful one. */
  backups?: { at: number; last: Map<number, LastBackup>; storages: string[]; issues: string[] };
  /** Parse issues already logged, so a server that keeps sending an odd field is logged once. */
  loggedIssues?: Set<string>;
}

export interface ClusterBookDeps {
  engine: ProxmoxEnginePort;
  secrets: ClusterSecrets;
  clients: ProxmoxClients;
}

/**
 * The configured clusters and the live state of each (client, last refresh, loop), shared by
 * the parts of the capability: administration, discovery, guest operations and task following.
 * Also where a cluster's stored secret becomes credentials and credentials become a client.
 */
export class ClusterBook {
  private readonly runtimes = new Map<string, ClusterRuntime>();

  constructor(private readonly deps: ClusterBookDeps) {
    for (const c of deps.engine.clusters()) this.runtimes.set(c.name, this.fresh(c));
  }

  all(): ClusterRuntime[] {
    return [...this.runtimes.values()];
  }

  names(): string[] {
    return [...this.runtimes.keys()];
  }

  get size(): number {
    return this.runtimes.size;
  }

  /** The cluster of exactly this name (a server's binding), or none. */
  find(name: string): ClusterRuntime | undefined {
    return this.runtimes.get(name);
  }

  /** Whether a name is taken, whatever its case. */
  taken(name: string): boolean {
    return this.runtimes.has(name) || this.names().some((n) => n.toLowerCase() === name.toLowerCase());
  }

  /** The cluster an admin named (any case); not_found lists the known ones. */
  get(name: string): ClusterRuntime {
    const rt = this.runtimes.get(name) ?? this.all().find((r) => r.config.name.toLowerCase() === name.toLowerCase());
    if (!rt) throw new ProxmoxError('not_found', `No Proxmox cluster named "${name}"${this.runtimes.size ? ` (known: ${this.names().join(', ')})` : ''}`);
    return rt;
  }

  /** The cluster a node belongs to, by the last discovery (the only cluster when there is one). */
  ofNode(node: string): ClusterRuntime {
    const hits = this.all().filter((rt) => rt.last?.resources.nodes.some((n) => n.name === node));
    if (hits.length === 1) return hits[0] as ClusterRuntime;
    if (this.runtimes.size === 1) return this.all()[0] as ClusterRuntime;
    throw new ProxmoxError('not_found', hits.length ? `Node ${node} is in several clusters; name the cluster` : `No cluster has a node named ${node}`);
  }

  /** A runtime for a cluster not yet in the book (it joins with `put`). */
  fresh(config: ClusterConfig): ClusterRuntime {
    // Node IPs learned by an earlier run live on in the node servers' addresses: no /cluster/status needed for them.
    const nodeIps = new Map<string, string>();
    for (const s of this.deps.engine.servers()) {
      if (s.proxmox?.cluster === config.name && s.kind === 'proxmox-node' && isIpAddress(s.address)) nodeIps.set(s.proxmox.node, s.address);
    }
    return { config, status: { state: 'never', nodes: 0, guests: 0, storage: 0 }, nodeIps, addresses: new Map(), ...(config.version ? { version: config.version } : {}) };
  }

  put(rt: ClusterRuntime): void {
    this.runtimes.set(rt.config.name, rt);
  }

  remove(name: string): void {
    this.runtimes.delete(name);
  }

  hasSecret(name: string): boolean {
    return this.deps.secrets.get(name) !== undefined;
  }

  credentialsOf(config: ClusterConfig): ProxmoxCredentials {
    const secret = this.deps.secrets.get(config.name);
    if (secret === undefined) throw new ProxmoxError('auth', `No ${config.auth === 'token' ? 'token secret' : 'password'} is stored for cluster ${config.name}; set it again`);
    if (config.auth === 'token') return { kind: 'token', tokenId: config.tokenId ?? '', secret };
    return { kind: 'ticket', username: config.username ?? '', password: secret };
  }

  connect(config: ClusterConfig, credentials: ProxmoxCredentials): ProxmoxClient {
    return this.deps.clients.connect(config, credentials);
  }

  /** The cluster's shared client, opened with its stored secret on first use. */
  clientOf(rt: ClusterRuntime): ProxmoxClient {
    if (!rt.client) rt.client = this.connect(rt.config, this.credentialsOf(rt.config));
    return rt.client;
  }

  /** Drops the shared client (its connections close); the next use opens a new one. */
  dropClient(rt: ClusterRuntime): void {
    rt.client?.close();
    rt.client = undefined;
  }
}
