import { useSyncExternalStore } from 'react';

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
