import { startTransition, useEffect, useState } from 'react';
import type { ServerView } from '../../shared/server';
import { useRackdeck } from '../store';
import { own } from '../../shared/own';

/**
 * A card's server, updated as a React transition. zustand's own hook renders synchronously, so
 * a patch touching all 500 cards would be one long task; as transitions, React renders them in
 * slices and yields between them, keeping the window responsive. A card may show a state a few
 * milliseconds later than the top bar: the grid is eventually consistent, never wrong for long.
 */
export function useServerView(id: string): ServerView | undefined {
  const [view, setView] = useState(() => own(useRackdeck.getState().servers, id));
  useEffect(() => {
    // Catch anything that landed between the first render and this subscription.
    setView(own(useRackdeck.getState().servers, id));
    return useRackdeck.subscribe((state, prev) => {
      const next = own(state.servers, id);
      if (next !== own(prev.servers, id)) startTransition(() => setView(next));
    });
  }, [id]);
  return view;
}
