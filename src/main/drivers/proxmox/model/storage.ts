import type { ProxmoxStorageInfo } from '../../../../shared/contract/proxmox';

/**
 * Storage pools with their usage. The discovery refresh already has them (from
 * /cluster/resources); a node's own list adds `active`/`enabled` and the content types.
 */
export interface StorageUsage {
  storage: string;
  node: string;
  type?: string;
  content: string[];
  shared: boolean;
  active?: boolean;
  enabled?: boolean;
  used?: number;
  total?: number;
  avail?: number;
  /** 0..1 */
  fraction?: number;
}

export function usageFraction(used: number | undefined, total: number | undefined): number | undefined {
  if (used === undefined || total === undefined || total <= 0) return undefined;
  return Math.min(1, Math.max(0, used / total));
}

export function storageFromResources(list: readonly ProxmoxStorageInfo[]): StorageUsage[] {
  return list.map((s) => {
    const fraction = usageFraction(s.used, s.total);
    return {
      storage: s.storage,
      node: s.node,
      ...(s.plugintype ? { type: s.plugintype } : {}),
      content: s.content,
      shared: s.shared,
      ...(s.status ? { active: s.status === 'available' } : {}),
      ...(s.used !== undefined ? { used: s.used } : {}),
      ...(s.total !== undefined ? { total: s.total } : {}),
      ...(s.used !== undefined && s.total !== undefined ? { avail: Math.max(0, s.total - s.used) } : {}),
      ...(fraction !== undefined ? { fraction } : {}),
    };
  });
}
