import type * as z from 'zod';
import type { ServerConfig } from '../../shared/server';
import type { SetAsideServer } from '../../shared/contract/servers';
import { configDocumentSchema, migrate, serverConfigSchema, type ConfigDocument } from './config-document';

/**
 * Reading config.json server by server (issue 13), pure: one bad entry (a port of 99999, a name
 * used twice) must not cost the admin the whole inventory. Each server entry is judged on its
 * own; the ones that cannot be loaded are returned with the reason and the entry as written,
 * for the store to keep beside the file. Only a document whose top level is wrong (not an
 * object, a newer version, bad settings or clusters, `servers` not a list) is refused whole.
 */

/** A server entry as the store keeps it beside config.json: the contract's view plus the entry itself. */
export interface RejectedEntry extends Omit<SetAsideServer, 'keptIn' | 'at'> {
  /** The entry exactly as it was in the file, so the admin can restore it. */
  entry: unknown;
}

export interface Salvaged {
  doc: ConfigDocument;
  rejected: RejectedEntry[];
}

/** Zod's issues as `field: message; …`, the way the admin reads a refusal everywhere else. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; ');
}

function identity(entry: unknown): { id?: string; name?: string } {
  if (typeof entry !== 'object' || entry === null) return {};
  const { id, name } = entry as Record<string, unknown>;
  return { ...(typeof id === 'string' && id ? { id } : {}), ...(typeof name === 'string' && name ? { name } : {}) };
}

/** The id of a server whose parent chain comes back to it, or undefined when no chain loops. */
function serverInCycle(servers: readonly ServerConfig[]): string | undefined {
  const byId = new Map(servers.map((s) => [s.id, s]));
  for (const start of servers) {
    const seen = new Set<string>();
    let cur: ServerConfig | undefined = start;
    while (cur?.parentId) {
      if (seen.has(cur.id)) return cur.id;
      seen.add(cur.id);
      cur = byId.get(cur.parentId);
    }
  }
  return undefined;
}

/**
 * Throws (a ZodError or an Error saying why) when the top level is unusable; otherwise every
 * server that can be loaded, and the rest with their reasons. A server whose parent was not
 * loaded (or whose parents loop) is loaded without the link, and its original entry is kept
 * too, since loading it changed it.
 */
export function salvageDocument(raw: unknown): Salvaged {
  const migrated = migrate(raw) as Record<string, unknown>;
  const entries = migrated.servers ?? [];
  if (!Array.isArray(entries)) throw new Error('servers: expected a list of servers');
  const top = configDocumentSchema.parse({ ...migrated, servers: [] });

  const rejected: RejectedEntry[] = [];
  const kept: ServerConfig[] = [];
  const indexOf = new Map<string, number>();
  const ids = new Set<string>();
  const names = new Set<string>();
  entries.forEach((entry: unknown, index) => {
    const parsed = serverConfigSchema.safeParse(entry);
    const reject = (reason: string) => rejected.push({ index, ...identity(entry), reason, outcome: 'set-aside', entry });
    if (!parsed.success) return reject(describeIssues(parsed.error));
    const server = parsed.data;
    if (ids.has(server.id)) return reject(`id: "${server.id}" is already used by an earlier server`);
    if (names.has(server.name.toLowerCase())) return reject(`name: "${server.name}" is already used by an earlier server`);
    ids.add(server.id);
    names.add(server.name.toLowerCase());
    indexOf.set(server.id, index);
    kept.push(server);
  });

  const dropParent = (server: ServerConfig, reason: string): ServerConfig => {
    const index = indexOf.get(server.id) ?? -1;
    rejected.push({ index, id: server.id, name: server.name, reason, outcome: 'loaded-without-parent', entry: entries[index] });
    const { parentId: _dropped, ...rest } = server;
    return rest;
  };
  let servers = kept.map((s) => {
    if (!s.parentId) return s;
    if (s.parentId === s.id) return dropParent(s, 'parentId: a server cannot be its own parent; loaded without a parent');
    if (!ids.has(s.parentId)) return dropParent(s, `parentId: no server "${s.parentId}" was loaded; loaded without a parent`);
    return s;
  });
  // Each pass breaks one loop at the server where it closes; a list of n servers has at most n loops.
  for (let loopAt = serverInCycle(servers); loopAt !== undefined; loopAt = serverInCycle(servers)) {
    const at = loopAt;
    servers = servers.map((s) => (s.id === at ? dropParent(s, `parentId: "${s.parentId ?? ''}" leads back to this server; loaded without a parent`) : s));
  }
  rejected.sort((a, b) => a.index - b.index);
  return { doc: { ...top, servers }, rejected };
}
