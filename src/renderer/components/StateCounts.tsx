import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
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
  const { ref, compact } = useFits(shown.map((b) => `${b}${counts[b]}`).join());
  if (shown.length === 0) return null;
  return (
    <ul ref={ref} className="counts" data-compact={compact || undefined} aria-label="Servers by state" data-testid="state-counts">
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
            <strong>{counts[b]}</strong> <span className="count-label">{SUMMARY_LABELS[b]}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * Whether the counts fit with their words. Where the top bar is too narrow (a 1 366-px laptop
 * with five or six states showing), the words go (kept for screen readers, and in each count's
 * title) and the coloured dot and number stay, rather than the last count being cut mid-word.
 * The width the words need is measured while they show, and they come back once there is room.
 */
function useFits(content: string): { ref: RefObject<HTMLUListElement | null>; compact: boolean } {
  const ref = useRef<HTMLUListElement | null>(null);
  const [compact, setCompact] = useState(false);
  const needed = useRef(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const check = () => {
      if (!compact) {
        needed.current = el.scrollWidth;
        if (el.scrollWidth > el.clientWidth + 1) setCompact(true);
      } else if (el.clientWidth >= needed.current) {
        setCompact(false);
      }
    };
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    return () => observer.disconnect();
  }, [compact, content]);
  return { ref, compact };
}
