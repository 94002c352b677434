import { useMemo } from 'react';
import { POWER_LABELS } from '../../shared/power';
import type { ServerView } from '../../shared/server';
import { buildLayout, type GridLayout } from '../lib/layout';
import { bucketOf, type SummaryBucket } from '../lib/summary';
import { KIND_LABELS } from '../lib/kinds';
import { useRackdeck } from '../store';
import { useUi } from '../ui-store';
import { matchesGroupTag, useGroupFilter } from '../components/groups/filter-store';

export function matches(s: ServerView, query: string, bucket: SummaryBucket | null): boolean {
  if (bucket && bucketOf(s.power) !== bucket) return false;
  if (!query) return true;
  const q = query.toLowerCase();
  return [s.name, s.address, s.id, KIND_LABELS[s.kind], POWER_LABELS[s.power], s.notes ?? ''].some((f) => f.toLowerCase().includes(q));
}

/**
 * The grid's arrangement. The selector returns a string key of what the layout depends on, so a
 * patch that only changes power states (the 1 Hz case) neither rebuilds nor re-renders the grid.
 */
export function useLayout(): GridLayout & { total: number; filtered: boolean } {
  const query = useUi((u) => u.query.trim());
  const bucket = useUi((u) => u.bucket);
  const group = useGroupFilter((f) => f.group);
  const tag = useGroupFilter((f) => f.tag);
  const key = useRackdeck((s) => {
    // Unfiltered (or by group or tag only), the arrangement changes only with the inventory's
    // shape, which the store keeps: no walk over every server at every patch.
    if (query === '' && bucket === null) return s.shape;
    let k = '';
    for (const v of Object.values(s.servers)) if (matches(v, query, bucket) && matchesGroupTag(v, group, tag)) k += `${v.id}\u0000${v.name}\u0000${v.parentId ?? ''}\u0001`;
    return k;
  });
  const total = useRackdeck((s) => Object.keys(s.servers).length);
  return useMemo(() => {
    const servers = useRackdeck.getState().servers;
    // Whether a filter shaped it travels with the layout, so a deferred render never pairs an old grid with a new flag.
    return { ...buildLayout(Object.values(servers).filter((v) => matches(v, query, bucket) && matchesGroupTag(v, group, tag))), total, filtered: query !== '' || bucket !== null || group !== null || tag !== null };
    // `key` stands for the filtered servers' ids, names and parents: the memo's real input.
  }, [key, total, query, bucket, group, tag]);
}
