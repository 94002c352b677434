import type { Notice } from '../../shared/events';
import type { ClusterConfig } from '../../shared/contract/proxmox';
import type { SetAsideServer } from '../../shared/contract/servers';
import type { ServerConfig } from '../../shared/server';
import type { Recovery } from '../store/atomic-file';
import type { ConfigDocument } from '../store/config-document';

/**
 * What the engine does with a config.json it did not write (a hand edit, a sync tool, another
 * process), as pure functions: what changed between the document it held and the one on disk,
 * what to tell the admin, and how a write computed from an older document is replayed on the
 * newer one so that neither side's change is lost.
 */

export interface DocumentDiff {
  added: string[];
  removed: string[];
  changed: string[];
  /** Changed where the status probe must look again: the address or the ports. */
  reprobe: string[];
  settingsChanged: boolean;
  clustersChanged: boolean;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function diffDocuments(prev: ConfigDocument, next: ConfigDocument): DocumentDiff {
  const before = new Map(prev.servers.map((s) => [s.id, s]));
  const after = new Set(next.servers.map((s) => s.id));
  const diff: DocumentDiff = { added: [], removed: [], changed: [], reprobe: [], settingsChanged: !same(prev.settings, next.settings), clustersChanged: !same(prev.clusters, next.clusters) };
  for (const s of next.servers) {
    const old = before.get(s.id);
    if (!old) diff.added.push(s.id);
    else if (!same(old, s)) {
      diff.changed.push(s.id);
      if (old.address !== s.address || !same(old.ports, s.ports)) diff.reprobe.push(s.id);
    }
  }
  for (const s of prev.servers) if (!after.has(s.id)) diff.removed.push(s.id);
  return diff;
}

type NoticeDraft = Omit<Notice, 'id' | 'at'>;

/** "a, b and 3 more": a notice names what it is about without turning into a list of a thousand. */
function names(list: readonly string[], max = 8): string {
  const shown = list.slice(0, max).map((n) => `"${n}"`);
  return list.length > max ? `${shown.join(', ')} and ${list.length - max} more` : shown.join(', ');
}

export function noticeForExternalChange(prev: ConfigDocument, next: ConfigDocument, diff: DocumentDiff, recovered: boolean): NoticeDraft | null {
  const nameIn = (doc: ConfigDocument) => (id: string) => doc.servers.find((s) => s.id === id)?.name ?? id;
  const parts: string[] = [];
  if (diff.added.length) parts.push(`added ${names(diff.added.map(nameIn(next)))}`);
  if (diff.removed.length) parts.push(`removed ${names(diff.removed.map(nameIn(prev)))}`);
  if (diff.changed.length) parts.push(`changed ${names(diff.changed.map(nameIn(next)))}`);
  if (diff.settingsChanged) parts.push('changed the settings');
  if (diff.clustersChanged) parts.push('changed the Proxmox clusters (their connections follow at the next start)');
  if (parts.length === 0 && !recovered) return null;
  const applied = parts.length ? `Applied: ${parts.join('; ')}.` : 'Nothing in it differs from what Rackdeck holds.';
  return recovered
    ? { level: 'success', title: 'config.json can be used again', body: `${applied} Rackdeck writes it again as before.` }
    : { level: 'info', title: 'config.json was changed outside Rackdeck', body: applied };
}

/** The whole file could not be read when the store opened, and was kept aside. */
export function noticeForUnreadable(recovery: Recovery | undefined): NoticeDraft | null {
  if (!recovery) return null;
  return { level: 'error', title: 'Your config file could not be read', body: `It was kept as ${recovery.backupPath} (${recovery.reason}). Rackdeck started with an empty inventory.` };
}

/** Names each server entry that was set aside and why, and where it is kept. */
export function noticeForSetAside(list: readonly SetAsideServer[]): NoticeDraft | null {
  if (list.length === 0) return null;
  const label = (s: SetAsideServer) => `${s.name ? `"${s.name}"` : `entry ${s.index + 1}`}: ${s.reason}`;
  const aside = list.filter((s) => s.outcome === 'set-aside');
  const title = aside.length
    ? `${aside.length === 1 ? 'A server' : `${aside.length} servers`} in config.json could not be loaded`
    : `${list.length === 1 ? 'A server' : `${list.length} servers`} in config.json lost a parent link`;
  const kept = [...new Set(list.map((s) => s.keptIn))].join(', ');
  return { level: 'error', title, body: `${list.map(label).join('; ')}. The entries are kept as written in ${kept}; every other server is loaded.` };
}

export function noticeForUnusable(file: string, reason: string, servers: number): NoticeDraft {
  return {
    level: 'error',
    title: 'config.json was changed but cannot be used',
    body: `${file}: ${reason}. The file was left as written; Rackdeck keeps the ${servers} server${servers === 1 ? '' : 's'} it had and will not write the file until it is fixed (or moved away).`,
  };
}

export function noticeForMissing(file: string, servers: number): NoticeDraft {
  return {
    level: 'warning',
    title: 'config.json was deleted',
    body: `${file} is gone. Rackdeck keeps the ${servers} server${servers === 1 ? '' : 's'} it had and writes the file again at the next change.`,
  };
}

/**
 * Replays a whole-list write of the clusters (computed by the Proxmox capability from `base`,
 * the list it read) on `theirs`, the list now on disk: only the clusters the write added,
 * changed or removed are touched, by name, so a cluster edited by hand meanwhile stays.
 */
export function mergeClusters(base: readonly ClusterConfig[], mine: readonly ClusterConfig[], theirs: readonly ClusterConfig[]): ClusterConfig[] {
  const baseBy = new Map(base.map((c) => [c.name, c]));
  const mineBy = new Map(mine.map((c) => [c.name, c]));
  const touched = new Map<string, ClusterConfig | undefined>();
  for (const c of mine) if (!same(baseBy.get(c.name), c)) touched.set(c.name, c);
  for (const c of base) if (!mineBy.has(c.name)) touched.set(c.name, undefined);
  const out: ClusterConfig[] = [];
  for (const c of theirs) {
    if (!touched.has(c.name)) out.push(c);
    else {
      const next = touched.get(c.name);
      if (next) out.push(next);
      touched.delete(c.name);
    }
  }
  for (const c of touched.values()) if (c) out.push(c);
  return out;
}

/** Discovery's upserts and removals applied to the servers as they are now; a removed parent's children stay, without it. */
export function applyDiscovery(servers: readonly ServerConfig[], upserts: readonly ServerConfig[], removals: readonly string[]): ServerConfig[] {
  const gone = new Set(removals);
  const byId = new Map(upserts.map((u) => [u.id, u]));
  const known = new Set(servers.map((s) => s.id));
  const kept = servers.filter((s) => !gone.has(s.id)).map((s) => byId.get(s.id) ?? (s.parentId && gone.has(s.parentId) ? { ...s, parentId: undefined } : s));
  return [...kept, ...upserts.filter((u) => !known.has(u.id))];
}
