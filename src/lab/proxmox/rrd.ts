/**
 * rrddata: 70 consolidated points per timeframe at Proxmox's resolutions. Values come from the
 * same functions as the live figures, so charts agree with /cluster/resources. Fields without
 * a value are omitted, as rrdtool's unknowns are: a stopped guest has only time, its max* fields
 * and disk; an offline node only time.
 */
import type { ClusterState } from './cluster-state';
import { round } from './figures';
import type { Guest, NodeRecord } from './model';

type Json = Record<string, unknown>;

export const RRD_RESOLUTION: Readonly<Record<string, number>> = {
  hour: 60,
  day: 1800,
  week: 10800,
  month: 43200,
  year: 604800,
};

const POINTS = 70;

function times(state: ClusterState, timeframe: string): number[] {
  const res = RRD_RESOLUTION[timeframe] ?? 60;
  const last = Math.floor(state.clock.nowSec() / res) * res;
  return Array.from({ length: POINTS }, (_, i) => last - (POINTS - 1 - i) * res);
}

/** MAX consolidation reads a little above AVERAGE. */
const peak = (v: number, cf: string): number => (cf === 'MAX' ? v * 1.35 : v);

function nodeReachableAt(node: NodeRecord, tMs: number): boolean {
  if (tMs < node.bootedAt) return false;
  return node.offlineSince === undefined || tMs < node.offlineSince;
}

export function guestRrd(state: ClusterState, g: Guest, timeframe: string, cf: string): Json[] {
  const f = state.figures;
  const node = state.findNode(g.node);
  return times(state, timeframe).map((time) => {
    const t = time * 1000;
    const entry: Json = { time, maxcpu: f.maxcpu(g), maxmem: f.maxmem(g), maxdisk: f.maxdisk(g), disk: f.disk(g) };
    if (node && !nodeReachableAt(node, t)) return { time };
    if (!f.isRunningAt(g, t)) return entry;
    return {
      ...entry,
      cpu: round(Math.min(1, peak(f.cpu(g, t), cf)), 6),
      mem: Math.round(Math.min(f.maxmem(g), peak(f.mem(g, t), cf))),
      netin: round(peak(f.netRate(g, t, 0), cf), 2),
      netout: round(peak(f.netRate(g, t, 1), cf), 2),
      diskread: round(peak(f.diskRate(g, t, 0), cf), 2),
      diskwrite: round(peak(f.diskRate(g, t, 1), cf), 2),
    };
  });
}

export function nodeRrd(state: ClusterState, node: NodeRecord, timeframe: string, cf: string): Json[] {
  const f = state.figures;
  const guests = state.guestsOn(node.name);
  const rootUsed = f.nodeRootUsed(node);
  return times(state, timeframe).map((time) => {
    const t = time * 1000;
    if (!nodeReachableAt(node, t)) return { time };
    const cpu = f.nodeCpu(node, guests, t);
    return {
      time,
      cpu: round(Math.min(1, peak(cpu, cf)), 6),
      maxcpu: node.cpus,
      iowait: round(0.001 + 0.01 * cpu, 6),
      loadavg: round(peak(f.loadavg(node, guests, t)[0], cf), 2),
      memtotal: node.memBytes,
      memused: Math.round(Math.min(node.memBytes, peak(f.nodeMem(node, guests, t), cf))),
      swaptotal: node.swapBytes,
      swapused: Math.round(node.swapBytes * 0.01),
      roottotal: node.rootBytes,
      rootused: rootUsed,
      netin: round(peak(f.nodeNetRate(node, guests, t, 0), cf), 2),
      netout: round(peak(f.nodeNetRate(node, guests, t, 1), cf), 2),
    };
  });
}
