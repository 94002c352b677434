import type { MetricSample } from '../../../shared/metrics';
import { diskTotals } from './df';
import { netRates, skipLoopback } from './net-dev';
import { cpuPercent } from './proc-stat';
import type { HostReadings } from './snapshot';

export interface SampleOptions {
  /** Mounts whose usage makes the disk figures (default: `/`). */
  mounts?: readonly string[];
  /** Interfaces left out of the network rate (default: loopback only). */
  skipInterface?: (iface: string) => boolean;
}

/**
 * The sample a poll yields, given the previous poll's readings. Rates are timed by the host's own
 * /proc/uptime rather than our clock, so SSH latency does not skew them. When the host rebooted
 * between polls (uptime went back, or btime changed) cpu and network are left out: there is no
 * valid interval to measure them over.
 */
export function toSample(t: number, next: HostReadings, prev?: HostReadings, options: SampleOptions = {}): MetricSample {
  const sample: MetricSample = {
    t,
    memUsed: next.mem.used,
    memTotal: next.mem.total,
    load1: next.load.load1,
  };
  const disk = diskTotals(next.disks, options.mounts);
  if (disk) {
    sample.diskUsed = disk.used;
    sample.diskTotal = disk.total;
  }
  if (!prev || rebooted(prev, next)) return sample;
  const cpu = cpuPercent(prev.stat.total, next.stat.total);
  if (cpu !== undefined) sample.cpu = cpu;
  const rates = netRates(prev.net, next.net, next.uptime.uptime - prev.uptime.uptime, options.skipInterface ?? skipLoopback);
  if (rates) {
    sample.netIn = rates.rxPerSec;
    sample.netOut = rates.txPerSec;
  }
  return sample;
}

function rebooted(prev: HostReadings, next: HostReadings): boolean {
  if (next.uptime.uptime < prev.uptime.uptime) return true;
  return prev.stat.btime !== undefined && next.stat.btime !== undefined && Math.abs(next.stat.btime - prev.stat.btime) > 2;
}
