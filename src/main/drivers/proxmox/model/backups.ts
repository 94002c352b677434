import * as z from 'zod';
import type { ProxmoxStorageInfo, TaskInfo } from '../../../../shared/contract/proxmox';
import { optNum, optStr, reqStr } from './parse';
import { lazySchema } from '../../../../shared/contract/lazy';

/**
 * Pure: a guest's last successful backup, from the two places Proxmox keeps them: backup volumes
 * on the storages (`vzdump-qemu-100-2025_10_01-02_00_05.vma.zst` with its ctime and vmid, or a
 * PBS snapshot `backup/vm/100/2025-10-01T02:00:05Z`) and the vzdump tasks that ended OK. A
 * volume outlives the task list; a task counts when its volume is on a storage the token may
 * not read.
 */
export const backupVolumeSchema = lazySchema(() => z.object({
  volid: reqStr,
  vmid: optNum,
  ctime: optNum,
  content: optStr,
  format: optStr,
}));
export type BackupVolume = z.output<typeof backupVolumeSchema>;

export interface LastBackup {
  /** Seconds since the epoch. */
  at: number;
  source: 'volume' | 'task';
  volid?: string;
}

const VZDUMP = /vzdump-(?:qemu|lxc|openvz)-(\d+)-(\d{4})_(\d\d)_(\d\d)-(\d\d)_(\d\d)_(\d\d)/;
const PBS = /backup\/(?:vm|ct)\/(\d+)\/(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z/;

/** The guest and time a backup volume's name says (for servers that leave `vmid` or `ctime` out). */
export function readVolid(volid: string): { vmid: number; at: number } | undefined {
  const m = VZDUMP.exec(volid) ?? PBS.exec(volid);
  if (!m) return undefined;
  const [, vmid, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const at = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0) / 1000;
  return Number.isFinite(at) && vmid ? { vmid, at } : undefined;
}

/** Pure: the backup storages worth reading: those with "backup" content, each shared one once. */
export function backupStorages(storage: readonly ProxmoxStorageInfo[], nodeOnline: (node: string) => boolean): { storage: string; node: string }[] {
  const out: { storage: string; node: string }[] = [];
  const shared = new Set<string>();
  for (const s of storage) {
    if (!s.content.includes('backup') || (s.status !== undefined && s.status !== 'available') || !nodeOnline(s.node)) continue;
    if (s.shared) {
      if (shared.has(s.storage)) continue;
      shared.add(s.storage);
    }
    out.push({ storage: s.storage, node: s.node });
  }
  return out;
}

/** Pure: per guest, the newest successful backup among the volumes and the vzdump tasks. */
export function lastBackups(volumes: readonly BackupVolume[], tasks: readonly TaskInfo[]): Map<number, LastBackup> {
  const last = new Map<number, LastBackup>();
  const offer = (vmid: number, b: LastBackup) => {
    const prev = last.get(vmid);
    if (!prev || b.at > prev.at || (b.at === prev.at && b.source === 'volume')) last.set(vmid, b);
  };
  for (const v of volumes) {
    if (v.content !== undefined && v.content !== 'backup') continue;
    const named = readVolid(v.volid);
    const vmid = v.vmid ?? named?.vmid;
    const at = v.ctime ?? named?.at;
    if (vmid !== undefined && at !== undefined) offer(vmid, { at, source: 'volume', volid: v.volid });
  }
  for (const t of tasks) {
    // A job over several guests has no id: which of them succeeded is only in its log.
    if (t.type !== 'vzdump' || t.status !== 'stopped' || t.outcome !== 'ok' || !/^\d+$/.test(t.id)) continue;
    // Its start, like a volume's ctime: the data is as of then, and the run's volume (with its volid) wins the tie.
    offer(Number(t.id), { at: t.starttime, source: 'task' });
  }
  return last;
}
