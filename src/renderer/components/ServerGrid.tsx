import { useDeferredValue } from 'react';
import { useLayout } from '../hooks/useLayout';
import type { GridLayout } from '../lib/layout';
import { useUi } from '../ui-store';
import { useGroupFilter } from './groups/filter-store';
import { CardRun, VIRTUALISE_ABOVE } from './CardRun';
import { ServerGroup } from './ServerGroup';
import { SkeletonGrid } from './SkeletonGrid';

const NOT_YET: GridLayout & { total: number; filtered: boolean } = { standalone: [], groups: [], order: [], total: 0, filtered: false };

/**
 * Standalone servers in one grid, then each host with its guests grouped under it. The layout is
 * deferred: mounting the grid, or refiltering it as the admin types, renders in slices that
 * yield to input instead of one long task. Past VIRTUALISE_ABOVE servers only the cards on
 * screen are drawn (CardRun).
 */
export function ServerGrid() {
  const current = useLayout();
  const layout = useDeferredValue(current, NOT_YET);
  const filtered = layout.filtered;
  const virtual = layout.order.length > VIRTUALISE_ABOVE;
  if (layout === NOT_YET) return <SkeletonGrid />;
  if (layout.order.length === 0) {
    return (
      <div className="no-match" data-testid="no-match">
        <p>No server matches this filter.</p>
        <button type="button" className="btn" onClick={() => {
            useUi.getState().clearFilters();
            useGroupFilter.getState().clear();
          }}>
          Show all {layout.total}
        </button>
      </div>
    );
  }
  return (
    <div className="servers" data-testid="server-grid" data-filtered={filtered || undefined} data-virtual={virtual || undefined}>
      {layout.standalone.length > 0 && <CardRun ids={layout.standalone} virtual={virtual} />}
      {layout.groups.map((g) => (
        <ServerGroup key={g.id} node={g} virtual={virtual} />
      ))}
    </div>
  );
}
