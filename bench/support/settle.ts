/**
 * Waits until this process's descendants (a browser the bench launched, with its renderers) have
 * gone quiet, so what a bench times next does not share the two cores with their leftover work:
 * Chromium opening a context and its tab, or leaving a page, keeps working for a while after
 * Playwright's promise resolved, and a measured start spawned into that is slower for reasons a
 * user's browser, open long before, does not have. Linux only (reads /proc); elsewhere it returns
 * at once and says so.
 */
import fs from 'node:fs';

const TICK_MS = 1000 / 100; // USER_HZ: /proc's CPU times are in clock ticks of 10 ms on Linux

interface Proc {
  ppid: number;
  cpuTicks: number;
}

function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone between the listing and the read
    }
    // The command name (field 2) is in parentheses and may hold spaces: fields are counted after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    procs.set(Number(name), { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) });
  }
  return procs;
}

/** CPU milliseconds used so far by every live descendant of `root`. */
function descendantsCpuMs(root: number): number {
  const procs = readProcs();
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  let ticks = 0;
  const queue = [...(children.get(root) ?? [])];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    ticks += procs.get(pid)?.cpuTicks ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return ticks * TICK_MS;
}

/**
 * Resolves once this process's descendants used at most `quietMs` of CPU in a window of
 * `windowMs` (defaults: 20 ms in 300, under 7 % of a core), or after `maxMs` in any case.
 * Returns how long it waited.
 */
export async function settleDescendants(options: { windowMs?: number; quietMs?: number; maxMs?: number } = {}): Promise<number> {
  if (process.platform !== 'linux') return 0;
  const { windowMs = 300, quietMs = 20, maxMs = 5_000 } = options;
  const started = performance.now();
  let before = descendantsCpuMs(process.pid);
  while (performance.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = descendantsCpuMs(process.pid);
    if (now - before <= quietMs) break;
    before = now;
  }
  return performance.now() - started;
}
