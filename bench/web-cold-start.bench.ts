/**
 * docs/PERFORMANCE.md: "web face, cold start to first paint ≤ 1 s". `node bin/rackdeck.mjs serve --port 0
 * --home <tmp>` is spawned (the built app, as a user runs it), Debian's Chromium (already
 * running: a browser is open before anyone types the URL) opens the printed URL, and the page
 * reports when it painted: first-contentful-paint (PerformanceObserver 'paint') and the first
 * frame after the first server card, or the empty state, entered the DOM. Times are from the
 * process spawn, on the machine's clock (page times are performance.timeOrigin + now).
 */
import { Cleanup, launchBrowser, makeHome, newAppPage, startServe, type SeedServer } from '../tests/e2e/harness';
import { fmtMs, median, watchdog } from './support/home';
import { judge, targetFor } from './targets';

const TARGET = targetFor('web-cold-start');
const ROUNDS = 3;
const stop = watchdog(4 * 60_000, 'web cold start');

const PROBE = `
(() => {
  const rd = (window.__rd = {});
  const at = () => performance.timeOrigin + performance.now();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') rd.fcp = performance.timeOrigin + e.startTime;
  }).observe({ type: 'paint', buffered: true });
  const found = () => {
    if (rd.inserted || !document.querySelector('[data-testid="server-card"], [data-testid="empty-state"]')) return false;
    rd.inserted = at();
    // The frame that shows it: the second animation frame after the insertion has been painted.
    requestAnimationFrame(() => requestAnimationFrame(() => (rd.painted = at())));
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

interface Round {
  url: number;
  fcp: number;
  painted: number;
}

const suite = new Cleanup();
try {
  const t0 = performance.now();
  const browser = await launchBrowser(suite);
  console.log(`Chromium launch (not counted: the browser is already open): ${fmtMs(performance.now() - t0)}`);

  const inventories: [string, SeedServer[]][] = [
    ['empty inventory → empty state', []],
    ['40 servers → first card', Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, name: `s${i}`, address: `127.13.0.${i + 1}`, ports: [9] }))],
  ];
  for (const [label, servers] of inventories) {
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const c = new Cleanup();
      try {
        const home = makeHome(c, { servers });
        const { page } = await newAppPage(browser, c);
        await page.addInitScript(PROBE);
        const spawnAt = Date.now();
        const served = await startServe(c, home);
        const urlAt = Date.now();
        await page.goto(served.openUrl, { waitUntil: 'commit' });
        await page.locator('[data-testid="server-card"], [data-testid="empty-state"]').first().waitFor({ timeout: 15_000 });
        await page.waitForFunction(() => (globalThis as unknown as { __rd: { painted?: number } }).__rd.painted !== undefined, undefined, { timeout: 15_000 });
        const rd = await page.evaluate(() => (globalThis as unknown as { __rd: { fcp?: number; painted: number } }).__rd);
        rounds.push({ url: urlAt - spawnAt, fcp: (rd.fcp ?? Number.NaN) - spawnAt, painted: rd.painted - spawnAt });
      } finally {
        await c.run();
      }
    }
    const worst = Math.max(...rounds.map((x) => x.painted));
    console.log(
      `web face cold start to first paint, ${label}: median ${fmtMs(median(rounds.map((x) => x.painted)))}, max ${fmtMs(worst)} from spawn ${judge(TARGET, worst, label)}` +
        `  [URL printed after ${fmtMs(median(rounds.map((x) => x.url)))}, first-contentful-paint ${fmtMs(median(rounds.map((x) => x.fcp)))}; rounds ${rounds.map((x) => fmtMs(x.painted)).join(', ')}]`,
    );
  }
} finally {
  await suite.run();
  stop();
}
