import { SUMMARY_LABELS, type SummaryBucket } from '../lib/summary';
import { useRackdeck } from '../store';
import { useUi } from '../ui-store';

const ORDER: SummaryBucket[] = ['on', 'busy', 'asleep', 'down', 'failed', 'unknown'];

/** "5 on · 2 asleep · 1 down"; each count is a toggle that filters the grid to that bucket. */
export function StateCounts() {
  // Kept by the store as patches arrive: counting 2 000 servers at every patch held up its task.
  const counts = useRackdeck((s) => s.counts);
  const active = useUi((u) => u.bucket);
  const shown = ORDER.filter((b) => counts[b] > 0 || b === active);
  if (shown.length === 0) return null;
  return (
    <ul className="counts" aria-label="Servers by state" data-testid="state-counts">
      {shown.map((b) => (
        <li key={b}>
          <button
            type="button"
            className="count"
            data-bucket={b}
            aria-pressed={active === b}
            title={active === b ? 'Show all servers' : `Show only servers that are ${SUMMARY_LABELS[b]}`}
            onClick={() => useUi.getState().toggleBucket(b)}
          >
            <span className="count-dot" aria-hidden="true" />
            <strong>{counts[b]}</strong> {SUMMARY_LABELS[b]}
          </button>
        </li>
      ))}
    </ul>
  );
}
