import { create } from 'zustand';
import type { ServerView } from '../../../shared/server';

/** What a bulk dialog was asked for: an action on the servers the group/tag filter shows. */
export interface BulkAsk {
  action: 'wake' | 'suspend' | 'shutdown';
  group?: string;
  tag?: string;
}

/**
 * The grid's group and tag filter, and which group or bulk dialog is open. Kept apart from the
 * shared ui-store: it is this feature's own UI state, never server state.
 */
export interface GroupFilterState {
  group: string | null;
  tag: string | null;
  /** The "new group" dialog is open. */
  editing: boolean;
  bulk: BulkAsk | null;
  setGroup(group: string | null): void;
  setTag(tag: string | null): void;
  clear(): void;
  edit(open: boolean): void;
  askBulk(ask: BulkAsk | null): void;
}

export const useGroupFilter = create<GroupFilterState>()((set) => ({
  group: null,
  tag: null,
  editing: false,
  bulk: null,
  setGroup: (group) => set((s) => ({ group: s.group === group ? null : group })),
  setTag: (tag) => set((s) => ({ tag: s.tag === tag ? null : tag })),
  clear: () => set({ group: null, tag: null }),
  edit: (editing) => set({ editing }),
  askBulk: (bulk) => set({ bulk }),
}));

/** Whether a server passes the group and tag filter (both, when both are set). */
export function matchesGroupTag(s: Pick<ServerView, 'groups' | 'proxmox'>, group: string | null, tag: string | null): boolean {
  if (group !== null && !(s.groups ?? []).includes(group)) return false;
  if (tag !== null && !(s.proxmox?.tags ?? []).includes(tag)) return false;
  return true;
}

/** Every group and tag in the inventory, sorted: as one string, so a selector over it re-renders only when a name comes or goes. */
export function namesKey(servers: Record<string, ServerView>, pick: (s: ServerView) => readonly string[] | undefined): string {
  const names = new Set<string>();
  for (const s of Object.values(servers)) for (const n of pick(s) ?? []) names.add(n);
  return [...names].sort((a, b) => a.localeCompare(b)).join('\u0000');
}
