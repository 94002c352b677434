import type { GroupSummary, GroupsView } from '../../shared/contract/groups';
import type { ServerConfig } from '../../shared/server';

/**
 * Groups and tags, pure: who is in which group (the admin's, in the config) and which tag (from
 * Proxmox), and a server's groups with one added or taken out. Names are kept as typed, sorted
 * for display; a server's own list keeps the order the admin gave.
 */

function summaries(entries: Iterable<[string, string]>): GroupSummary[] {
  const by = new Map<string, string[]>();
  for (const [name, id] of entries) {
    const list = by.get(name) ?? [];
    if (!list.includes(id)) list.push(id);
    by.set(name, list);
  }
  return [...by].map(([name, members]) => ({ name, members })).sort((a, b) => a.name.localeCompare(b.name));
}

export function groupsView(servers: readonly ServerConfig[], tagsOf: (id: string) => readonly string[]): GroupsView {
  return {
    groups: summaries(servers.flatMap((s) => (s.groups ?? []).map((g): [string, string] => [g, s.id]))),
    tags: summaries(servers.flatMap((s) => tagsOf(s.id).map((t): [string, string] => [t, s.id]))),
  };
}

/** The server's groups with `group` added; the same list (by identity) when it was in it already. */
export function withGroup(groups: readonly string[] | undefined, group: string): readonly string[] {
  const current = groups ?? [];
  return current.includes(group) ? current : [...current, group];
}

/** The server's groups without `group`; the same list (by identity) when it was not in it. */
export function withoutGroup(groups: readonly string[] | undefined, group: string): readonly string[] {
  const current = groups ?? [];
  return current.includes(group) ? current.filter((g) => g !== group) : current;
}
