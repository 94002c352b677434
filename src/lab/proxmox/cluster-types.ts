/**
 * The public face of the simulated Proxmox VE cluster: what starting it takes and what the
 * handle offers tests, benchmarks and demo mode.
 */
import type { LabNodeHost } from '../types';
import type { PveMajor } from './profile';
import type { LabRepoState } from './repos';

/** Privileges on "/" (propagating), or every privilege. */
export type LabPrivileges = 'all' | readonly string[];

export interface LabTokenSpec {
  /** "user@realm!name". */
  tokenId: string;
  /** A UUID; generated from the seed when omitted. */
  secret?: string;
  privileges: LabPrivileges;
}

export interface LabUserSpec {
  /** "user@realm". */
  username: string;
  password: string;
  privileges: LabPrivileges;
}

export interface ProxmoxClusterOptions {
  /** One Proxmox node per host; its API listens on info.address : info.ports.proxmox ?? 8006 (0 = any free port). */
  nodes: readonly LabNodeHost[];
  /** The Proxmox VE release: 9 (9.1, the default) or 8 (8.4). See profile.ts. */
  version?: PveMajor;
  /**
   * Give the generated guests the shapes real clusters have beyond the first eight archetypes:
   * an unnamed VM, a hibernated VM, guests locked by a backup, a migration or a snapshot, an
   * HA resource left "ignored", and a backup history per guest (see real-world.ts). Default
   * false, so tests keep the plain seeded mix; `rackdeck lab` and `rackdeck demo` turn it on.
   */
  realWorld?: boolean;
  /** Total guests, spread over the nodes. Default 8. */
  guests?: number;
  seed?: number;
  clusterName?: string;
  /** How long a task runs. Default: 1–3 s, varying per task (seeded). */
  taskDelayMs?: number;
  /** How long a shutdown waits for a guest that ignores ACPI before the task fails. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** pveproxy delays unauthenticated answers ~3 s. Default 3000; tests pass 0. */
  authFailDelayMs?: number;
  /** Ticket (and CSRF token) lifetime in simulated ms. Default 2 h. */
  ticketLifetimeMs?: number;
  /** How long a console ticket from termproxy/vncproxy may wait for its websocket. Default 40 s. */
  consoleTicketLifetimeMs?: number;
  /** Extra or replacement API tokens (same tokenId replaces a default one). */
  tokens?: readonly LabTokenSpec[];
  /** Extra or replacement users for ticket login. */
  users?: readonly LabUserSpec[];
  /** Wall-clock source; simulated time is this plus advanceTime() offsets. Default Date.now. */
  now?: () => number;
  /** Reuse a key/certificate pair instead of generating one. */
  certificate?: { key: string; cert: string };
  /** Key of generated certificates: "rsa" (2048 bit, as Proxmox; ~0.4 s to make) or "ec" (P-256, ~15 ms). Default "rsa". */
  certificateKey?: 'rsa' | 'ec';
}

export interface LabTokenCredential {
  tokenId: string;
  secret: string;
  /** Ready-made Authorization header value: "PVEAPIToken=<tokenId>=<secret>". */
  header: string;
}

export interface LabCredentials {
  /** Full privileges: root@pam!rackdeck. */
  adminToken: LabTokenCredential;
  /** Only VM.Audit and Sys.Audit: audit@pve!ro, for 403 paths. */
  auditToken: LabTokenCredential;
  /** Ticket login (root@pam). */
  user: { username: string; password: string };
}

export interface TaskFaultMatch {
  /** Task types, e.g. ["qmstart", "vzshutdown"]. */
  types?: readonly string[];
  vmids?: readonly number[];
}

export interface FaultSpec {
  /** Added before every API answer. */
  latencyMs?: number;
  /** Fraction (0..1) of API requests answered 500, chosen by the seeded RNG. */
  errorRate?: number;
  /** API paths answered 500: exact ("/cluster/resources"), prefix ("/nodes/pve1/*") or RegExp. */
  fail500Paths?: readonly (string | RegExp)[];
  /** Reset the connection instead of answering. */
  dropConnections?: boolean;
  /** Make tasks end in TASK ERROR: all of them, or those matching. */
  failTasks?: boolean | TaskFaultMatch;
  /** While set, every ticket is refused as expired (new logins are refused too once used). */
  expireTickets?: boolean;
}

export interface GuestInfo {
  vmid: number;
  type: 'qemu' | 'lxc';
  node: string;
  /** The name the API lists: the configured one, or "VM 200" / "CT200" for an unnamed guest. */
  name: string;
  /** Whether the config has a name (qemu `name`, lxc `hostname`). */
  named: boolean;
  status: 'running' | 'stopped';
  /** QEMU's qmpstatus: running, paused, stopped; "paused" is also reported for frozen containers. */
  qmpstatus: 'running' | 'paused' | 'stopped';
  template: boolean;
  tags: readonly string[];
  /** The HA service state, as /cluster/resources reports it; unset when not an HA resource. */
  hastate?: string;
  /** The requested HA state (resources.cfg). */
  haRequest?: 'started' | 'stopped' | 'disabled' | 'ignored';
  lock?: string;
  hung: boolean;
  ignoresAcpi: boolean;
  agent: { configured: boolean; running: boolean };
  /** MAC and address of net0. */
  mac: string;
  ip?: string;
  snapshots: readonly string[];
  /** Backup volumes of this guest (volid and creation time in seconds), oldest first. */
  backups: readonly { volid: string; ctime: number }[];
}

export interface GuestBackupSpec {
  /** How long ago the backup ran, in simulated ms. */
  ageMs: number;
  /** A failed vzdump leaves a task with TASK ERROR and no volume. Default true. */
  ok?: boolean;
  /** Backup storage; default "nas". */
  storage?: string;
}

export interface GuestControl {
  readonly vmid: number;
  info(): GuestInfo;
  /**
   * Puts the guest straight into a state, without a task: "paused" = running + qmpstatus
   * paused; "hibernated" = stopped with lock "suspended" (suspended to disk).
   */
  setStatus(status: 'running' | 'stopped' | 'paused' | 'hibernated'): void;
  /** Renames the guest; undefined removes the name from its config (listed as "VM <vmid>"). */
  setName(name: string | undefined): void;
  /**
   * Makes the guest an HA resource with that requested state (undefined: not HA-managed) and
   * puts it straight where that state says, without tasks.
   */
  setHa(request: 'started' | 'stopped' | 'disabled' | 'ignored' | undefined): void;
  /** Records a vzdump run for the guest: its task in the node's history and, when it succeeded, its backup volume. */
  addBackup(spec: GuestBackupSpec): void;
  /** A hung guest ignores ACPI (shutdown times out), its agent stops answering, its CPU pegs. */
  setHung(hung: boolean): void;
  setIgnoresAcpi(ignores: boolean): void;
  setAgent(agent: { configured?: boolean; running?: boolean }): void;
  setLock(lock: string | undefined): void;
  setLoad(load: { cpu?: number; mem?: number }): void;
}

export interface RequestLogEntry {
  /** Simulated ms. */
  time: number;
  node: string;
  method: string;
  /** API path below /api2/json, without the query. */
  path: string;
  status: number;
  durationMs: number;
}

export interface ClusterNodeDescription {
  name: string;
  address: string;
  port: number;
  url: string;
  online: boolean;
}

export interface ProxmoxClusterDescription {
  clusterName: string;
  /** The release, e.g. "9.1.2". */
  version: string;
  url: string;
  urls: Record<string, string>;
  fingerprint: string;
  credentials: LabCredentials;
  nodes: ClusterNodeDescription[];
  guests: number;
}

export interface ProxmoxClusterHandle {
  /** The Proxmox VE release it runs: 9 or 8. */
  readonly version: PveMajor;
  /** Base URL of the first node, e.g. https://127.0.1.1:8006 (the API is under /api2/json). */
  readonly url: string;
  /** Base URL per node name. */
  readonly urls: Readonly<Record<string, string>>;
  /** SHA-256 of the certificate's DER, "AB:CD:…" as Proxmox and openssl print it. */
  readonly fingerprint: string;
  readonly certPem: string;
  readonly clusterName: string;
  readonly credentials: LabCredentials;
  guest(vmid: number): GuestControl;
  vmids(): number[];
  /** A node's subscription and APT repositories (default: no subscription, the no-subscription repository): read, or changed by a patch. */
  repos(node: string, patch?: Partial<LabRepoState>): LabRepoState;
  /** Merges into the active faults; pass undefined values or call clearFaults() to lift them. */
  setFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Invalidates every ticket and CSRF token issued so far (new logins work). */
  expireTickets(): void;
  /** Moves simulated time forward (ticket expiry, uptimes, RRD). */
  advanceTime(ms: number): void;
  /** New self-signed certificate on every node; resolves to the new fingerprint. */
  rotateCertificate(): Promise<string>;
  /** API requests answered since start (or the last resetRequestLog). */
  requestCount(): number;
  requestLog(): readonly RequestLogEntry[];
  /** Requests per "METHOD /path", e.g. {"GET /cluster/resources": 3}. */
  requestCounts(): Record<string, number>;
  resetRequestLog(): void;
  /** Resolves once no task is running (tests: wait for actions to settle). */
  waitForIdle(timeoutMs?: number): Promise<void>;
  describe(): ProxmoxClusterDescription;
  /** Runs `pveum` on a node of the cluster (roles, users, tokens, ACLs), answering like the real CLI. */
  pveum(args: readonly string[]): { stdout: string; stderr: string; code: number };
  stop(): Promise<void>;
}
