import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it
 * collects again, for a process that runs the engine for days (`rackdeck serve`), in percent.
 *
 * Why: V8 sets the next limit at up to 4× the surviving heap when the machine has memory to
 * spare. The engine's live heap is ~45 MB for 1 000 servers, but its loops keep promoting
 * short-lived objects (a thousand probe sockets per sweep outlive two scavenges), so the old
 * generation filled with garbage up to ~150 MB between full collections: 265–276 MB resident
 * at the peak (docs/PERFORMANCE.md, memory). At 1.3× it collects at ~60–80 MB: 168–173 MB
 * resident, and the same CPU (a full collection of a 45 MB heap is cheap, and it has less to
 * sweep). V8 reads this flag at every full collection, so setting it once the process runs takes
 * effect; the young generation's size (--max-semi-space-size) is fixed when V8 starts and is not.
 */
export const ENGINE_HEAP_GROWING_PERCENT = 30;

/** The V8 flag the engine's process sets, or undefined when whoever started node chose their own. */
export function heapGrowthFlag(execArgv: readonly string[]): string | undefined {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a))) return undefined;
  return `--heap-growing-percent=${ENGINE_HEAP_GROWING_PERCENT}`;
}

/** Keeps a long-running engine's heap close to what it holds (see above). Once per process. */
export function keepHeapTight(execArgv: readonly string[] = process.execArgv): void {
  const flag = heapGrowthFlag(execArgv);
  if (flag) v8.setFlagsFromString(flag);
}
