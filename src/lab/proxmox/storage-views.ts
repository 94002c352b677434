/**
 * Storages: the cluster-wide configuration (/storage), per-node usage and status, their
 * /cluster/resources entries, and volume listings (guest disks, ISOs, templates, backups).
 */
import type { ClusterState } from './cluster-state';
import { failure } from './errors';
import { volumeName } from './guest-views';
import type { NodeRecord, StorageDef } from './model';

type Json = Record<string, unknown>;
const GiB = 1024 ** 3;

export function requireStorage(state: ClusterState, id: string): StorageDef {
  const storage = state.storages.find((s) => s.id === id);
  if (!storage) throw failure(`storage '${id}' does not exist`);
  return storage;
}

export function usage(state: ClusterState, storage: StorageDef, node: string): { total: number; used: number; avail: number } {
  let used = 0;
  if (storage.type === 'lvmthin') {
    for (const g of state.guestsOn(node)) if (g.storage === storage.id) used += g.diskGiB * GiB * g.diskUsedFraction;
  } else {
    used = storage.type === 'nfs' ? 180 * GiB : 6 * GiB;
    for (const f of state.files) {
      if (f.storage === storage.id && (f.node === undefined || f.node === node)) used += f.size;
    }
  }
  const total = storage.totalBytes;
  used = Math.round(Math.min(used, total * 0.97));
  return { total, used, avail: total - used };
}

export function storageConfigEntry(state: ClusterState, s: StorageDef): Json {
  const entry: Json = {
    storage: s.id,
    type: s.type,
    content: s.content.join(','),
    digest: state.settings.seed.toString(16).padStart(40, '0'),
  };
  if (s.path) entry.path = s.path;
  if (s.vgname) entry.vgname = s.vgname;
  if (s.thinpool) entry.thinpool = s.thinpool;
  if (s.server) entry.server = s.server;
  if (s.export) entry.export = s.export;
  if (s.type !== 'lvmthin') entry['prune-backups'] = 'keep-all=1';
  if (s.shared) entry.shared = 1;
  return entry;
}

export function storageStatus(state: ClusterState, s: StorageDef, node: string): Json {
  const u = usage(state, s, node);
  return {
    type: s.type,
    content: s.content.join(','),
    shared: s.shared ? 1 : 0,
    active: 1,
    enabled: 1,
    total: u.total,
    used: u.used,
    avail: u.avail,
  };
}

export function nodeStorageEntry(state: ClusterState, s: StorageDef, node: string): Json {
  const status = storageStatus(state, s, node);
  const used = status.used as number;
  const total = status.total as number;
  return { storage: s.id, ...status, used_fraction: total > 0 ? used / total : 0 };
}

export function storageResourceEntry(state: ClusterState, s: StorageDef, node: NodeRecord): Json {
  const entry: Json = {
    id: `storage/${node.name}/${s.id}`,
    type: 'storage',
    node: node.name,
    storage: s.id,
    plugintype: s.type,
    shared: s.shared ? 1 : 0,
    content: s.content.join(','),
  };
  if (!state.isOnline(node)) return { ...entry, status: 'unknown' };
  const u = usage(state, s, node.name);
  return { ...entry, status: 'available', disk: u.used, maxdisk: u.total };
}

export function storageContent(
  state: ClusterState,
  s: StorageDef,
  node: string,
  filter: { content?: string; vmid?: number },
): Json[] {
  const list: Json[] = [];
  if (s.type === 'lvmthin') {
    for (const g of state.guestsOn(node)) {
      if (g.storage !== s.id) continue;
      const content = g.type === 'qemu' ? 'images' : 'rootdir';
      list.push({
        volid: `${s.id}:${volumeName(g)}`,
        format: 'raw',
        size: g.diskGiB * GiB,
        used: Math.round(g.diskGiB * GiB * g.diskUsedFraction),
        vmid: g.vmid,
        content,
        ctime: g.ctime,
      });
    }
  } else {
    for (const f of state.files) {
      if (f.storage !== s.id || (f.node !== undefined && f.node !== node)) continue;
      const entry: Json = { volid: f.volid, format: f.format, size: f.size, content: f.content, ctime: f.ctime };
      if (f.vmid !== undefined) entry.vmid = f.vmid;
      if (f.notes) entry.notes = f.notes;
      if (f.content === 'backup') entry.subtype = f.volid.includes('-qemu-') ? 'qemu' : 'lxc';
      list.push(entry);
    }
  }
  return list.filter(
    (e) => (filter.content === undefined || e.content === filter.content) && (filter.vmid === undefined || e.vmid === filter.vmid),
  );
}
