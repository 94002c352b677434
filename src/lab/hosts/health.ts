import { createRng } from '../random';
import type { HostSpec } from './spec';

/**
 * What a host's health tools report: its disks as smartctl sees them, its temperatures as
 * lm-sensors sees them, failed systemd units, a pending reboot and waiting upgrades. Derived
 * from the host's identity (the same seed, the same lab) and kept per host, so a test can change
 * it (`labHealth(host.spec).failedUnits.push(…)`) and the next command prints what changed.
 */
export interface LabDisk {
  /** The device smartctl opens: /dev/nvme0, /dev/sda. */
  device: string;
  protocol: 'NVMe' | 'ATA';
  passed: boolean;
  tempC: number;
  powerOnHours: number;
  powerCycles: number;
  /** ATA: reallocated and pending sectors; NVMe: media errors and wear. */
  reallocated: number;
  pending: number;
  mediaErrors: number;
  percentageUsed: number;
}

export interface LabUpgrade {
  name: string;
  suite: string;
  version: string;
  from: string;
}

export interface HostHealth {
  disks: LabDisk[];
  /** CPU package (Intel) or Tctl (AMD) temperature, °C; cores read a little below it. */
  cpuTempC: number;
  failedUnits: Array<{ unit: string; description: string }>;
  /** Packages that asked for a reboot; undefined: none pending. */
  rebootRequired: string[] | undefined;
  upgradable: LabUpgrade[];
  /** smartmontools and lm-sensors installed (a fresh Debian has neither). */
  smartmontools: boolean;
  lmSensors: boolean;
}

const byHost = new WeakMap<HostSpec, HostHealth>();

/** The host's health, made on first use from its identity; the same object every time after. */
export function labHealth(spec: HostSpec): HostHealth {
  let h = byHost.get(spec);
  if (!h) {
    h = initialHealth(spec);
    byHost.set(spec, h);
  }
  return h;
}

function seedOf(spec: HostSpec): number {
  let n = 0;
  for (const c of spec.machineId) n = (Math.imul(n, 31) + c.charCodeAt(0)) >>> 0;
  return n;
}

const DEBIAN_UPGRADES: LabUpgrade[] = [
  { name: 'base-files', suite: 'stable', version: '12.4+deb12u8', from: '12.4+deb12u7' },
  { name: 'libssl3', suite: 'stable-security', version: '3.0.15-1~deb12u1', from: '3.0.14-1~deb12u2' },
  { name: 'openssh-server', suite: 'stable-security', version: '1:9.2p1-2+deb12u4', from: '1:9.2p1-2+deb12u3' },
  { name: 'tzdata', suite: 'stable-updates', version: '2024b-0+deb12u1', from: '2024a-0+deb12u1' },
  { name: 'curl', suite: 'stable', version: '7.88.1-10+deb12u8', from: '7.88.1-10+deb12u7' },
];
const UBUNTU_UPGRADES: LabUpgrade[] = [
  { name: 'libssl3t64', suite: 'noble-updates,noble-security', version: '3.0.13-0ubuntu3.4', from: '3.0.13-0ubuntu3.1' },
  { name: 'snapd', suite: 'noble-updates', version: '2.66.1+24.04', from: '2.63+24.04' },
  { name: 'ubuntu-advantage-tools', suite: 'noble-updates', version: '34~24.04', from: '32.3.1~24.04' },
];

function initialHealth(spec: HostSpec): HostHealth {
  const rng = createRng(seedOf(spec));
  const nvme: LabDisk = {
    device: '/dev/nvme0',
    protocol: 'NVMe',
    passed: true,
    tempC: rng.int(33, 44),
    powerOnHours: rng.int(800, 30_000),
    powerCycles: rng.int(40, 900),
    reallocated: 0,
    pending: 0,
    mediaErrors: 0,
    percentageUsed: rng.int(0, 12),
  };
  const disks = [nvme];
  if (spec.role === 'nas') {
    for (const device of ['/dev/sda', '/dev/sdb']) {
      disks.push({ device, protocol: 'ATA', passed: true, tempC: rng.int(30, 38), powerOnHours: rng.int(8_000, 40_000), powerCycles: rng.int(20, 200), reallocated: 0, pending: 0, mediaErrors: 0, percentageUsed: 0 });
    }
  }
  const pool = spec.os === 'ubuntu' ? UBUNTU_UPGRADES : DEBIAN_UPGRADES;
  const upgrades = pool.filter(() => rng.next() < 0.4);
  return {
    disks,
    cpuTempC: rng.int(38, 56),
    failedUnits: [],
    rebootRequired: rng.next() < 0.3 ? [`linux-image-${spec.kernel.release}`] : undefined,
    upgradable: upgrades,
    smartmontools: true,
    lmSensors: true,
  };
}
