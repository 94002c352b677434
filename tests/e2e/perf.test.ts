import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { PowerState } from '../../src/shared/power';
import { Cleanup, fakeServer, launchBrowser, makeHome, newAppPage, routeFakeEngine, screenshot, startServe, traceTasks, type TaskStats } from './harness';

// The renderer target (docs/PERFORMANCE.md): 500 servers, 1 Hz updates, no long task over 50 ms. The page is
// fed by a fake engine on its WebSocket so patches come when the test says; the hardest case is
// measured, every patch rewriting all 500 servers. Figures are printed, never asserted: what is
// asserted is that every patch lands. 500 servers are past the grid's virtualisation threshold, so
// only the cards near the screen are in the DOM: the test waits on the first card, checks the
// counts, and scrolls to the last card to see it drawn with the last state.

const SERVERS = 500;
const PATCHES = 6;

const suite = new Cleanup();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(suite);
});
afterAll(() => suite.run());

const fmt = (s: TaskStats) => `max task ${s.maxCpuMs.toFixed(0)} ms CPU / ${s.maxWallMs.toFixed(0)} ms wall, ${s.cpuOver50} over 50 ms CPU`;

describe('renderer under load', () => {
  it('keeps up with 500 servers when every patch changes all of them', async () => {
    const c = new Cleanup();
    try {
      const served = await startServe(c, makeHome(c));
      const { page, errors } = await newAppPage(browser, c);
      const now = Date.now();
      const servers = Array.from({ length: SERVERS }, (_, i) => fakeServer(i, now));
      const engine = await routeFakeEngine(page, servers);

      const first = await traceTasks(browser, page, async () => {
        await page.goto(served.openUrl);
        await engine.connected;
        await page.locator('[data-testid="server-card"]').first().waitFor();
      });
      // Past 150 servers the grid is virtualised: every server has its place in a block, but only
      // the blocks near the screen hold cards.
      const blocks = page.getByTestId('card-block');
      const placed = (await blocks.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))))).reduce((a, b) => a + b, 0);
      expect(placed).toBe(SERVERS);
      const drawn = await page.getByTestId('server-card').count();
      expect(drawn).toBeGreaterThan(0);
      expect(drawn).toBeLessThan(SERVERS);

      const updates = await traceTasks(browser, page, async () => {
        for (let p = 1; p <= PATCHES; p++) {
          const power: PowerState = p % 2 === 0 ? 'on' : 'waking';
          engine.patch({ upsert: servers.map((s) => ({ ...s, power, since: now + p })), remove: [] });
          // Each patch must be on screen before the next one is sent (srv-000 is the first card, on screen).
          await page.locator(`[data-testid="server-card"][data-server-id="srv-000"][data-power="${power}"]`).waitFor();
        }
      });
      // Every drawn card took the last patch, and the counts (which read every server) say all are on.
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="server-card"]:not([data-power="on"])').length === 0);
      expect(await page.getByTestId('state-counts').textContent()).toContain(`${SERVERS} on`);
      // Scrolled to the end, the last cards are drawn, already on.
      await page.getByTestId('card-block').last().scrollIntoViewIfNeeded();
      await page.locator('[data-testid="server-card"][data-server-id="srv-499"][data-power="on"]').waitFor();
      await screenshot(page, 'perf-500-light');

      console.log(`[perf] ${SERVERS} servers, first render: ${fmt(first)}`);
      console.log(`[perf] ${PATCHES} patches of all ${SERVERS} servers: ${fmt(updates)}`);
      expect(errors).toEqual([]);
    } finally {
      await c.run();
    }
  });
});
