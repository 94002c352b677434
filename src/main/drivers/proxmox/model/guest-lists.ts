import * as z from 'zod';
import type { GuestPressure, ProxmoxGuestInfo } from '../../../../shared/contract/proxmox';
import { optNum, optStr, reqNum } from './parse';
import { lazySchema } from '../../../../shared/contract/lazy';

/**
 * Pure: what `GET /nodes/{node}/qemu?full=1` adds to /cluster/resources. The cluster-wide list
 * says "running" for a paused VM and carries no qmpstatus (neither release's schema lists one);
 * the per-node list with full=1 carries `qmpstatus` for every VM, and on PVE 9 the pressure-stall
 * figures, in one request per node. The node's list sends vmid as a number, the container list
 * as a string: both read.
 */
export const qemuListEntrySchema = lazySchema(() => z.object({
  vmid: reqNum,
  name: optStr,
  status: optStr,
  qmpstatus: optStr,
  lock: optStr,
  memhost: optNum,
  pressurecpusome: optNum,
  pressurecpufull: optNum,
  pressureiosome: optNum,
  pressureiofull: optNum,
  pressurememorysome: optNum,
  pressurememoryfull: optNum,
}));
export type QemuListEntry = z.output<typeof qemuListEntrySchema>;

export const QEMU_LIST_AUDIT = {
  numbers: ['memhost', 'pressurecpusome', 'pressurecpufull', 'pressureiosome', 'pressureiofull', 'pressurememorysome', 'pressurememoryfull', 'cpu', 'mem', 'maxmem', 'uptime'],
} as const;

/** The run state a node reports for one VM. */
export interface QemuRunInfo {
  vmid: number;
  status?: string;
  qmpstatus?: string;
  lock?: string;
  memhost?: number;
  pressure?: GuestPressure;
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The pressure figures of an entry, or undefined when the release has none (PVE 8). */
export function pressureOf(e: Pick<QemuListEntry, 'pressurecpusome' | 'pressurecpufull' | 'pressureiosome' | 'pressureiofull' | 'pressurememorysome' | 'pressurememoryfull'>): GuestPressure | undefined {
  const p = defined({
    cpuSome: e.pressurecpusome,
    cpuFull: e.pressurecpufull,
    ioSome: e.pressureiosome,
    ioFull: e.pressureiofull,
    memSome: e.pressurememorysome,
    memFull: e.pressurememoryfull,
  });
  return Object.keys(p).length ? p : undefined;
}

export function runInfoOf(e: QemuListEntry): QemuRunInfo {
  const pressure = pressureOf(e);
  return defined({ vmid: e.vmid, status: e.status, qmpstatus: e.qmpstatus, lock: e.lock, memhost: e.memhost, ...(pressure ? { pressure } : {}) });
}

/**
 * A VM of /cluster/resources with what its node's own list says of it: the QMP run state (a
 * paused VM becomes paused), the lock, memhost and the pressure figures. The cluster's status
 * stays: both lists are read within moments, and a VM stopped in between shows at the next refresh.
 */
export function withRunInfo<G extends ProxmoxGuestInfo>(g: G, info: QemuRunInfo | undefined): G {
  if (!info || g.type !== 'qemu') return g;
  const running = g.status === 'running';
  return defined({
    ...g,
    qmpstatus: running ? (info.qmpstatus ?? g.qmpstatus) : g.qmpstatus,
    lock: info.lock ?? g.lock,
    memhost: info.memhost ?? g.memhost,
    pressure: running ? (info.pressure ?? g.pressure) : undefined,
  });
}
