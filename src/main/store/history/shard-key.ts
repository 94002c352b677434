/**
 * Which shard file a server's history lives in: FNV-1a of its id. Servers spread evenly, the
 * mapping needs no index file, and a lab of five servers still writes small files.
 */
export function shardOf(serverId: string, shardCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < serverId.length; i++) {
    hash ^= serverId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shardCount;
}

export const shardFileName = (index: number): string => `shard-${String(index).padStart(2, '0')}.json`;
export const SHARD_FILE = /^shard-(\d{1,4})\.json$/;
