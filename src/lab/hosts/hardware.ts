import type { Rng } from '../random';
import type { MountSpec } from './spec';

/** Hardware profiles per kind of machine: the boxes people actually run in a homelab. */
export interface HardwareProfile {
  cpuModel: string;
  cpuMhz: number;
  cpus: number;
  memGiB: readonly number[];
  /** Interface names; the first carries the address. */
  nicNames: readonly string[];
  nicAltnames: readonly (string | undefined)[];
  rootDiskBytes: readonly number[];
  swapGiB: number;
  cpuLoad: [number, number];
  memLoad: [number, number];
  rxRate: number;
  txRate: number;
}

export type MachineKind = 'proxmox' | 'nas' | 'web' | 'server' | 'desktop-linux' | 'desktop-windows';

const GB = 1_000_000_000;

export const HARDWARE: Readonly<Record<MachineKind, HardwareProfile>> = {
  proxmox: {
    cpuModel: 'Intel(R) Core(TM) i5-8500T CPU @ 2.10GHz', cpuMhz: 2100, cpus: 6, memGiB: [32, 64],
    nicNames: ['eno1'], nicAltnames: ['enp0s31f6'], rootDiskBytes: [100.8 * GB], swapGiB: 8,
    cpuLoad: [0.12, 0.35], memLoad: [0.45, 0.75], rxRate: 220_000, txRate: 160_000,
  },
  nas: {
    cpuModel: 'Intel(R) Celeron(R) N5105 @ 2.00GHz', cpuMhz: 2000, cpus: 4, memGiB: [8, 16],
    nicNames: ['enp1s0', 'enp2s0'], nicAltnames: [undefined, undefined], rootDiskBytes: [118 * GB], swapGiB: 1,
    cpuLoad: [0.03, 0.12], memLoad: [0.25, 0.45], rxRate: 1_800_000, txRate: 4_500_000,
  },
  web: {
    cpuModel: 'Intel(R) N100', cpuMhz: 800, cpus: 4, memGiB: [8, 16],
    nicNames: ['enp1s0'], nicAltnames: [undefined], rootDiskBytes: [250 * GB, 500 * GB], swapGiB: 1,
    cpuLoad: [0.05, 0.25], memLoad: [0.2, 0.5], rxRate: 450_000, txRate: 1_200_000,
  },
  server: {
    cpuModel: 'AMD Ryzen 5 5600G with Radeon Graphics', cpuMhz: 3900, cpus: 12, memGiB: [32, 64],
    nicNames: ['enp5s0'], nicAltnames: [undefined], rootDiskBytes: [500 * GB, 1000 * GB], swapGiB: 1,
    cpuLoad: [0.04, 0.2], memLoad: [0.2, 0.55], rxRate: 90_000, txRate: 60_000,
  },
  'desktop-linux': {
    cpuModel: 'AMD Ryzen 7 5800X 8-Core Processor', cpuMhz: 3800, cpus: 16, memGiB: [32],
    nicNames: ['enp4s0'], nicAltnames: [undefined], rootDiskBytes: [1000 * GB], swapGiB: 34,
    cpuLoad: [0.02, 0.15], memLoad: [0.15, 0.4], rxRate: 300_000, txRate: 40_000,
  },
  'desktop-windows': {
    cpuModel: 'AMD Ryzen 7 7700X 8-Core Processor', cpuMhz: 4500, cpus: 16, memGiB: [32],
    nicNames: ['Ethernet'], nicAltnames: [undefined], rootDiskBytes: [1000 * GB], swapGiB: 0,
    cpuLoad: [0.02, 0.15], memLoad: [0.3, 0.5], rxRate: 300_000, txRate: 40_000,
  },
};

/** Usable RAM as the kernel reports it: a few percent go to firmware and the kernel image. */
export function memTotalKb(gib: number): number {
  return Math.round(gib * 1024 * 1024 * 0.9765);
}

/** Block sizes on ext4 are 4 KiB; df figures that are not multiples of it look fake. */
export function blocks(bytes: number): number {
  return Math.round(bytes / 4096) * 4096;
}

/** Mounts in the order `df` lists them on each distribution. */
export function mountsFor(kind: MachineKind, os: string, memKb: number, rootBytes: number, rng: Rng): MountSpec[] {
  if (kind === 'desktop-windows') return [];
  const ram = memKb * 1024;
  const tmp = (target: string, size: number, used: number): MountSpec => ({
    source: 'tmpfs', fstype: 'tmpfs', target, sizeBytes: blocks(size), usedFraction: used,
  });
  const rootUsed = 0.08 + rng.next() * 0.45;
  const runUser = kind === 'proxmox' ? '/run/user/0' : '/run/user/1000';
  if (kind === 'proxmox') {
    return [
      { source: 'udev', fstype: 'devtmpfs', target: '/dev', sizeBytes: blocks(ram / 2), usedFraction: 0 },
      tmp('/run', ram / 10, 0.0012),
      { source: '/dev/mapper/pve-root', fstype: 'ext4', target: '/', sizeBytes: blocks(rootBytes), usedFraction: rootUsed },
      tmp('/dev/shm', ram / 2, 0.0006),
      tmp('/run/lock', 5_242_880, 0),
      { source: '/dev/nvme0n1p2', fstype: 'vfat', target: '/boot/efi', sizeBytes: 1_071_624_192, usedFraction: 0.0123 },
      { source: '/dev/fuse', fstype: 'fuse', target: '/etc/pve', sizeBytes: 134_217_728, usedFraction: 0.00024 },
      tmp(runUser, ram / 10, 0),
    ];
  }
  const root: MountSpec = { source: '/dev/nvme0n1p2', fstype: 'ext4', target: '/', sizeBytes: blocks(rootBytes), usedFraction: rootUsed };
  const efi: MountSpec = { source: '/dev/nvme0n1p1', fstype: 'vfat', target: '/boot/efi', sizeBytes: 535_805_952, usedFraction: 0.0113 };
  const mounts: MountSpec[] = os === 'ubuntu'
    ? [tmp('/run', ram / 10, 0.0011), root, tmp('/dev/shm', ram / 2, 0), tmp('/run/lock', 5_242_880, 0), efi]
    : [
        { source: 'udev', fstype: 'devtmpfs', target: '/dev', sizeBytes: blocks(ram / 2), usedFraction: 0 },
        tmp('/run', ram / 10, 0.0009), root, tmp('/dev/shm', ram / 2, 0), tmp('/run/lock', 5_242_880, 0), efi,
      ];
  if (kind === 'nas') {
    mounts.push({
      source: '/dev/md0', fstype: 'ext4', target: '/srv/storage',
      sizeBytes: blocks(rng.pick([7.8, 15.7, 23.6]) * 1e12), usedFraction: 0.3 + rng.next() * 0.5,
    });
  }
  mounts.push(tmp(runUser, ram / 10, 0));
  return mounts;
}
