import type { LabHostInfo } from '../types';

/**
 * Everything fixed about a simulated machine: identity, hardware, network cards, disks.
 * The catalog derives it from the seed; the host adds what changes (power, counters).
 */
export type ServiceName = 'ssh' | 'http' | 'https' | 'rdp' | 'vnc' | 'proxmox';

/** Power state a host is in when the lab starts. */
export type InitialPower = 'on' | 'off' | 'suspended';

/** `ethtool` Wake-on letters; `g` is magic packet, `d` disabled. */
export type WakeOnMode = 'g' | 'd';

export interface NicSpec {
  ifindex: number;
  name: string;
  altnames: string[];
  mac: string;
  kind: 'ether' | 'bridge';
  /** The bridge this port is enslaved to (Proxmox: eno1 → vmbr0). */
  master?: string;
  carrier: boolean;
  speedMbps: number;
  qdisc: string;
  /** Wake-on-LAN capability of the hardware, or undefined for NICs that cannot wake (bridges). */
  wake?: { supports: string; mode: WakeOnMode };
  /** The IPv4 address configured on this interface, if any. */
  ipv4?: { local: string; prefixlen: number; broadcast: string };
  /** Baseline throughput in bytes per second, for counters. */
  rxRate: number;
  txRate: number;
}

export interface MountSpec {
  source: string;
  fstype: string;
  target: string;
  sizeBytes: number;
  /** Fraction used at boot; grows slowly while the host runs. */
  usedFraction: number;
}

export interface KernelSpec {
  release: string;
  /** The `#1 SMP …` build string of `uname -v`. */
  version: string;
  /** `/proc/version` compiler part. */
  compiler: string;
}

export interface HostSpec extends LabHostInfo {
  index: number;
  user: string;
  password: string;
  /** 4- or 6-byte SecureOn password the NIC demands in the magic packet. */
  secureOn?: Buffer;
  kernel: KernelSpec;
  /** Exact content of /etc/os-release (empty for Windows). */
  osRelease: string;
  prettyName: string;
  sshIdent: string;
  cpuModel: string;
  cpuMhz: number;
  cpus: number;
  memTotalKb: number;
  swapTotalKb: number;
  nics: NicSpec[];
  mounts: MountSpec[];
  machineId: string;
  initialPower: InitialPower;
  /** Seconds the host has been up when the lab starts (on or suspended hosts). */
  initialUptimeSec: number;
  /** Mean CPU busy fraction. */
  cpuLoad: number;
  /** Mean fraction of RAM used by processes. */
  memLoad: number;
  /** Can hibernate (swap at least the size of RAM). */
  canHibernate: boolean;
}
