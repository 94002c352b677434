import type { ServerConfig, ServerSpec } from '../../shared/server';
import { HandlerError } from '../base/errors';

/**
 * Pure rules of the inventory: names are unique (case-insensitive, since the CLI and the tray
 * address servers by name), a parent must exist, and the parent chain may not loop.
 */
export function findParentCycle(servers: readonly Pick<ServerConfig, 'id' | 'name' | 'parentId'>[]): string[] | null {
  const byId = new Map(servers.map((s) => [s.id, s]));
  for (const start of servers) {
    const seen: string[] = [];
    let cur: typeof start | undefined = start;
    while (cur) {
      const at = seen.indexOf(cur.id);
      if (at >= 0) return [...seen.slice(at), cur.id].map((id) => byId.get(id)?.name ?? id);
      seen.push(cur.id);
      cur = cur.parentId ? byId.get(cur.parentId) : undefined;
    }
  }
  return null;
}

export function checkInventory(servers: readonly ServerConfig[]): void {
  const names = new Map<string, string>();
  for (const s of servers) {
    const key = s.name.toLowerCase();
    if (names.has(key)) throw new HandlerError('conflict', `A server named "${s.name}" already exists`, { name: 'this name is taken' });
    names.set(key, s.id);
  }
  const ids = new Set(servers.map((s) => s.id));
  for (const s of servers) {
    if (s.parentId && !ids.has(s.parentId)) {
      throw new HandlerError('bad_request', `The parent of "${s.name}" does not exist`, { parentId: 'no such server' });
    }
    if (s.parentId === s.id) throw new HandlerError('bad_request', `"${s.name}" cannot be its own parent`, { parentId: 'a server cannot be its own parent' });
  }
  const cycle = findParentCycle(servers);
  if (cycle) throw new HandlerError('bad_request', `Parents would form a cycle: ${cycle.join(' → ')}`, { parentId: `cycle: ${cycle.join(' → ')}` });
}

/** Finds a server by id or, for the CLI and tray, by its name (case-insensitive). */
export function findServer<T extends Pick<ServerConfig, 'id' | 'name'>>(servers: readonly T[], ref: string): T | undefined {
  return servers.find((s) => s.id === ref) ?? servers.find((s) => s.name.toLowerCase() === ref.toLowerCase());
}

export function slugId(name: string, taken: ReadonlySet<string>): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'server';
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

export function applyPatch(server: ServerConfig, patch: Partial<ServerSpec>): ServerConfig {
  const next: ServerConfig = { ...server };
  for (const [key, value] of Object.entries(patch) as [keyof ServerSpec, unknown][]) {
    if (value === undefined) continue;
    (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}
