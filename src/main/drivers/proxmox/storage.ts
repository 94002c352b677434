import * as z from 'zod';
import { apiPath, type ProxmoxApi } from './api';
import { nodeStorageSchema, parseList } from './model/parse';
import { usageFraction, type StorageUsage } from './model/storage';

/** A node's own list of its storage: `active`/`enabled` and the content types beside the usage. */
export async function nodeStorage(api: ProxmoxApi, node: string): Promise<StorageUsage[]> {
  const raw = await api.get(apiPath`/nodes/${node}/storage`, z.unknown());
  return parseList(nodeStorageSchema, raw).items.map((s) => {
    const fraction = s.used_fraction ?? usageFraction(s.used, s.total);
    return {
      storage: s.storage,
      node,
      ...(s.type ? { type: s.type } : {}),
      content: s.content ? s.content.split(',').map((c) => c.trim()).filter(Boolean) : [],
      shared: s.shared ?? false,
      ...(s.active !== undefined ? { active: s.active } : {}),
      ...(s.enabled !== undefined ? { enabled: s.enabled } : {}),
      ...(s.used !== undefined ? { used: s.used } : {}),
      ...(s.total !== undefined ? { total: s.total } : {}),
      ...(s.avail !== undefined ? { avail: s.avail } : {}),
      ...(fraction !== undefined ? { fraction } : {}),
    };
  });
}
