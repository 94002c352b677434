import * as z from 'zod';
import type { ProxmoxStorageInfo, TaskInfo } from '../../../shared/contract/proxmox';
import { apiPath, type ProxmoxApi } from './api';
import { backupStorages, backupVolumeSchema, lastBackups, type BackupVolume, type LastBackup } from './model/backups';
import { isProxmoxError } from './model/errors';
import { parseList, taskListEntrySchema } from './model/parse';
import { issueText, reportList } from './model/report';
import { taskFromListEntry } from './tasks';

export interface BackupScan {
  last: Map<number, LastBackup>;
  /** The storages whose backups could be read ("nas", "local@pve1"). */
  storages: string[];
  /** What could not be read (a storage the token may not see, an odd entry), in words. */
  issues: string[];
}

/**
 * Reads the backups of a cluster: the backup volumes of every backup storage the token may read
 * (a shared one once), and the cluster's recent tasks for vzdump runs. A storage that refuses
 * (no Datastore.Audit) or a node that does not answer is reported and skipped.
 */
export async function scanBackups(api: ProxmoxApi, storage: readonly ProxmoxStorageInfo[], nodeOnline: (node: string) => boolean): Promise<BackupScan> {
  const volumes: BackupVolume[] = [];
  const issues: string[] = [];
  const storages: string[] = [];
  for (const s of backupStorages(storage, nodeOnline)) {
    const endpoint = `GET /nodes/${s.node}/storage/${s.storage}/content`;
    try {
      const raw = await api.get(apiPath`/nodes/${s.node}/storage/${s.storage}/content`, z.unknown(), { content: 'backup' });
      const read = reportList(backupVolumeSchema, raw, endpoint, { label: (e, i) => (typeof e.volid === 'string' ? e.volid : `entry ${i + 1}`) });
      volumes.push(...read.items);
      issues.push(...read.issues.map(issueText));
      storages.push(storage.find((x) => x.storage === s.storage && x.shared) ? s.storage : `${s.storage}@${s.node}`);
    } catch (error) {
      if (!isProxmoxError(error)) throw error;
      issues.push(`${endpoint}: ${error.kind === 'permission' ? `not readable with these credentials (${error.message})` : error.message}`);
    }
  }
  let tasks: TaskInfo[] = [];
  try {
    const raw = await api.get('/cluster/tasks', z.unknown());
    tasks = parseList(taskListEntrySchema, raw).items.map((t) => taskFromListEntry(t, t.node ?? ''));
  } catch (error) {
    if (!isProxmoxError(error)) throw error;
    issues.push(`GET /cluster/tasks: ${error.message}`);
  }
  return { last: lastBackups(volumes, tasks), storages, issues };
}
