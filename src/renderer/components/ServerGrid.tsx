import { useDeferredValue } from 'react';
import { useLayout } from '../hooks/useLayout';
import { useUi } from '../ui-store';
import { useGroupFilter } from './groups/filter-store';
import { CardRun, VIRTUALISE_ABOVE } from './CardRun';
import { ServerGroup } from './ServerGroup';

/**
 * Standalone servers in one grid, then each host with its guests grouped under it. A new layout
 * (refiltering as the admin types, servers coming and going) is deferred: it renders in slices
 * that yield to input instead of one long task. The first one is not: deferred, it drew the
 * loading skeleton once more, a frame and a render before the cards, and the snapshot's task has
 * nothing to yield to. Past VIRTUALISE_ABOVE servers only the cards on screen are drawn (CardRun).
 */
export function ServerGrid() {
  const layout = useDeferredValue(useLayout());
  const filtered = layout.filtered;
  const virtual = layout.order.length > VIRTUALISE_ABOVE;
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
      {layout.standalone.length > 0 && <CardRun ids={layout.standalone} virtual={virtual} lead />}
      {layout.groups.map((g, i) => (
        <ServerGroup key={g.id} node={g} virtual={virtual} lead={i === 0 && layout.standalone.length === 0} />
      ))}
    </div>
  );
}
