import type { Notice } from '../../shared/events';
import type { ClusterConfig } from '../../shared/contract/proxmox';
import type { PowerState, SettledState, TransitionalState } from '../../shared/power';
import type { ProxmoxServerView, ServerConfig } from '../../shared/server';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { ProxmoxClient } from '../drivers/proxmox/client';
import type { ProxmoxCredentials } from '../drivers/proxmox/model/credentials';
import type { CertificateInfo } from '../drivers/proxmox/model/endpoints';

/**
 * The Proxmox capability's ports, types only: the engine (below), the clusters' secrets and
 * the API clients. The construction site passes the real ones; tests may pass fakes.
 */

/** A power reading reported to the engine. */
export interface PowerReadingInput {
  power: SettledState;
  /** The machine runs: what the power state machine's up/down view needs during a transition. */
  up: boolean;
  detail?: string;
}

/** A source of power state other than the TCP probe: the servers it owns are left out of the sweep. */
export interface PowerSource {
  owns(server: ServerConfig): boolean;
  /** `refresh` of one owned server (the card's refresh button, `rackdeck status`). */
  refresh(id: string): Promise<void>;
  /** Part of a status sweep: bring the owned servers up to date if the source's own loop has not lately. */
  sweep?(): Promise<void>;
}

/**
 * What the Proxmox capability needs of the engine: the inventory, a way to write discovered
 * servers in one go, and power readings from a source other than the TCP probe. The Engine
 * implements it; tests may pass a fake.
 */
export interface ProxmoxEnginePort {
  readonly clock: Clock;
  readonly log: Logger;
  servers(): readonly ServerConfig[];
  applyDiscovered(upserts: ServerConfig[], removals: string[]): void;
  reportPower(id: string, reading: PowerReadingInput): void;
  /** Holds a transitional state while a Proxmox task runs; the next reportPower ends it. */
  holdTransitional(id: string, state: TransitionalState, detail?: string): void;
  /** The server's view changed outside its config or power (new live figures): send it again. */
  touch(id: string): void;
  clusters(): ClusterConfig[];
  writeClusters(clusters: ClusterConfig[]): void;
  notify(notice: Omit<Notice, 'id' | 'at'> & { at?: number }): void;
  addPowerSource(source: PowerSource): void;
  addViewExtra(extra: (server: ServerConfig) => { proxmox?: ProxmoxServerView } | undefined): void;
  /** The live power state of a server. */
  powerOf(id: string): PowerState | undefined;
  /** Whether the power controller can wake this server (MAC or wake command). */
  canWake(id: string): boolean;
  /** Wakes a server (its sleeping ancestors first) with the power controller; resolves once it settled. */
  wake(id: string): Promise<'reached' | 'timeout' | 'failed'>;
}

/**
 * Where the clusters' token secrets and passwords live: the encrypted secrets store in the app
 * (io/cluster-secrets.ts), memory in tests. `null` (or '') removes the secret.
 */
export interface ClusterSecrets {
  /** The cluster's token secret or password; `'console'`: the password of its console login. */
  get(cluster: string, which?: 'console'): string | undefined;
  set(cluster: string, value: string | null, which?: 'console'): void;
}

/**
 * The Proxmox API as the capability reaches it: the HTTPS driver in the app
 * (drivers/proxmox/clients.ts), a lab's CA or short timeouts in tests. Every connection and
 * every certificate handshake goes through here, so nothing in proxmox/ opens a socket itself.
 */
export interface ProxmoxClients {
  /** A client for one cluster, with its credentials and pinned certificate; the caller closes it. */
  connect(config: ClusterConfig, credentials: ProxmoxCredentials): ProxmoxClient;
  /** The certificate an API URL presents, read without sending anything: the "trust this fingerprint?" step. */
  inspectCertificate(url: string): Promise<CertificateInfo>;
}
