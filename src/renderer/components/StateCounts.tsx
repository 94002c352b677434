import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
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
 *
 * Measured in a ResizeObserver's callback, which the browser runs after its layout and before it
 * paints, never during React's commit: reading `scrollWidth` there made the browser lay out the
 * whole page in the middle of the first render's task (11–35 ms of the 2 000-server first render,
 * issue 16), then lay it out again for the frame. A change of the counts (same box, other words)
 * observes the list afresh, which brings one callback at the next frame, before it is painted;
 * the switch is committed at once (flushSync) so that frame shows it. The list's width comes from
 * the top bar (`flex: 1 1 0`), not its words, so the switch does not resize what is observed.
 */
function useFits(content: string): { ref: (el: HTMLUListElement | null) => void; compact: boolean } {
  const [compact, setCompact] = useState(false);
  const state = useRef({ compact: false, needed: 0, el: null as HTMLUListElement | null, observer: null as ResizeObserver | null });
  const ref = useCallback((el: HTMLUListElement | null) => {
    const s = state.current;
    s.observer?.disconnect();
    s.observer = null;
    s.el = el;
    if (!el) return;
    const commit = (next: boolean) => {
      s.compact = next;
      flushSync(() => setCompact(next));
    };
    const check = () => {
      if (s.compact && el.clientWidth < s.needed) return;
      // Room again: the words come back, and are measured as they show (they may have grown meanwhile).
      if (s.compact) commit(false);
      s.needed = el.scrollWidth;
      if (el.scrollWidth > el.clientWidth + 1) commit(true);
    };
    s.observer = new ResizeObserver(check);
    s.observer.observe(el);
  }, []);
  useLayoutEffect(() => {
    const { el, observer } = state.current;
    if (!el || !observer) return;
    // Observed afresh: one callback at the next frame, with this content laid out.
    observer.unobserve(el);
    observer.observe(el);
  }, [content]);
  return { ref, compact };
}
