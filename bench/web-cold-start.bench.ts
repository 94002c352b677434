/**
 * docs/PERFORMANCE.md: "web face, cold start to first paint ≤ 1 s". `node bin/rackdeck.mjs serve --port 0
 * --home <tmp>` is spawned (the built app, as a user runs it), Debian's Chromium (already
 * running: a browser is open before anyone types the URL) opens the printed URL, and the page
 * reports when it painted: first-contentful-paint (PerformanceObserver 'paint') and the first
 * frame after the first server card, or the empty state, entered the DOM. Times are from the
 * process spawn, on the machine's clock (page times are performance.timeOrigin + now). Each spawn
 * waits until the browser's processes are quiet (bench/support/settle.ts): opening the tab, or
 * leaving the last round's page, kept Chromium busy for a while after Playwright's promise
 * resolved, and a spawn into that work, sharing two cores with it, was the slow first round of
 * every series (~150 ms more to the URL alone); an admin's browser was opened long before.
 *
 * The path is printed in its parts, each the median over the rounds: spawn → URL printed (the
 * engine's start); → the HTML received (navigation timing's responseEnd); → the page's script
 * received (resource timing: the entry chunk, src/renderer/boot.ts) and running (the moment it
 * makes its WebSocket, before the app's chunk with react-dom, fetched alongside, is run); → the
 * socket open; → the snapshot's answer received; → the first card (or empty state) in the DOM
 * (once the app's chunk has run and React rendered); → the frame after it painted. Also printed:
 * the median from the URL to the paint, the page's share of the path.
 *
 * The page tells the bench it painted through a binding, and nothing else is asked of it until
 * then: a Playwright locator or waitForFunction has Playwright inject its own 330 kB script into
 * the page as it loads, which a Chrome trace showed costing the measured main thread ~130 ms
 * (wall, at load 4) between the HTML and the script's arrival; a browser a user opens has none.
 * BENCH_COLD_BASE=<another build's bin/rackdeck.mjs> alternates its rounds with this build's.
 */
import type { Browser, Page } from 'playwright-core';
import { Cleanup, launchBrowser, makeHome, newAppPage, startServe, type SeedServer } from '../tests/e2e/harness';
import { fmtMs, median, watchdog } from './support/home';
import { settleDescendants } from './support/settle';
import { judge, targetFor } from './targets';

const TARGET = targetFor('web-cold-start');
const ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 3);
// Another build to compare with in the same run (its `bin/rackdeck.mjs`, with its own dist beside
// it): rounds then alternate, this build first, so both see the same moments of a shared machine.
const BASE_BIN = process.env.BENCH_COLD_BASE;
const builds: [string, string | undefined][] = BASE_BIN ? [['this build', undefined], ['base', BASE_BIN]] : [['', undefined]];
const stop = watchdog(6 * 60_000, 'web cold start');
/** How long each round waited for the browser to go quiet before its spawn (printed, not counted). */
const settled: number[] = [];

// In the page, before its own script: the probe. The WebSocket is wrapped (a subclass, so the
// page's code sees a WebSocket) only to note when it is made, opened and first answered with servers.
const PROBE = `
(() => {
  const rd = (window.__rd = {});
  const at = () => performance.timeOrigin + performance.now();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') rd.fcp = performance.timeOrigin + e.startTime;
  }).observe({ type: 'paint', buffered: true });
  const Base = window.WebSocket;
  window.WebSocket = class extends Base {
    constructor(...args) {
      super(...args);
      rd.wsMade ??= at();
      this.addEventListener('open', () => (rd.wsOpen ??= at()));
      this.addEventListener('message', (e) => {
        if (rd.snapshot === undefined && typeof e.data === 'string' && e.data.includes('"servers"')) rd.snapshot = at();
      });
    }
  };
  const found = () => {
    if (rd.inserted || !document.querySelector('[data-testid="server-card"], [data-testid="empty-state"]')) return false;
    rd.inserted = at();
    // The frame that shows it: the second animation frame after the insertion has been painted.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      rd.painted = at();
      window.__benchPainted();
    }));
    return true;
  };
  const watch = () => {
    if (found()) return;
    const mo = new MutationObserver(() => found() && mo.disconnect());
    mo.observe(document.documentElement, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch); else watch();
})();
`;

/** The probe's marks and the HTML's and the script's arrival (navigation and resource timing), as times on the machine's clock. */
const READ_MARKS = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const js = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.js') && e.name.includes('/assets/index-'));
  return { ...window.__rd, html: performance.timeOrigin + (nav ? nav.responseEnd : NaN), script: performance.timeOrigin + (js ? js.responseEnd : NaN) };
})()`;

interface PageMarks {
  fcp?: number;
  wsMade?: number;
  wsOpen?: number;
  snapshot?: number;
  inserted: number;
  painted: number;
  html: number;
  script: number;
}

/** The parts of the path, in order: each is a time from the spawn, and a part is the gap to the one before. */
const PARTS = [
  ['url', 'URL printed'],
  ['html', 'HTML received'],
  ['script', 'script received'],
  ['wsMade', 'script running (socket made)'],
  ['wsOpen', 'socket open'],
  ['snapshot', 'snapshot received'],
  ['inserted', 'first card in the DOM'],
  ['painted', 'painted'],
] as const;
type Round = Record<(typeof PARTS)[number][0] | 'fcp', number>;

/** `promise`, or a clear failure once `ms` have passed. */
async function within(ms: number, promise: Promise<void>, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  try {
    await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One cold start: the engine spawned, the page opened at its URL; times from the spawn. The home
 * is new (its config.json as an admin would type it: the engine validates it, writes it back
 * with its defaults and stores its web token first), or, with `usedBefore`, one an engine ran on
 * and stopped, as an admin's is on every later start.
 */
async function coldStart(tab: Tab, servers: SeedServer[], bin: string | undefined, usedBefore: boolean): Promise<Round> {
  const c = new Cleanup();
  try {
    const home = makeHome(c, { servers });
    if (usedBefore) await (await startServe(c, home, undefined, bin)).stop();
    const { page } = tab;
    // The tab leaves the last round's page (its socket closes) and waits, blank, for the URL,
    // in a browser gone quiet: an admin's was opened long before (see settleDescendants).
    await page.goto('about:blank');
    settled.push(await settleDescendants());
    const shown = tab.painted();
    const spawnAt = Date.now();
    const served = await startServe(c, home, undefined, bin);
    const urlAt = Date.now();
    await page.goto(served.openUrl, { waitUntil: 'commit' });
    await within(15_000, shown, 'the first card or the empty state painted');
    // The paint timing entry comes with the frame's presentation, a moment after: now nothing is measured any more.
    await page.waitForFunction(() => (globalThis as unknown as { __rd: { fcp?: number } }).__rd.fcp !== undefined, undefined, { timeout: 5_000 }).catch(() => undefined);
    const rd = await page.evaluate<PageMarks>(READ_MARKS);
    const from = (t: number | undefined) => (t ?? Number.NaN) - spawnAt;
    return {
      url: urlAt - spawnAt,
      html: from(rd.html),
      script: from(rd.script),
      wsMade: from(rd.wsMade),
      wsOpen: from(rd.wsOpen),
      snapshot: from(rd.snapshot),
      inserted: from(rd.inserted),
      painted: from(rd.painted),
      fcp: from(rd.fcp),
    };
  } finally {
    await c.run();
  }
}

/**
 * The browser tab the URL is opened in, open before the engine starts, as an admin's is, and
 * kept from round to round. It was made anew for each round just before the spawn: Chromium
 * building a context and its page then competed with the engine's start on two cores, and the
 * URL came ~200 ms later than from a bare spawn (363 → 567 ms medians, 40 servers, load ~1).
 */
interface Tab {
  page: Page;
  /** Resolves when the page next reports its first card (or empty state) painted. */
  painted(): Promise<void>;
}

async function openTab(browser: Browser, cleanup: Cleanup): Promise<Tab> {
  const { page } = await newAppPage(browser, cleanup);
  let done: () => void = () => undefined;
  await page.exposeBinding('__benchPainted', () => done());
  await page.addInitScript(PROBE);
  return { page, painted: () => new Promise<void>((resolve) => (done = resolve)) };
}

function report(label: string, rounds: Round[]): void {
  const worst = Math.max(...rounds.map((x) => x.painted));
  console.log(
    `web face cold start to first paint, ${label}: median ${fmtMs(median(rounds.map((x) => x.painted)))}, max ${fmtMs(worst)} from spawn ${judge(TARGET, worst, label)}` +
      `  [URL printed after ${fmtMs(median(rounds.map((x) => x.url)))}, painted ${fmtMs(median(rounds.map((x) => x.painted - x.url)))} after it, first-contentful-paint ${fmtMs(median(rounds.map((x) => x.fcp)))}; rounds ${rounds.map((x) => fmtMs(x.painted)).join(', ')}]`,
  );
  const parts = PARTS.map(([key, name], i) => {
    const gap = median(rounds.map((x) => x[key] - (i === 0 ? 0 : x[PARTS[i - 1]?.[0] ?? 'url'])));
    return `${name} +${fmtMs(gap)}`;
  });
  console.log(`  parts (medians): spawn → ${parts.join(' → ')}`);
  // The worst round's own parts: the judged figure is the worst, so where it lost its time matters most.
  const slowest = rounds.find((x) => x.painted === worst);
  if (slowest) {
    const own = PARTS.map(([key, name], i) => `${name} +${fmtMs(slowest[key] - (i === 0 ? 0 : slowest[PARTS[i - 1]?.[0] ?? 'url']))}`);
    console.log(`  parts (the worst round): spawn → ${own.join(' → ')}`);
  }
}

const suite = new Cleanup();
try {
  const t0 = performance.now();
  const browser = await launchBrowser(suite);
  console.log(`Chromium launch (not counted: the browser is already open): ${fmtMs(performance.now() - t0)}`);

  const forty: SeedServer[] = Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, name: `s${i}`, address: `127.13.0.${i + 1}`, ports: [9] }));
  const inventories: [string, SeedServer[], boolean][] = [
    ['empty inventory → empty state', [], false],
    ['40 servers → first card', forty, false],
    ['40 servers, a home used before → first card', forty, true],
  ];
  for (const [label, servers, usedBefore] of inventories) {
    const rounds = new Map<string, Round[]>(builds.map(([name]) => [name, []]));
    const tab = await openTab(browser, suite);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, bin] of builds) {
        const round = await coldStart(tab, servers, bin, usedBefore);
        rounds.get(name)?.push(round);
      }
    }
    for (const [name] of builds) report(name ? `${label} (${name})` : label, rounds.get(name) ?? []);
  }
  console.log(`waited for the browser to go quiet before each spawn (not counted): median ${fmtMs(median(settled))}, max ${fmtMs(Math.max(...settled))}`);
} finally {
  await suite.run();
  stop();
}
