import { z } from 'zod';
import { request } from '../ipc';
import type { PowerState } from '../power';

/**
 * What Rackdeck knows of a Proxmox VE cluster, as plain data: the driver produces it, the core
 * decides with it, and it crosses IPC as is (no secrets in any of it).
 */
export type GuestType = 'qemu' | 'lxc';

export interface ProxmoxNodeInfo {
  cluster: string;
  name: string;
  status: 'online' | 'offline' | 'unknown';
  ip?: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  uptime?: number;
  level?: string;
}

export interface ProxmoxGuestInfo {
  cluster: string;
  /** "qemu/100", "lxc/101": unique in a cluster (vmids are cluster-wide). */
  id: string;
  type: GuestType;
  vmid: number;
  node: string;
  name: string;
  /** As the cluster reports it: running, stopped, paused, unknown… */
  status: string;
  /** QEMU: the QMP run state when known (a paused VM is status running + qmpstatus paused). */
  qmpstatus?: string;
  template: boolean;
  tags: string[];
  hastate?: string;
  lock?: string;
  pool?: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  uptime?: number;
  netin?: number;
  netout?: number;
  diskread?: number;
  diskwrite?: number;
}

export interface ProxmoxStorageInfo {
  cluster: string;
  /** "storage/pve/local". */
  id: string;
  storage: string;
  node: string;
  status?: string;
  plugintype?: string;
  shared: boolean;
  content: string[];
  used?: number;
  total?: number;
}

/** The actions a guest may offer; `pause` is suspend to RAM, `hibernate` is suspend to disk. */
export const GUEST_ACTIONS = ['start', 'shutdown', 'stop', 'reboot', 'reset', 'pause', 'hibernate', 'resume'] as const;
export type GuestAction = (typeof GUEST_ACTIONS)[number];

export type TaskOutcome = 'running' | 'ok' | 'warnings' | 'error';

export interface TaskInfo {
  upid: string;
  node: string;
  type: string;
  /** The object it works on: a vmid, a storage… */
  id: string;
  user: string;
  /** Seconds since the epoch. */
  starttime: number;
  endtime?: number;
  status: 'running' | 'stopped';
  exitstatus?: string;
  outcome: TaskOutcome;
}

export interface TaskLogLine {
  n: number;
  t: string;
}

export interface SnapshotNode {
  name: string;
  description: string;
  /** Seconds since the epoch; absent for "current". */
  snaptime?: number;
  parent?: string;
  vmstate: boolean;
  children: SnapshotNode[];
  /** True for the pseudo-entry "current" (You are here!). */
  current: boolean;
}

export interface SnapshotTree {
  /** Snapshots without a parent, each with its children; "current" hangs under its parent. */
  roots: SnapshotNode[];
  /** Name of the snapshot the current state derives from, if any. */
  currentParent?: string;
  /** Flat list, oldest first, without "current". */
  list: Omit<SnapshotNode, 'children'>[];
  /** Whether the guest was running when listed (from "current"). */
  running?: boolean;
}

export interface GuestAddress {
  address: string;
  family: 'ipv4' | 'ipv6';
  prefix?: number;
  interface?: string;
  mac?: string;
  /** Where it was learned. */
  source: 'agent' | 'lxc' | 'config';
}

export type ChangeKind = 'created' | 'removed' | 'moved' | 'started' | 'stopped' | 'paused' | 'resumed' | 'renamed' | 'node-online' | 'node-offline';

export interface ProxmoxChange {
  at: number;
  cluster: string;
  kind: ChangeKind;
  /** "qemu/100", "node/pve1". */
  id: string;
  name: string;
  detail: string;
}

// ---------------------------------------------------------------- cluster config

/** A cluster's name in Rackdeck: it names its servers' ids, so it stays short and plain. */
export const clusterNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'a cluster name is 1–32 letters, digits, dots, dashes or underscores');

const FINGERPRINT = /^(?:[0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/**
 * What config.json keeps of a cluster. The token secret or password is NOT here: it lives in
 * the encrypted secrets store, keyed by the cluster.
 */
export const clusterConfigSchema = z.object({
  name: clusterNameSchema,
  /** https://host:8006 */
  url: z.string().trim().min(1).max(300),
  auth: z.enum(['token', 'ticket']),
  /** user@realm!tokenid, for auth "token". */
  tokenId: z.string().trim().max(200).optional(),
  /** user@realm, for auth "ticket". */
  username: z.string().trim().max(200).optional(),
  /** SHA-256 of the pinned certificate, AA:BB:… (a self-signed cluster is reachable only with it). */
  fingerprint: z.string().regex(FINGERPRINT, 'a SHA-256 fingerprint in AA:BB:… form').optional(),
  /** Discover nodes and guests as servers (default on). */
  discovery: z.boolean().default(true),
  /** Discovery interval (default 10 s). */
  intervalMs: z.number().int().min(2_000).max(3_600_000).optional(),
  addedAt: z.number().int().nonnegative().optional(),
});
export type ClusterConfig = z.output<typeof clusterConfigSchema>;

// ---------------------------------------------------------------- views that cross IPC

/** A task Rackdeck follows: progress, log, and the guest's state read back after it. */
export interface ProxmoxTask {
  upid: string;
  cluster: string;
  node: string;
  /** The server the task works on, when it is a discovered guest. */
  serverId?: string;
  /** What Rackdeck asked for: start, shutdown, snapshot …, rollback …, delete. */
  action: string;
  /** Proxmox's task type: qmstart, vzshutdown… */
  type: string;
  status: 'running' | 'stopped';
  outcome: TaskOutcome;
  exitstatus?: string;
  startedAt: number;
  endedAt?: number;
  log: TaskLogLine[];
  /** The guest's state read back after the task, not assumed from it. */
  confirmed?: { power: PowerState; status: string; qmpstatus?: string };
  /** Following the task failed (the cluster went away); the task may still run. */
  error?: string;
}

export interface ClusterError {
  /** auth, permission, unreachable, certificate_untrusted, certificate_mismatch… */
  kind: string;
  message: string;
  /** The fingerprint the cluster presented (certificate errors): what the admin compares and trusts. */
  fingerprint?: string;
  expectedFingerprint?: string;
}

export interface ClusterStatus {
  state: 'never' | 'ok' | 'error';
  at?: number;
  error?: ClusterError;
  nodes: number;
  guests: number;
  storage: number;
  /** API requests the last refresh took. */
  requests?: number;
}

export interface ClusterView extends ClusterConfig {
  hasSecret: boolean;
  status: ClusterStatus;
}

export interface DiscoveryReport {
  cluster: string;
  ok: boolean;
  at: number;
  nodes: number;
  guests: number;
  storage: number;
  requests: number;
  changes: ProxmoxChange[];
  error?: ClusterError;
}

export interface GuestSummary extends ProxmoxGuestInfo {
  serverId: string;
  serverName?: string;
  power: PowerState;
  actions: GuestAction[];
  nodeStatus: 'online' | 'offline' | 'unknown';
}

export interface StorageView {
  cluster: string;
  storage: string;
  node: string;
  type?: string;
  content: string[];
  shared: boolean;
  active?: boolean;
  enabled?: boolean;
  used?: number;
  total?: number;
  avail?: number;
  fraction?: number;
}

export interface CertificateView {
  fingerprint: string;
  /** The system's CAs vouch for it: no pin needed. */
  authorized: boolean;
  authorizationError?: string;
  subject?: string;
  issuer?: string;
  validTo?: string;
}

// ---------------------------------------------------------------- channels

/** Proxmox snapshot names: a letter, then letters, digits, "-" or "_"; 2–40 characters. */
export const SNAPSHOT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{1,39}$/;

const guestRef = z.string().trim().min(1, 'a guest (name, vmid, CLUSTER/VMID or server id) is required').max(200);
const clusterRef = z.string().trim().min(1).max(64);
const snapshotName = z
  .string()
  .trim()
  .regex(SNAPSHOT_NAME_PATTERN, 'a snapshot name is 2–40 letters, digits, "-" or "_", starting with a letter')
  .refine((n) => n !== 'current' && n !== 'vzdump', '"current" and "vzdump" are reserved by Proxmox');
const fingerprint = z
  .string()
  .trim()
  .regex(/^(?:sha-?256[:= ]?)?(?:[0-9A-Fa-f]{2}[: -]?){31}[0-9A-Fa-f]{2}$/i, 'a SHA-256 fingerprint: 64 hex digits, colons allowed');

export const addClusterInputSchema = z
  .object({
    name: clusterNameSchema,
    url: z.string().trim().min(1, 'the cluster URL is required').max(300),
    /** USER@REALM!TOKENID=SECRET */
    token: z.string().trim().min(1).max(400).optional(),
    /** USER@REALM, with password: ticket auth. */
    username: z.string().trim().min(1).max(200).optional(),
    password: z.string().min(1).max(1024).optional(),
    fingerprint: fingerprint.optional(),
    discovery: z.boolean().optional(),
    intervalMs: z.number().int().min(2_000).max(3_600_000).optional(),
  })
  .strict()
  .refine((v) => (v.token ? !v.username && !v.password : !!v.username && !!v.password), {
    message: 'give either an API token, or a user and a password',
    path: ['token'],
  });

export const proxmoxContract = {
  clusters: request<ClusterView[]>()(z.object({}).strict()),
  /** Contacts the cluster (certificate, credentials, first discovery) before anything is saved. */
  addCluster: request<{ cluster: ClusterView; report: DiscoveryReport }>()(addClusterInputSchema),
  removeCluster: request<{ removed: string; servers: number }>()(z.object({ name: clusterRef }).strict()),
  /** The certificate a URL presents, for the trust-on-first-use step. Nothing is sent over it. */
  checkCertificate: request<CertificateView>()(z.object({ url: z.string().trim().min(1).max(300) }).strict()),
  /** Pins a (new) fingerprint after the admin compared it with the one the node shows. */
  trustFingerprint: request<ClusterView>()(z.object({ name: clusterRef, fingerprint }).strict()),
  /** Replaces the token secret or password (stored encrypted; never returned). */
  setCredentials: request<ClusterView>()(z.object({ name: clusterRef, secret: z.string().min(1).max(1024) }).strict()),
  /** Over SSH on a Proxmox host of the inventory: creates a least-privilege user, role and token, then adds the cluster. */
  setupToken: request<{ cluster: ClusterView; tokenId: string; privileges: string[] }>()(
    z
      .object({
        serverId: z.string().min(1),
        name: clusterNameSchema,
        fingerprint: fingerprint.optional(),
        tokenName: z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,63}$/, 'a token name: letters, digits, ".", "-", "_"').optional(),
        allowDelete: z.boolean().optional(),
      })
      .strict(),
  ),
  discover: request<DiscoveryReport[]>()(z.object({ cluster: clusterRef.optional() }).strict()),
  guests: request<GuestSummary[]>()(z.object({ cluster: clusterRef.optional() }).strict()),
  /** Starts an action and returns its task at once; `proxmox.task` events follow it. */
  guestAction: request<ProxmoxTask>()(
    z
      .object({
        guest: guestRef,
        action: z.enum(GUEST_ACTIONS),
        /** shutdown: seconds to wait for the guest. */
        timeout: z.number().int().min(1).max(86_400).optional(),
        /** shutdown: stop it when the timeout passes. */
        forceStop: z.boolean().optional(),
      })
      .strict(),
  ),
  task: request<ProxmoxTask>()(z.object({ upid: z.string().trim().min(1).max(300), cluster: clusterRef.optional() }).strict()),
  tasks: request<ProxmoxTask[]>()(z.object({ serverId: z.string().optional() }).strict()),
  taskLog: request<TaskLogLine[]>()(z.object({ upid: z.string().trim().min(1).max(300), start: z.number().int().min(0).optional(), cluster: clusterRef.optional() }).strict()),
  snapshots: request<SnapshotTree & { guest: GuestRefView }>()(z.object({ guest: guestRef }).strict()),
  snapshotCreate: request<ProxmoxTask>()(
    z.object({ guest: guestRef, name: snapshotName, description: z.string().max(8192).optional(), vmstate: z.boolean().optional() }).strict(),
  ),
  snapshotRollback: request<ProxmoxTask>()(z.object({ guest: guestRef, name: snapshotName, start: z.boolean().optional() }).strict()),
  snapshotDelete: request<ProxmoxTask>()(z.object({ guest: guestRef, name: snapshotName }).strict()),
  /** Deletes a guest; `confirmName` must be its name, typed by the admin. */
  deleteGuest: request<ProxmoxTask>()(z.object({ guest: guestRef, confirmName: z.string().min(1).max(200) }).strict()),
  storage: request<StorageView[]>()(z.object({ cluster: clusterRef.optional() }).strict()),
  nodeTasks: request<TaskInfo[]>()(
    z.object({ node: z.string().trim().min(1).max(64), cluster: clusterRef.optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
  ),
  changes: request<ProxmoxChange[]>()(z.object({ cluster: clusterRef.optional(), since: z.number().optional(), limit: z.number().int().min(1).max(1000).optional() }).strict()),
  addresses: request<GuestAddress[]>()(z.object({ guest: guestRef }).strict()),
  lookup: request<GuestSummary | null>()(
    z
      .object({ ip: z.string().trim().max(64).optional(), hostname: z.string().trim().max(253).optional(), name: z.string().trim().max(200).optional() })
      .strict()
      .refine((q) => q.ip || q.hostname || q.name, 'give an IP, a hostname or a name'),
  ),
};

/** The guest a snapshot list belongs to (enough to label the tree). */
export interface GuestRefView {
  cluster: string;
  serverId: string;
  id: string;
  type: GuestType;
  vmid: number;
  node: string;
  name: string;
  status: string;
}
