/**
 * Backups as a client can find them: a vzdump task per run in the node's task list (and so in
 * /cluster/tasks), and for each successful run a volume on the backup storage,
 * "vzdump-qemu-<vmid>-<YYYY_MM_DD-hh_mm_ss>.vma.zst" with its ctime and vmid, listed by
 * /nodes/{node}/storage/{storage}/content. The two always agree: a task that ended OK left a
 * volume (unless pruned), a failed one left none.
 */
import type { Guest, StorageFile } from './model';
import type { TaskRegistry } from './tasks';

const GiB = 1024 ** 3;

export function backupStamp(sec: number): string {
  const d = new Date(sec * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}-${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}`;
}

export function backupVolume(g: Guest, storage: string, startSec: number): StorageFile {
  const kind = g.type === 'qemu' ? 'qemu' : 'lxc';
  const ext = g.type === 'qemu' ? 'vma.zst' : 'tar.zst';
  return {
    storage,
    volid: `${storage}:backup/vzdump-${kind}-${g.vmid}-${backupStamp(startSec)}.${ext}`,
    content: 'backup',
    format: ext,
    size: Math.round(g.diskGiB * GiB * g.diskUsedFraction * 0.45),
    ctime: startSec,
    vmid: g.vmid,
    notes: g.name ?? (g.type === 'qemu' ? `VM ${g.vmid}` : `CT${g.vmid}`),
  };
}

function clock(sec: number): string {
  return new Date(sec * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

function duration(sec: number): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(sec / 3600))}:${p(Math.floor(sec / 60) % 60)}:${p(sec % 60)}`;
}

/** The log vzdump writes for one guest. */
function vzdumpLog(g: Guest, storage: string, startSec: number, endSec: number, error: string | undefined): string[] {
  const kind = g.type === 'qemu' ? 'qemu' : 'lxc';
  const label = g.type === 'qemu' ? 'VM' : 'CT';
  const volume = backupVolume(g, storage, startSec).volid.split('/')[1] ?? '';
  const lines = [
    `INFO: starting new backup job: vzdump ${g.vmid} --storage ${storage} --mode snapshot --compress zstd --remove 0 --notes-template '{{guestname}}'`,
    `INFO: Starting Backup of VM ${g.vmid} (${kind})`,
    `INFO: Backup started at ${clock(startSec)}`,
    `INFO: status = ${g.status}`,
    'INFO: backup mode: snapshot',
    `INFO: creating vzdump archive '/mnt/pve/${storage}/dump/${volume}'`,
  ];
  if (error !== undefined) {
    lines.push(`ERROR: Backup of ${label} ${g.vmid} failed - ${error}`, 'INFO: Failed at ' + clock(endSec), 'INFO: Backup job finished with errors');
    return [...lines, 'TASK ERROR: job errors'];
  }
  lines.push(
    `INFO: Finished Backup of VM ${g.vmid} (${duration(endSec - startSec)})`,
    `INFO: Backup finished at ${clock(endSec)}`,
    'INFO: Backup job finished successfully',
    'TASK OK',
  );
  return lines;
}

export interface BackupRun {
  guest: Guest;
  startSec: number;
  ok: boolean;
  storage?: string;
  /** Node uptime origin, for the task's pstart. */
  bootedAtMs: number;
}

/**
 * Records a finished backup run: the vzdump task in the guest's node history, and its volume
 * when it succeeded (returned for the caller to add to the storage's files).
 */
export function recordBackup(registry: TaskRegistry, run: BackupRun, pid: number): StorageFile | undefined {
  const { guest: g, startSec } = run;
  const storage = run.storage ?? 'nas';
  // A few minutes per 10 GiB written, at least half a minute.
  const endSec = startSec + Math.max(30, Math.round(g.diskGiB * g.diskUsedFraction * 12));
  const error = run.ok ? undefined : `vma_queue_write: write error - Broken pipe`;
  registry.addHistory({
    node: g.node,
    pid,
    pstart: Math.max(1, (startSec - Math.floor(run.bootedAtMs / 1000)) * 100),
    starttime: startSec,
    type: 'vzdump',
    id: String(g.vmid),
    user: 'root@pam',
    status: 'stopped',
    exitstatus: run.ok ? 'OK' : 'job errors',
    endtime: endSec,
    log: vzdumpLog(g, storage, startSec, endSec, error),
  });
  return run.ok ? backupVolume(g, storage, startSec) : undefined;
}
