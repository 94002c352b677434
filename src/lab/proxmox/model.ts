/**
 * The simulated cluster's own records. Handlers render these into the API's shapes; tests and
 * the demo change them through the handle's controls.
 */
import type { LabNodeHost } from '../types';

export type GuestType = 'qemu' | 'lxc';

export interface GuestNic {
  /** Config key: net0, net1, ... */
  key: string;
  mac: string;
  bridge: string;
  /** QEMU NIC model (virtio, e1000); LXC NICs are veth. */
  model?: string;
  /** Interface name inside the guest: eth0 for containers, ens18 for VMs. */
  ifname: string;
  /** "127.0.10.5/24", "dhcp" or "manual" for containers; the address the guest holds for VMs. */
  ip: string;
  gw?: string;
  /** The address a DHCP or guest-agent lookup reports (containers with ip=dhcp, all VMs). */
  leased?: string;
  firewall: boolean;
}

export interface Snapshot {
  name: string;
  description: string;
  /** Seconds since the epoch. */
  snaptime: number;
  parent?: string;
  /** QEMU: RAM saved with the snapshot. */
  vmstate: boolean;
  /** Whether the guest was running when taken: a vmstate rollback brings it back running. */
  wasRunning: boolean;
}

/** How busy a guest is when it runs: the centre its live figures wander around. */
export interface GuestLoad {
  /** Fraction of its cores, 0..1. */
  cpu: number;
  /** Fraction of its memory in use, 0..1. */
  mem: number;
  /** Bytes per second. */
  net: number;
  disk: number;
}

/** The state asked of the HA manager (ha-manager set --state; "enabled" is stored as started). */
export type HaRequest = 'started' | 'stopped' | 'disabled' | 'ignored';

/** A guest's entry in /etc/pve/ha/resources.cfg and its service state in the HA manager. */
export interface GuestHa {
  request: HaRequest;
  /**
   * The manager's service state, what /cluster/resources calls hastate: started, starting,
   * request_stop, stopped, disabled, ignored.
   */
  service: string;
  comment?: string;
  group?: string;
  maxRestart: number;
  maxRelocate: number;
  /** PVE 9: move back to the preferred node when it returns. */
  failback: boolean;
}

export interface Guest {
  vmid: number;
  type: GuestType;
  node: string;
  /** The config's name (QEMU) or hostname (LXC); unset guests are listed as "VM 200" / "CT200". */
  name?: string;
  status: 'running' | 'stopped';
  /** QEMU: paused via QMP (status stays "running"); LXC: frozen. */
  paused: boolean;
  template: boolean;
  tags: string[];
  /** Set while the guest is an HA resource. */
  ha?: GuestHa;
  lock?: string;
  cores: number;
  sockets: number;
  memoryMiB: number;
  swapMiB: number;
  diskGiB: number;
  diskUsedFraction: number;
  storage: string;
  ostype: string;
  onboot: boolean;
  /** QEMU: `agent: 1` in the config. */
  agentConfigured: boolean;
  /** QEMU: the agent runs inside the guest (answers when the guest runs and is not hung). */
  agentInstalled: boolean;
  /** The guest OS ignores ACPI power-button events: shutdown times out. */
  ignoresAcpi: boolean;
  /** The guest OS is frozen: no ACPI, no agent, CPU pegged. */
  hung: boolean;
  /** Simulated ms when it last started; undefined while stopped. */
  startedAt?: number;
  nics: GuestNic[];
  snapshots: Snapshot[];
  /** Parent of the "current" state: the snapshot it was last taken from or rolled back to. */
  currentParent?: string;
  load: GuestLoad;
  /** Per-guest constants so configs look real and stay stable. */
  uuid: string;
  ctime: number;
  /** Changes whenever the config changes, like the SHA1 digest of the config file. */
  configVersion: number;
}

export interface NodeRecord {
  name: string;
  host: LabNodeHost;
  nodeid: number;
  address: string;
  /** Configured port; 0 means "pick one", replaced by the bound port on first listen. */
  port: number;
  cpus: number;
  cpuModel: string;
  memBytes: number;
  rootBytes: number;
  swapBytes: number;
  /** Simulated ms of the last boot, for uptime. */
  bootedAt: number;
  /** Simulated ms since when it has been unreachable; undefined while online. */
  offlineSince?: number;
  /** Baseline load of the host itself. */
  baseCpu: number;
}

export interface StorageDef {
  id: string;
  type: 'dir' | 'lvmthin' | 'nfs';
  content: string[];
  shared: boolean;
  totalBytes: number;
  path?: string;
  vgname?: string;
  thinpool?: string;
  server?: string;
  export?: string;
}

/** A file on a storage that is not a guest disk: ISO images, container templates, backups. */
export interface StorageFile {
  storage: string;
  /** For node-local storages, the node holding it; undefined on shared storage. */
  node?: string;
  volid: string;
  content: 'iso' | 'vztmpl' | 'backup';
  format: string;
  size: number;
  ctime: number;
  vmid?: number;
  notes?: string;
}
