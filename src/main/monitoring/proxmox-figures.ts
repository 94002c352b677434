import type { ProxmoxGuestInfo, ProxmoxNodeInfo } from '../../shared/contract/proxmox';
import type { MetricSample } from '../../shared/metrics';
import { counterDelta } from './metrics';

/**
 * Samples from the figures of `/cluster/resources` (pure), so no API request is spent on
 * metrics: CPU is a fraction of the guest's (or node's) CPUs, memory and disk are bytes, and
 * network is a pair of byte counters turned into rates between two refreshes.
 */
export interface NetCounters {
  at: number;
  netin: number;
  netout: number;
}

const finite = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function guestSample(g: ProxmoxGuestInfo, at: number, prev?: NetCounters): { sample?: MetricSample; counters?: NetCounters } {
  const counters = finite(g.netin) && finite(g.netout) ? { at, netin: g.netin, netout: g.netout } : undefined;
  // A stopped guest has no figures worth charting: the chart shows a gap, not a flat zero.
  if (g.status !== 'running' || g.template) return counters ? { counters } : {};
  const sample: MetricSample = { t: at };
  if (finite(g.cpu)) sample.cpu = Math.min(100, g.cpu * 100);
  if (finite(g.mem) && finite(g.maxmem) && g.maxmem > 0) {
    sample.memUsed = g.mem;
    sample.memTotal = g.maxmem;
  }
  // QEMU reports disk 0 unless its guest agent tells more; only a real figure is kept.
  if (finite(g.disk) && finite(g.maxdisk) && g.maxdisk > 0 && (g.disk > 0 || g.type === 'lxc')) {
    sample.diskUsed = g.disk;
    sample.diskTotal = g.maxdisk;
  }
  if (counters && prev && at > prev.at) {
    const seconds = (at - prev.at) / 1000;
    const rx = counterDelta(prev.netin, counters.netin);
    const tx = counterDelta(prev.netout, counters.netout);
    if (rx !== undefined) sample.netIn = rx / seconds;
    if (tx !== undefined) sample.netOut = tx / seconds;
  }
  return counters ? { sample, counters } : { sample };
}

export function nodeSample(n: ProxmoxNodeInfo, at: number): MetricSample | undefined {
  if (n.status !== 'online') return undefined;
  const sample: MetricSample = { t: at };
  if (finite(n.cpu)) sample.cpu = Math.min(100, n.cpu * 100);
  if (finite(n.mem) && finite(n.maxmem) && n.maxmem > 0) {
    sample.memUsed = n.mem;
    sample.memTotal = n.maxmem;
  }
  if (finite(n.disk) && finite(n.maxdisk) && n.maxdisk > 0) {
    sample.diskUsed = n.disk;
    sample.diskTotal = n.maxdisk;
  }
  return Object.keys(sample).length > 1 ? sample : undefined;
}
