import { useEffect, useState } from 'react';
import type { ServerView } from '../../shared/server';
import { useRackdeck } from '../store';
import { own } from '../../shared/own';
import { dropCardUpdate, queueCardUpdate } from './card-updates';

/**
 * A card's server, updated a slice of cards per animation frame (card-updates.ts). zustand's own
 * hook renders synchronously, so a patch touching every card in view would render, commit and
 * draw them all in one long task. A card may show a state a few frames later than the top bar:
 * the grid is eventually consistent, never wrong for long. It reads the store when its turn
 * comes, so it always shows the latest patch, whatever came meanwhile.
 */
export function useServerView(id: string): ServerView | undefined {
  const [view, setView] = useState(() => own(useRackdeck.getState().servers, id));
  useEffect(() => {
    // Catch anything that landed between the first render and this subscription.
    setView(own(useRackdeck.getState().servers, id));
    const apply = () => setView(own(useRackdeck.getState().servers, id));
    const off = useRackdeck.subscribe((state, prev) => {
      if (own(state.servers, id) !== own(prev.servers, id)) queueCardUpdate(setView, apply);
    });
    return () => {
      off();
      dropCardUpdate(setView);
    };
  }, [id]);
  return view;
}
