import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { queueCardUpdate, dropCardUpdate } from './card-updates';

// One clock for the whole window: a single 1 s interval, however many cards show a time.
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * A text derived from the current time ("3 min ago"). The component re-renders only when the
 * text changes, so 500 cards cost 500 string formats a second, not 500 renders.
 */
export function useTimeText(format: (now: number) => string): string {
  return useSyncExternalStore(subscribe, () => format(now));
}

/**
 * useTimeText for a card: when the clock changes the text, the card is redrawn in its turn of the
 * card slices (card-updates.ts) rather than with every other card in one task. "Up for 9 s" →
 * "10 s" on every card near the screen at once laid out and painted them all in one frame.
 * A change of its props (a patch) shows in the same render.
 */
export function useCardTimeText(format: (now: number) => string): string {
  // A stopped clock (no card showed a time yet: the first render after the snapshot) holds the
  // time it last ticked, or the page's start: read afresh, so the first cards are drawn with the
  // right text, not drawn again once their effects start the clock (a second render of every card
  // in the first render's task).
  if (!timer) now = Date.now();
  const text = format(now);
  const [, redraw] = useState(0);
  const latest = useRef({ format, text });
  latest.current = { format, text };
  useEffect(() => {
    const off = subscribe(() => {
      if (latest.current.format(now) !== latest.current.text) queueCardUpdate(redraw, () => redraw((n) => n + 1));
    });
    // The first subscriber restarts a stopped clock: the text rendered before may be old.
    if (latest.current.format(now) !== latest.current.text) redraw((n) => n + 1);
    return () => {
      off();
      dropCardUpdate(redraw);
    };
  }, []);
  return text;
}
