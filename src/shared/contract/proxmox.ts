import * as z from 'zod';
import { request } from '../ipc';
import type { PowerState } from '../power';

import { GUEST_ACTIONS, type GuestAction, type GuestAddress, type GuestBackupView, type GuestType, type ProxmoxChange, type ProxmoxGuestInfo, type SnapshotTree, type TaskInfo, type TaskLogLine, type TaskOutcome } from './proxmox-data';
import { lazySchema } from './lazy';

/**
 * The Proxmox channels of the contract, the cluster config and the views that cross IPC. The
 * plain data they carry (guests, nodes, tasks, snapshots) is in proxmox-data.ts, re-exported here.
 */
export * from './proxmox-data';

// ---------------------------------------------------------------- cluster config

/** A cluster's name in Rackdeck: it names its servers' ids, so it stays short and plain. */
export const clusterNameSchema = lazySchema(() => z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'a cluster name is 1–32 letters, digits, dots, dashes or underscores'));

const FINGERPRINT = /^(?:[0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/**
 * What config.json keeps of a cluster. The token secret or password is NOT here: it lives in
 * the encrypted secrets store, keyed by the cluster.
 */
export const clusterConfigSchema = lazySchema(() => z.object({
  name: clusterNameSchema,
  /** https://host:8006 */
  url: z.string().trim().min(1).max(300),
  auth: z.enum(['token', 'ticket']),
  /** user@realm!tokenid, for auth "token". */
  tokenId: z.string().trim().max(200).optional(),
  /** user@realm, for auth "ticket". */
  username: z.string().trim().max(200).optional(),
  /**
   * user@realm whose login opens the consoles of a token cluster: PVE 8 refuses API tokens on
   * consoles. Its password is in the secrets store beside the token.
   */
  consoleUser: z.string().trim().max(200).optional(),
  /** SHA-256 of the pinned certificate, AA:BB:… (a self-signed cluster is reachable only with it). */
  fingerprint: z.string().regex(FINGERPRINT, 'a SHA-256 fingerprint in AA:BB:… form').optional(),
  /** The Proxmox VE release it ran when last asked ("9.1.2"): bulk actions and token consoles depend on it. */
  version: z.string().trim().max(40).optional(),
  /** Discover nodes and guests as servers (default on). */
  discovery: z.boolean().default(true),
  /** Discovery interval (default 10 s). */
  intervalMs: z.number().int().min(2_000).max(3_600_000).optional(),
  addedAt: z.number().int().nonnegative().optional(),
}));
export type ClusterConfig = z.output<typeof clusterConfigSchema>;

// ---------------------------------------------------------------- views that cross IPC

/** A task Rackdeck follows: progress, log, and the guest's state read back after it. */
export interface ProxmoxTask {
  upid: string;
  cluster: string;
  node: string;
  /** The server the task works on, when it is a discovered guest. */
  serverId?: string;
  /** A bulk task's guests (PVE 9's bulk actions: one task for many guests). */
  serverIds?: string[];
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
  /** The Proxmox VE release the cluster runs ("9.1.2"), read once per connection. */
  version?: string;
  /** What the last refresh could not read (endpoint and field named), without failing for it. */
  issues?: string[];
  /** Why its consoles cannot open with the credentials held (an API token on PVE 8), with the fix. */
  consoleRefusal?: string;
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
  /** Start and stop go through the HA manager. */
  haManaged: boolean;
  /** Its last successful backup, once the cluster's backups were scanned. */
  backup?: GuestBackupView;
  /** Age of that backup in ms at the time of the answer; absent when none was found or not scanned yet. */
  backupAgeMs?: number;
}

/** The bulk guest actions: one API call on PVE 9 (/cluster/bulk-action/guest/…), one per guest on 8. */
export const BULK_ACTIONS = ['start', 'shutdown', 'suspend'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export interface BulkResult {
  action: BulkAction;
  /** Per cluster: one bulk task on PVE 9, a task per guest on 8 (or where the cluster refused the bulk call). */
  clusters: { cluster: string; mode: 'bulk' | 'per-guest'; tasks: ProxmoxTask[]; guests: string[] }[];
  /** Guests left out, and why (already running, a template, locked…). */
  skipped: { guest: string; reason: string }[];
}

/** The Proxmox capability's settings (kept in config.json under `settings.proxmox`). */
export interface ProxmoxSettingsView {
  /** A guest whose last successful backup is older than this is flagged on its card. */
  backupMaxAgeHours: number;
  /** How often the backups of every cluster are scanned. */
  backupScanIntervalMs: number;
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

// ---------------------------------------------------------------- settings

/** `settings.proxmox` in config.json: every field has a default, so older files read as they are. */
export const proxmoxSettingsSchema = lazySchema(() => z.object({
  backupMaxAgeHours: z.number().int('whole hours').min(1, 'at least 1 hour').max(24 * 366, 'at most a year').default(72),
  backupScanIntervalMs: z.number().int().min(60_000, 'at least a minute').max(86_400_000, 'at most a day').default(15 * 60_000),
}));
export type ProxmoxSettings = z.output<typeof proxmoxSettingsSchema>;

// ---------------------------------------------------------------- channels

/** Proxmox snapshot names: a letter, then letters, digits, "-" or "_"; 2–40 characters. */
export const SNAPSHOT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{1,39}$/;

const guestRef = lazySchema(() => z.string().trim().min(1, 'a guest (name, vmid, CLUSTER/VMID or server id) is required').max(200));
const clusterRef = lazySchema(() => z.string().trim().min(1).max(64));
const snapshotName = lazySchema(() => z
  .string()
  .trim()
  .regex(SNAPSHOT_NAME_PATTERN, 'a snapshot name is 2–40 letters, digits, "-" or "_", starting with a letter')
  .refine((n) => n !== 'current' && n !== 'vzdump', '"current" and "vzdump" are reserved by Proxmox'));
const fingerprint = lazySchema(() => z
  .string()
  .trim()
  .regex(/^(?:sha-?256[:= ]?)?(?:[0-9A-Fa-f]{2}[: -]?){31}[0-9A-Fa-f]{2}$/i, 'a SHA-256 fingerprint: 64 hex digits, colons allowed'));

export const addClusterInputSchema = lazySchema(() => z
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
  }));

export const proxmoxContract = {
  clusters: request<ClusterView[]>()(() => z.object({}).strict()),
  /** Contacts the cluster (certificate, credentials, first discovery) before anything is saved. */
  addCluster: request<{ cluster: ClusterView; report: DiscoveryReport }>()(() => addClusterInputSchema),
  removeCluster: request<{ removed: string; servers: number }>()(() => z.object({ name: clusterRef }).strict()),
  /** The certificate a URL presents, for the trust-on-first-use step. Nothing is sent over it. */
  checkCertificate: request<CertificateView>()(() => z.object({ url: z.string().trim().min(1).max(300) }).strict()),
  /** Pins a (new) fingerprint after the admin compared it with the one the node shows. */
  trustFingerprint: request<ClusterView>()(() => z.object({ name: clusterRef, fingerprint }).strict()),
  /**
   * A user login for the consoles of a token cluster (PVE 8 refuses tokens on consoles); it is
   * checked with one login before it is kept. `username: null` removes it.
   */
  setConsoleLogin: request<ClusterView>()(
    () => z
      .object({ name: clusterRef, username: z.string().trim().min(1).max(200).nullable(), password: z.string().min(1).max(1024).optional() })
      .strict()
      .refine((v) => v.username === null || v.password !== undefined, { message: 'a password is required with the user', path: ['password'] }),
  ),
  /** Replaces the token secret or password (stored encrypted; never returned). */
  setCredentials: request<ClusterView>()(() => z.object({ name: clusterRef, secret: z.string().min(1).max(1024) }).strict()),
  /** Over SSH on a Proxmox host of the inventory: creates a least-privilege user, role and token, then adds the cluster. */
  setupToken: request<{ cluster: ClusterView; tokenId: string; privileges: string[] }>()(
    () => z
      .object({
        serverId: z.string().min(1),
        name: clusterNameSchema,
        fingerprint: fingerprint.optional(),
        tokenName: z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,63}$/, 'a token name: letters, digits, ".", "-", "_"').optional(),
        allowDelete: z.boolean().optional(),
      })
      .strict(),
  ),
  discover: request<DiscoveryReport[]>()(() => z.object({ cluster: clusterRef.optional() }).strict()),
  guests: request<GuestSummary[]>()(() => z.object({ cluster: clusterRef.optional() }).strict()),
  /** Starts an action and returns its task at once; `proxmox.task` events follow it. */
  guestAction: request<ProxmoxTask>()(
    () => z
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
  task: request<ProxmoxTask>()(() => z.object({ upid: z.string().trim().min(1).max(300), cluster: clusterRef.optional() }).strict()),
  /** Waits for a task Rackdeck follows to end (the guest's state read back), or reads an ended one. */
  waitTask: request<ProxmoxTask>()(() => z.object({ upid: z.string().trim().min(1).max(300) }).strict()),
  tasks: request<ProxmoxTask[]>()(() => z.object({ serverId: z.string().optional() }).strict()),
  taskLog: request<TaskLogLine[]>()(() => z.object({ upid: z.string().trim().min(1).max(300), start: z.number().int().min(0).optional(), cluster: clusterRef.optional() }).strict()),
  snapshots: request<SnapshotTree & { guest: GuestRefView }>()(() => z.object({ guest: guestRef }).strict()),
  snapshotCreate: request<ProxmoxTask>()(
    () => z.object({ guest: guestRef, name: snapshotName, description: z.string().max(8192).optional(), vmstate: z.boolean().optional() }).strict(),
  ),
  snapshotRollback: request<ProxmoxTask>()(() => z.object({ guest: guestRef, name: snapshotName, start: z.boolean().optional() }).strict()),
  snapshotDelete: request<ProxmoxTask>()(() => z.object({ guest: guestRef, name: snapshotName }).strict()),
  /** Deletes a guest; `confirmName` must be its name, typed by the admin. */
  deleteGuest: request<ProxmoxTask>()(() => z.object({ guest: guestRef, confirmName: z.string().min(1).max(200) }).strict()),
  storage: request<StorageView[]>()(() => z.object({ cluster: clusterRef.optional() }).strict()),
  nodeTasks: request<TaskInfo[]>()(
    () => z.object({ node: z.string().trim().min(1).max(64), cluster: clusterRef.optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
  ),
  changes: request<ProxmoxChange[]>()(() => z.object({ cluster: clusterRef.optional(), since: z.number().optional(), limit: z.number().int().min(1).max(1000).optional() }).strict()),
  addresses: request<GuestAddress[]>()(() => z.object({ guest: guestRef }).strict()),
  /**
   * Starts, shuts down or suspends many guests: one call per cluster on PVE 9
   * (/cluster/bulk-action/guest/…), a call per guest on PVE 8. Guests the action does not fit are skipped, with why.
   */
  bulk: request<BulkResult>()(
    () => z
      .object({
        guests: z.array(guestRef).min(1, 'name at least one guest').max(2000, 'at most 2000 guests at once'),
        action: z.enum(BULK_ACTIONS),
        /** shutdown: seconds each guest may take before it is stopped (with forceStop) or the task fails. */
        timeout: z.number().int().min(1).max(86_400).optional(),
        /** shutdown: stop a guest that did not shut down in time (Proxmox's default on 9). */
        forceStop: z.boolean().optional(),
        /** suspend: to disk (hibernate) instead of pausing. */
        toDisk: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Scans the backups of a cluster (or all) now instead of waiting for the backup loop. */
  scanBackups: request<{ cluster: string; guests: number; backedUp: number; issues: string[] }[]>()(() => z.object({ cluster: clusterRef.optional() }).strict()),
  settings: request<ProxmoxSettingsView>()(() => z.object({}).strict()),
  setSettings: request<ProxmoxSettingsView>()(
    () => z
      .object({
        backupMaxAgeHours: proxmoxSettingsSchema.shape.backupMaxAgeHours.unwrap().optional(),
        backupScanIntervalMs: proxmoxSettingsSchema.shape.backupScanIntervalMs.unwrap().optional(),
      })
      .strict(),
  ),
  lookup: request<GuestSummary | null>()(
    () => z
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
