import type { Browser, Page } from 'playwright-core';

export interface TaskStats {
  tasks: number;
  /** Longest main-thread task by thread CPU time: what the page itself cost. */
  maxCpuMs: number;
  /** Longest by wall clock: includes time the OS gave to other processes. */
  maxWallMs: number;
  cpuOver50: number;
}

type TraceEvent = { name: string; ph: string; dur?: number; tdur?: number };

/**
 * Runs `body` under a Chrome trace and sums up the renderer's tasks. Thread CPU time (`tdur`) is
 * reported next to wall time because on a shared 2-core machine wall time mostly measures the
 * neighbours; neither is asserted.
 */
export async function traceTasks(browser: Browser, page: Page, body: () => Promise<void>): Promise<TaskStats> {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  let trace: Buffer;
  try {
    await body();
  } finally {
    trace = await browser.stopTracing();
  }
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const tasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.tdur !== undefined);
  const cpu = tasks.map((t) => (t.tdur ?? 0) / 1000);
  const wall = tasks.map((t) => (t.dur ?? 0) / 1000);
  return { tasks: tasks.length, maxCpuMs: Math.max(0, ...cpu), maxWallMs: Math.max(0, ...wall), cpuOver50: cpu.filter((x) => x > 50).length };
}
