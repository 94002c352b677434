import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { PowerState } from '../../src/shared/power';
import { Cleanup, fakeServer, launchBrowser, makeHome, newAppPage, routeFakeEngine, screenshot, startServe } from './harness';

// The renderer at 500 servers, every patch rewriting all of them (the hardest case). The page is
// fed by a stand-in engine on its WebSocket so patches come when the test says. What is asserted
// is that every server has its place, every patch lands, and the page reports no error; how long
// that takes is measured by bench/renderer.bench.ts against its target, never here. 500 servers
// are past the grid's virtualisation threshold, so only the cards near the screen are in the DOM:
// the test waits on the first card, checks the counts, and scrolls to the last card to see it
// drawn with the last state.

const SERVERS = 500;
const PATCHES = 6;

const suite = new Cleanup();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(suite);
});
afterAll(() => suite.run());

describe('the renderer with 500 servers', () => {
  it('places every server and shows every patch that changes all of them', async () => {
    const c = new Cleanup();
    try {
      const served = await startServe(c, makeHome(c));
      const { page, errors } = await newAppPage(browser, c);
      const now = Date.now();
      const servers = Array.from({ length: SERVERS }, (_, i) => fakeServer(i, now));
      const engine = await routeFakeEngine(page, servers);

      await page.goto(served.openUrl);
      await engine.connected;
      await page.locator('[data-testid="server-card"]').first().waitFor();
      // Past 150 servers the grid is virtualised: every server has its place in a block (the blocks
      // off the first screen mount the frame after it), but only the blocks near the screen hold cards.
      await page.waitForFunction(() => document.querySelector('[data-testid="card-blocks-later"]') === null);
      const blocks = page.getByTestId('card-block');
      const placed = (await blocks.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))))).reduce((a, b) => a + b, 0);
      expect(placed).toBe(SERVERS);
      const drawn = await page.getByTestId('server-card').count();
      expect(drawn).toBeGreaterThan(0);
      expect(drawn).toBeLessThan(SERVERS);

      for (let p = 1; p <= PATCHES; p++) {
        const power: PowerState = p % 2 === 0 ? 'on' : 'waking';
        engine.patch({ upsert: servers.map((s) => ({ ...s, power, since: now + p })), remove: [] });
        // Each patch must be on screen before the next one is sent (srv-000 is the first card, on screen).
        await page.locator(`[data-testid="server-card"][data-server-id="srv-000"][data-power="${power}"]`).waitFor();
      }
      // Every drawn card took the last patch, and the counts (which read every server) say all are on.
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="server-card"]:not([data-power="on"])').length === 0);
      expect(await page.getByTestId('state-counts').textContent()).toContain(`${SERVERS} on`);
      // Scrolled to the end, the last cards are drawn, already on.
      await page.getByTestId('card-block').last().scrollIntoViewIfNeeded();
      await page.locator('[data-testid="server-card"][data-server-id="srv-499"][data-power="on"]').waitFor();
      await screenshot(page, 'many-servers-light');
      expect(errors).toEqual([]);
    } finally {
      await c.run();
    }
  });
});
