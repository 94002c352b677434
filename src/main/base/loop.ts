import type { Clock, TimerHandle } from './clock';
import type { Logger } from './logger';

export interface Loop {
  readonly name: string;
  start(): void;
  stop(): void;
  /** Runs an iteration now (unless one is running) and reschedules the next. */
  kick(): Promise<void>;
  setInterval(ms: number): void;
}

/** How a loop's iterations went: for Rackdeck's own figures on /metrics (issue 19). */
export interface LoopStats {
  name: string;
  runs: number;
  failures: number;
  /** Wall time of the last iteration, ms (real time: a fake clock does not move while one runs). */
  lastMs: number;
  totalMs: number;
}

const loopStats = new Map<string, LoopStats>();

/** Every loop's figures in this process, by name (a second loop of the same name adds to them). */
export function loopTimings(): LoopStats[] {
  return [...loopStats.values()].map((s) => ({ ...s }));
}

/**
 * A loop that runs `body`, waits `intervalMs` after it finishes, and runs it again. An
 * iteration that throws is logged and the loop goes on (one failing host or bug
 * never stops the watch).
 */
export function createLoop(
  name: string,
  intervalMs: number,
  body: () => Promise<void>,
  deps: { clock: Clock; log: Logger },
): Loop {
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;
  let active = false;
  let interval = intervalMs;

  const schedule = () => {
    if (!active) return;
    if (timer !== undefined) deps.clock.clearTimeout(timer);
    timer = deps.clock.setTimeout(() => void run(), interval);
  };

  const run = async (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      const stats = loopStats.get(name) ?? { name, runs: 0, failures: 0, lastMs: 0, totalMs: 0 };
      loopStats.set(name, stats);
      const began = performance.now();
      try {
        await body();
      } catch (error) {
        stats.failures++;
        deps.log.error(`${name} loop iteration failed`, error);
      } finally {
        stats.runs++;
        stats.lastMs = performance.now() - began;
        stats.totalMs += stats.lastMs;
        running = undefined;
        schedule();
      }
    })();
    return running;
  };

  return {
    name,
    start() {
      if (active) return;
      active = true;
      void run();
    },
    stop() {
      active = false;
      if (timer !== undefined) deps.clock.clearTimeout(timer);
      timer = undefined;
    },
    kick: run,
    setInterval(ms) {
      interval = ms;
      schedule();
    },
  };
}
