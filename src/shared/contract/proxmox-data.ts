/**
 * What Rackdeck knows of a Proxmox VE cluster, as plain data: the driver produces it, the core
 * decides with it, and it crosses IPC as is (no secrets in any of it). The channels and the
 * views built on it are in proxmox.ts, which re-exports all of this.
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

/** PVE 9's pressure-stall figures of a running guest: the share of the last 10 s its tasks waited, in percent. */
export interface GuestPressure {
  cpuSome?: number;
  cpuFull?: number;
  ioSome?: number;
  ioFull?: number;
  memSome?: number;
  memFull?: number;
}

/** A guest's last successful backup, as the backup scan found it (vzdump tasks, backup volumes). */
export interface GuestBackupView {
  /** When the last successful backup ran (ms since the epoch); absent: none found. */
  lastOkAt?: number;
  /** Where it was seen: a backup volume (its volid) or a vzdump task. */
  source?: 'volume' | 'task';
  volid?: string;
  /** When the cluster's backups were last scanned (ms). */
  scannedAt: number;
  /** Older than the threshold in the settings (or none found): the card flags it. */
  stale: boolean;
}

export interface ProxmoxGuestInfo {
  cluster: string;
  /** "qemu/100", "lxc/101": unique in a cluster (vmids are cluster-wide). */
  id: string;
  type: GuestType;
  vmid: number;
  node: string;
  /** As Proxmox lists it; an unnamed guest is listed "VM 200" / "CT200" (then `named` is false). */
  name: string;
  /** False when the guest has no name of its own (its name is Proxmox's "VM <vmid>" / "CT<vmid>"). */
  named?: boolean;
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
  /** PVE 9: the host memory a running VM takes (bytes). */
  memhost?: number;
  /** PVE 9: pressure-stall figures of a running guest (VMs from the refresh's per-node list). */
  pressure?: GuestPressure;
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
