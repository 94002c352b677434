import type { LiveStats } from '../../../shared/contract/consoles';
import { counterDelta } from '../../monitoring/metrics';
import type { GuestStatusRaw } from '../../drivers/proxmox/model/parse';
import type { NodeStatus } from '../../drivers/proxmox/nodes';
import { dropUndefined } from './proc-sample';

/** What status/current says of a guest, with when Rackdeck read it. */
export interface GuestReading {
  at: number;
  status: GuestStatusRaw;
}

const rate = (prev: number | undefined, next: number | undefined, seconds: number): number | undefined => {
  if (prev === undefined || next === undefined || seconds <= 0) return undefined;
  const d = counterDelta(prev, next);
  return d === undefined ? undefined : d / seconds;
};

/**
 * A guest's sample: Proxmox reports CPU as a share of the guest's own CPUs, memory used and
 * limit, and I/O totals since the guest started; rates come from two readings.
 */
export function sampleFromGuest(prev: GuestReading | undefined, cur: GuestReading): LiveStats {
  const s = cur.status;
  const status = s.status === 'running' && s.qmpstatus && s.qmpstatus !== 'running' ? s.qmpstatus : (s.status ?? 'unknown');
  const running = s.status === 'running';
  // A restart (uptime went back) starts the counters again: no rate across it.
  const restarted = !prev || (prev.status.uptime ?? 0) > (s.uptime ?? 0);
  const seconds = prev ? (cur.at - prev.at) / 1000 : 0;
  const p = restarted ? undefined : prev?.status;
  return dropUndefined({
    at: cur.at,
    source: 'proxmox',
    status,
    cpuPercent: running && s.cpu !== undefined ? s.cpu * 100 : undefined,
    cpus: s.cpus,
    memUsed: s.mem,
    memLimit: s.maxmem,
    memPercent: s.mem !== undefined && s.maxmem ? (s.mem / s.maxmem) * 100 : undefined,
    netRx: s.netin,
    netTx: s.netout,
    blockRead: s.diskread,
    blockWrite: s.diskwrite,
    netRxRate: running ? rate(p?.netin, s.netin, seconds) : undefined,
    netTxRate: running ? rate(p?.netout, s.netout, seconds) : undefined,
    blockReadRate: running ? rate(p?.diskread, s.diskread, seconds) : undefined,
    blockWriteRate: running ? rate(p?.diskwrite, s.diskwrite, seconds) : undefined,
    uptimeSec: s.uptime,
  } satisfies LiveStats);
}

/** A node without SSH: what /nodes/{node}/status gives (no network or disk I/O there). */
export function sampleFromNode(status: NodeStatus, at: number): LiveStats {
  const m = status.memory;
  return dropUndefined({
    at,
    source: 'proxmox',
    status: 'online',
    cpuPercent: status.cpu !== undefined ? status.cpu * 100 : undefined,
    cpus: status.cpuinfo.cpus,
    memUsed: m.used,
    memLimit: m.total,
    memPercent: m.used !== undefined && m.total ? (m.used / m.total) * 100 : undefined,
    uptimeSec: status.uptime,
  } satisfies LiveStats);
}
