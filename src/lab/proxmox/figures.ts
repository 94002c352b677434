/**
 * Live figures (CPU, memory, I/O) as pure functions of (guest, time): every request sees values
 * that wander smoothly, the RRD history agrees with the live numbers, and nothing needs a
 * ticking timer or per-request randomness. Determinism comes from a hash of (seed, key, time).
 */
import type { Guest, NodeRecord } from './model';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** A well-mixed 32-bit hash of three integers, as a float in [0, 1). */
function hash01(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^ Math.imul(c, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/** Value noise in [0, 1) that changes smoothly over `periodMs`. */
export function smoothNoise(seed: number, key: number, tMs: number, periodMs: number): number {
  const x = tMs / periodMs;
  const i = Math.floor(x);
  const f = x - i;
  const a = hash01(seed, key, i);
  const b = hash01(seed, key, i + 1);
  const s = f * f * (3 - 2 * f);
  return a + (b - a) * s;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Proxmox reports fractions with a handful of digits, not full doubles. */
export function round(v: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}

export class Figures {
  constructor(private readonly seed: number) {}

  isRunningAt(g: Guest, t: number): boolean {
    return g.status === 'running' && g.startedAt !== undefined && t >= g.startedAt;
  }

  maxcpu(g: Guest): number {
    return g.type === 'qemu' ? g.cores * g.sockets : g.cores;
  }

  maxmem(g: Guest): number {
    return g.memoryMiB * MiB;
  }

  maxdisk(g: Guest): number {
    return g.diskGiB * GiB;
  }

  uptime(g: Guest, t: number): number {
    return this.isRunningAt(g, t) && g.startedAt !== undefined ? Math.floor((t - g.startedAt) / 1000) : 0;
  }

  /** Fraction of the guest's cores, 0..1. */
  cpu(g: Guest, t: number): number {
    if (!this.isRunningAt(g, t)) return 0;
    if (g.hung) return 0.97 + 0.03 * smoothNoise(this.seed, g.vmid * 7 + 1, t, 5_000);
    if (g.paused) return 0;
    const wave = smoothNoise(this.seed, g.vmid * 7 + 2, t, 20_000);
    const slow = smoothNoise(this.seed, g.vmid * 7 + 3, t, 3_600_000);
    return clamp(g.load.cpu * (0.3 + 0.9 * wave + 0.6 * slow), 0.0005, 1);
  }

  mem(g: Guest, t: number): number {
    if (!this.isRunningAt(g, t)) return 0;
    const wave = smoothNoise(this.seed, g.vmid * 7 + 4, t, 60_000);
    return Math.round(this.maxmem(g) * clamp(g.load.mem * (0.9 + 0.2 * wave), 0.02, 0.99));
  }

  /**
   * PVE 9's memhost: what the guest costs the host (the QEMU process's proportional set size),
   * its RAM in use plus the emulator's own overhead.
   */
  memhost(g: Guest, t: number): number {
    if (!this.isRunningAt(g, t)) return 0;
    return Math.round(this.mem(g, t) * 1.04 + 160 * MiB);
  }

  /**
   * PVE 9's pressure-stall figures (the guest cgroup's avg10, in percent): how long tasks waited
   * for CPU, I/O or memory. Memory pressure climbs as the guest nears its memory limit, which
   * says "starved" better than the used-memory figure does; a hung guest pegs CPU pressure.
   */
  pressure(g: Guest, t: number): { cpuSome: number; cpuFull: number; ioSome: number; ioFull: number; memSome: number; memFull: number } {
    if (!this.isRunningAt(g, t) || g.paused) return { cpuSome: 0, cpuFull: 0, ioSome: 0, ioFull: 0, memSome: 0, memFull: 0 };
    const wave = smoothNoise(this.seed, g.vmid * 13 + 9, t, 30_000);
    const cpuSome = g.hung ? 85 + 10 * wave : Math.max(0, this.cpu(g, t) - 0.5) * 60 + 0.3 * wave;
    const memShare = this.maxmem(g) > 0 ? this.mem(g, t) / this.maxmem(g) : 0;
    const memSome = Math.max(0, memShare - 0.85) * 400 * (0.8 + 0.4 * wave);
    const ioSome = Math.min(60, (g.load.disk / 5_000_000) * 8 * (0.5 + wave));
    return {
      cpuSome: round(Math.min(100, cpuSome), 2),
      cpuFull: round(Math.min(100, cpuSome * 0.3), 2),
      ioSome: round(ioSome, 2),
      ioFull: round(ioSome * 0.6, 2),
      memSome: round(Math.min(100, memSome), 2),
      memFull: round(Math.min(100, memSome * 0.5), 2),
    };
  }

  /** Used bytes of the root disk; QEMU reports 0 (no insight into the guest file system). */
  disk(g: Guest): number {
    return g.type === 'lxc' ? Math.round(this.maxdisk(g) * g.diskUsedFraction) : 0;
  }

  /** Bytes per second at time t. */
  netRate(g: Guest, t: number, direction: 0 | 1): number {
    if (!this.isRunningAt(g, t) || g.paused) return 0;
    const wave = smoothNoise(this.seed, g.vmid * 7 + 5 + direction, t, 30_000);
    return g.load.net * (direction === 0 ? 1 : 0.6) * (0.2 + 1.6 * wave);
  }

  diskRate(g: Guest, t: number, direction: 0 | 1): number {
    if (!this.isRunningAt(g, t) || g.paused) return 0;
    const wave = smoothNoise(this.seed, g.vmid * 11 + 5 + direction, t, 45_000);
    return g.load.disk * (direction === 0 ? 0.7 : 1) * (0.1 + 1.8 * wave);
  }

  /** Byte counters since the guest started (what /cluster/resources reports). */
  counters(g: Guest, t: number): { netin: number; netout: number; diskread: number; diskwrite: number } {
    const up = this.uptime(g, t);
    if (up === 0) return { netin: 0, netout: 0, diskread: 0, diskwrite: 0 };
    return {
      netin: Math.round(g.load.net * up),
      netout: Math.round(g.load.net * 0.6 * up),
      diskread: Math.round(g.load.disk * 0.7 * up + 180 * MiB),
      diskwrite: Math.round(g.load.disk * up + 40 * MiB),
    };
  }

  nodeCpu(node: NodeRecord, guests: readonly Guest[], t: number): number {
    let used = node.baseCpu * (0.6 + 0.8 * smoothNoise(this.seed, node.nodeid * 13, t, 15_000)) * node.cpus;
    for (const g of guests) used += this.cpu(g, t) * this.maxcpu(g);
    return clamp(used / node.cpus, 0.001, 1);
  }

  nodeMem(node: NodeRecord, guests: readonly Guest[], t: number): number {
    let used = 2.1 * GiB + 0.3 * GiB * smoothNoise(this.seed, node.nodeid * 13 + 1, t, 120_000);
    for (const g of guests) used += this.mem(g, t);
    return Math.round(Math.min(used, node.memBytes * 0.97));
  }

  nodeRootUsed(node: NodeRecord): number {
    return Math.round(node.rootBytes * (0.18 + 0.1 * hash01(this.seed, node.nodeid, 99)));
  }

  nodeNetRate(node: NodeRecord, guests: readonly Guest[], t: number, direction: 0 | 1): number {
    let rate = 2_000 + 6_000 * smoothNoise(this.seed, node.nodeid * 13 + 2 + direction, t, 30_000);
    for (const g of guests) rate += this.netRate(g, t, direction);
    return rate;
  }

  loadavg(node: NodeRecord, guests: readonly Guest[], t: number): [number, number, number] {
    const base = this.nodeCpu(node, guests, t) * node.cpus;
    return [base * 1.1, base, base * 0.9].map((v) => Math.round(v * 100) / 100) as [number, number, number];
  }
}
