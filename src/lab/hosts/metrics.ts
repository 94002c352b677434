import type { Rng } from '../random';
import type { HostSpec } from './spec';

/**
 * The moving figures of a running machine, advanced lazily to "now" whenever something reads
 * them. Counters only grow (as in the kernel) and stop while the machine is suspended, while
 * uptime keeps counting through suspend like CLOCK_BOOTTIME does. All values are floats in
 * kernel units (USER_HZ ticks, bytes, kB); renderers floor them, which keeps them monotonic.
 */
export const USER_HZ = 100;

export interface CpuTimes {
  user: number; nice: number; system: number; idle: number; iowait: number;
  irq: number; softirq: number; steal: number; guest: number; guestNice: number;
}

export interface NicCounters {
  rxBytes: number; rxPackets: number; rxErrs: number; rxDrop: number; rxMulticast: number;
  txBytes: number; txPackets: number; txErrs: number; txDrop: number;
}

export interface MemoryFigures {
  anonKb: number; cachedKb: number; buffersKb: number; shmemKb: number; slabReclaimableKb: number;
  slabUnreclaimKb: number; kernelStackKb: number; pageTablesKb: number; dirtyKb: number; swapUsedKb: number;
}

export class HostMetrics {
  readonly cpus: CpuTimes[];
  readonly nics = new Map<string, NicCounters>();
  /** Bytes used per mount target. */
  readonly diskUsed = new Map<string, number>();
  readonly memory: MemoryFigures;
  readonly softirqs = new Array<number>(10).fill(0);
  readonly loadavg: [number, number, number] = [0, 0, 0];
  ctxt = 0;
  intr = 0;
  processes = 0;
  running = 1;
  blocked = 0;
  tasks: number;
  readonly bootedAtMs: number;
  private lastMs: number;
  private paused = false;

  constructor(private readonly spec: HostSpec, private readonly rng: Rng, nowMs: number, uptimeSec: number) {
    this.bootedAtMs = nowMs - uptimeSec * 1000;
    this.lastMs = this.bootedAtMs;
    this.cpus = Array.from({ length: spec.cpus }, () => ({
      user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0,
    }));
    for (const nic of ['lo', ...spec.nics.map((n) => n.name)]) {
      this.nics.set(nic, { rxBytes: 0, rxPackets: 0, rxErrs: 0, rxDrop: 0, rxMulticast: 0, txBytes: 0, txPackets: 0, txErrs: 0, txDrop: 0 });
    }
    for (const mount of spec.mounts) this.diskUsed.set(mount.target, mount.sizeBytes * mount.usedFraction);
    const total = spec.memTotalKb;
    this.memory = {
      anonKb: total * spec.memLoad, cachedKb: total * 0.2, buffersKb: total * 0.015, shmemKb: total * 0.002,
      slabReclaimableKb: total * 0.012, slabUnreclaimKb: total * 0.006, kernelStackKb: 9000 + spec.cpus * 400,
      pageTablesKb: total * 0.002, dirtyKb: 120, swapUsedKb: 0,
    };
    this.tasks = 140 + Math.round(rng.next() * 120) + (spec.role === 'proxmox' ? 200 : 0);
    this.advance(nowMs);
    // One long first step leaves the three averages equal; real ones never are.
    for (let i = 0; i < 3; i++) this.loadavg[i] = (this.loadavg[i] ?? 0) * (0.8 + rng.next() * 0.4);
  }

  uptimeSec(nowMs: number): number {
    return Math.max(0, (nowMs - this.bootedAtMs) / 1000);
  }

  /** Sum of idle time over all CPUs, in seconds: the second field of /proc/uptime. */
  idleSec(): number {
    return this.cpus.reduce((sum, c) => sum + c.idle, 0) / USER_HZ;
  }

  /** Freezes counters at the moment the machine goes to sleep. */
  pause(nowMs: number): void {
    this.advance(nowMs);
    this.paused = true;
  }

  resume(nowMs: number): void {
    this.paused = false;
    this.lastMs = Math.max(this.lastMs, nowMs);
  }

  advance(nowMs: number): void {
    if (this.paused || nowMs <= this.lastMs) return;
    const dt = (nowMs - this.lastMs) / 1000;
    this.lastMs = nowMs;
    // A long stretch (the uptime before the lab started) is averaged so jitter cannot dominate it.
    const spread = dt > 600 ? 0.05 : 0.5;
    let busyTotal = 0;
    for (const cpu of this.cpus) {
      const busy = clamp(this.rng.jitter(this.spec.cpuLoad, this.spec.cpuLoad * spread), 0.002, 0.98);
      busyTotal += busy;
      const ticks = dt * USER_HZ;
      const user = ticks * busy * 0.7;
      cpu.user += user;
      cpu.nice += ticks * busy * 0.01;
      cpu.system += ticks * busy * 0.22;
      cpu.softirq += ticks * busy * 0.05;
      cpu.irq += ticks * busy * 0.02;
      const iowait = ticks * (1 - busy) * (this.spec.role === 'nas' ? 0.03 : 0.004);
      cpu.iowait += iowait;
      cpu.idle += ticks * (1 - busy) - iowait;
      // Time spent running guests is also counted in user, as the kernel does.
      if (this.spec.role === 'proxmox') cpu.guest += user * 0.6;
    }
    this.advanceLoad(busyTotal, dt);
    this.ctxt += dt * (900 + busyTotal * 2500);
    this.intr += dt * (600 + busyTotal * 1800);
    this.processes += dt * (0.4 + busyTotal * 2);
    const soft = dt * (300 + busyTotal * 900);
    [0.0001, 0.35, 0.004, 0.12, 0.05, 0, 0.0002, 0.25, 0.0001, 0.23].forEach((share, i) => {
      this.softirqs[i] = (this.softirqs[i] ?? 0) + soft * share;
    });
    this.advanceNetwork(dt, spread);
    this.advanceMemory();
    this.advanceDisks(dt);
  }

  private advanceLoad(busyTotal: number, dt: number): void {
    const runnable = Math.max(0, busyTotal * 1.1 + this.rng.jitter(0, 0.2));
    [60, 300, 900].forEach((period, i) => {
      const decay = Math.exp(-dt / period);
      this.loadavg[i] = (this.loadavg[i] ?? 0) * decay + runnable * (1 - decay);
    });
    this.running = 1 + Math.round(busyTotal * 0.5 * this.rng.next());
    this.blocked = this.rng.next() < 0.05 ? 1 : 0;
    this.tasks = Math.max(80, Math.round(this.tasks + this.rng.jitter(0, 2)));
  }

  private advanceNetwork(dt: number, spread: number): void {
    const lo = this.nics.get('lo');
    if (lo) {
      const bytes = dt * 1800 * this.rng.jitter(1, spread);
      lo.rxBytes += bytes; lo.txBytes += bytes; lo.rxPackets += bytes / 320; lo.txPackets += bytes / 320;
    }
    for (const nic of this.spec.nics) {
      const c = this.nics.get(nic.name);
      if (!c || !nic.carrier) continue;
      const rx = dt * nic.rxRate * this.rng.jitter(1, spread * 0.8);
      const tx = dt * nic.txRate * this.rng.jitter(1, spread * 0.8);
      c.rxBytes += rx; c.txBytes += tx;
      c.rxPackets += rx / 880; c.txPackets += tx / 610;
      c.rxMulticast += dt * 0.4;
      c.rxDrop += dt * 0.002;
    }
  }

  private advanceMemory(): void {
    const total = this.spec.memTotalKb;
    const m = this.memory;
    const target = total * clamp(this.rng.jitter(this.spec.memLoad, 0.04), 0.05, 0.92);
    m.anonKb = m.anonKb * 0.7 + target * 0.3;
    const room = Math.max(0, total - m.anonKb - m.slabReclaimableKb - m.slabUnreclaimKb - m.kernelStackKb - m.pageTablesKb);
    m.cachedKb = clamp(m.cachedKb * 0.9 + room * 0.55 * 0.1, 0, room * 0.8);
    m.buffersKb = clamp(m.buffersKb + this.rng.jitter(0, 200), 1000, room * 0.05 + 1000);
    m.dirtyKb = Math.max(0, this.rng.jitter(300, 250));
  }

  private advanceDisks(dt: number): void {
    for (const mount of this.spec.mounts) {
      // Only real data volumes grow (logs, caches, backups); /boot/efi and /etc/pve stay put.
      if (mount.fstype !== 'ext4') continue;
      const used = this.diskUsed.get(mount.target) ?? 0;
      const growth = dt * mount.sizeBytes * 2e-9 * this.rng.next();
      // Never past 98 % so Use% stays believable however long the lab runs.
      this.diskUsed.set(mount.target, Math.min(mount.sizeBytes * 0.98, used + growth));
    }
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
