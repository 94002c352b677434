import type { ServersChanges, ServersPatch } from '../../shared/events';
import { dict, own } from '../../shared/own';
import type { ServerView } from '../../shared/server';
import { applyServerChange } from '../../shared/server-changes';
import { sameView } from './same-view';
import { bucketOf, type Summary } from './summary';

/**
 * The servers, and what the top bar and the grid's arrangement read of all of them, kept up to
 * date as each patch is applied rather than recomputed from 2 000 servers after every patch
 * (each selector over every server ran in the patch's own task).
 */
export interface ServerIndex {
  servers: Record<string, ServerView>;
  /** Servers per state bucket (the top bar's counts, the tab's title). */
  counts: Summary;
  /** Bumped when a server comes or goes or its name, parent, groups or tags change: what the grid's arrangement and the group filter depend on. */
  shape: number;
}

/** Whether the grid's arrangement and the group and tag lists can differ between two views of a server. */
export function sameShape(a: ServerView, b: ServerView): boolean {
  return a.name === b.name && a.parentId === b.parentId && sameList(a.groups, b.groups) && sameList(a.proxmox?.tags, b.proxmox?.tags);
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}

/**
 * The index of a snapshot. One loop over the servers, where `Object.fromEntries` built a pair
 * array per server and `summarise` another list: two to four times as long for 2 000 servers, in
 * the task that draws the first screen (issue 16).
 */
export function indexServers(servers: readonly ServerView[], shape: number): ServerIndex {
  // No prototype: an id the admin chose (`__proto__`, `constructor`) is a key like any other.
  const byId = dict<ServerView>();
  const counts: Summary = { on: 0, busy: 0, asleep: 0, down: 0, failed: 0, unknown: 0 };
  for (const s of servers) {
    const old = own(byId, s.id);
    if (old) counts[bucketOf(old.power)] -= 1; // a repeated id: the last view stands, as it did
    byId[s.id] = s;
    counts[bucketOf(s.power)] += 1;
  }
  return { servers: byId, counts, shape: shape + 1 };
}

/**
 * The index after a patch (whole views) or a batch of changes (changed fields), or undefined when
 * nothing in it changed. A server whose view is unchanged keeps its object, so its card (and every
 * selector on it) stays as is; a change for a server this index does not hold is dropped (the
 * next snapshot brings it).
 */
export function applyToIndex(index: ServerIndex, patch: ServersPatch | ServersChanges): ServerIndex | undefined {
  let servers: Record<string, ServerView> | undefined;
  let counts: Summary | undefined;
  let reshaped = false;
  const put = (old: ServerView | undefined, next: ServerView | undefined, id: string) => {
    servers ??= { ...index.servers };
    if (next) servers[id] = next;
    else delete servers[id];
    const from = old && bucketOf(old.power);
    const to = next && bucketOf(next.power);
    if (from !== to) {
      counts ??= { ...index.counts };
      if (from) counts[from] -= 1;
      if (to) counts[to] += 1;
    }
    if (!old || !next || !sameShape(old, next)) reshaped = true;
  };
  for (const id of patch.remove) {
    const old = own(index.servers, id);
    if (old) put(old, undefined, id);
  }
  for (const s of patch.upsert) {
    const old = own(servers ?? index.servers, s.id);
    if (!old || !sameView(old, s)) put(old, s, s.id);
  }
  if ('change' in patch) {
    for (const c of patch.change) {
      const old = own(servers ?? index.servers, c.id);
      if (old) put(old, applyServerChange(old, c), c.id);
    }
  }
  if (!servers) return undefined;
  return { servers, counts: counts ?? index.counts, shape: reshaped ? index.shape + 1 : index.shape };
}
