import type { Clock, TimerHandle } from '../../base/clock';

export interface Throttle {
  /** Asks for a run; runs once, `ms` after the first ask since the last run. */
  schedule(): void;
  /** Runs now if a run is pending. */
  flush(): void;
  cancel(): void;
}

/**
 * Trailing-edge throttle on an injected clock. Unlike a debounce it cannot starve: under a
 * steady stream of patches the tray still refreshes every `ms`.
 */
export function throttle(clock: Clock, ms: number, fn: () => void): Throttle {
  let timer: TimerHandle | undefined;
  const run = () => {
    timer = undefined;
    fn();
  };
  return {
    schedule() {
      if (timer === undefined) timer = clock.setTimeout(run, ms);
    },
    flush() {
      if (timer === undefined) return;
      clock.clearTimeout(timer);
      run();
    },
    cancel() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
