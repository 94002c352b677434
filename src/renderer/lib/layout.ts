import type { ServerView } from '../../shared/server';

/** A server and, under it, the servers whose parent it is (a Proxmox node and its guests). */
export interface LayoutNode {
  id: string;
  children: LayoutNode[];
}

export interface GridLayout {
  /** Top-level servers with nothing under them, drawn together in one grid. */
  standalone: string[];
  /** Top-level servers with guests, each drawn as a group. */
  groups: LayoutNode[];
  /** Every id in drawing order (for keyboard moves and tests). */
  order: string[];
}

type Shape = Pick<ServerView, 'id' | 'name' | 'parentId'>;

// One collator, made once: `localeCompare` with options builds one per call, which made sorting
// 2 000 names the longest part of the grid's first render.
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const byName = (a: Shape, b: Shape) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Arranges servers so children sit under their parent. A parent that is missing (removed, or
 * filtered out) leaves its children at the top level rather than hiding them; a cycle, which the
 * engine refuses anyway, cannot hang the renderer because each server is placed once.
 */
export function buildLayout(servers: readonly Shape[]): GridLayout {
  const ids = new Set(servers.map((s) => s.id));
  const kids = new Map<string, Shape[]>();
  const roots: Shape[] = [];
  for (const s of servers) {
    if (s.parentId && s.parentId !== s.id && ids.has(s.parentId)) {
      const list = kids.get(s.parentId) ?? [];
      list.push(s);
      kids.set(s.parentId, list);
    } else roots.push(s);
  }
  const placed = new Set<string>();
  const order: string[] = [];
  const nodeOf = (s: Shape): LayoutNode => {
    placed.add(s.id);
    order.push(s.id);
    const children = (kids.get(s.id) ?? []).filter((c) => !placed.has(c.id)).sort(byName).map(nodeOf);
    return { id: s.id, children };
  };
  const standalone: string[] = [];
  const groups: LayoutNode[] = [];
  const sortedRoots = roots.sort(byName);
  // Standalone servers first (the grid an admin scans), then each host with its guests.
  for (const r of sortedRoots) if (!kids.has(r.id)) standalone.push(nodeOf(r).id);
  for (const r of sortedRoots) if (kids.has(r.id)) groups.push(nodeOf(r));
  // Servers only reachable through a cycle: still shown, at the top level. Sorted only when there
  // are any: a second sort of every name was a third of the 2 000-server first layout (issue 16).
  if (placed.size < servers.length) for (const s of servers.filter((x) => !placed.has(x.id)).sort(byName)) if (!placed.has(s.id)) standalone.push(nodeOf(s).id);
  return { standalone, groups, order };
}

/** What the layout depends on: a card's power changing must not rebuild the grid. */
export function layoutKey(servers: readonly Shape[]): string {
  return servers.map((s) => `${s.id}\u0000${s.name}\u0000${s.parentId ?? ''}`).join('\u0001');
}
