import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { PowerState } from '../../src/shared/power';
import { Cleanup, fakeServer, launchBrowser, makeHome, newAppPage, routeFakeEngine, screenshot, startServe } from './harness';

// The renderer at the size docs/PERFORMANCE.md sets: 500 servers, every patch rewriting all of
// them (the hardest case). The page is fed by a stand-in engine on its WebSocket so patches come
// when the test says. What is asserted is that every card is drawn, that every patch lands on
// every card, and that the page reports no error. How long that takes is measured by
// bench/renderer.bench.ts against its target, never here.

const SERVERS = 500;
const PATCHES = 6;

const suite = new Cleanup();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(suite);
});
afterAll(() => suite.run());

describe('the renderer with 500 servers', () => {
  it('draws every card and shows every patch that changes all of them', async () => {
    const c = new Cleanup();
    try {
      const served = await startServe(c, makeHome(c));
      const { page, errors } = await newAppPage(browser, c);
      const now = Date.now();
      const servers = Array.from({ length: SERVERS }, (_, i) => fakeServer(i, now));
      const engine = await routeFakeEngine(page, servers);

      await page.goto(served.openUrl);
      await engine.connected;
      await page.locator('[data-testid="server-card"]').nth(SERVERS - 1).waitFor();
      expect(await page.getByTestId('server-card').count()).toBe(SERVERS);

      for (let p = 1; p <= PATCHES; p++) {
        const power: PowerState = p % 2 === 0 ? 'on' : 'waking';
        engine.patch({ upsert: servers.map((s) => ({ ...s, power, since: now + p })), remove: [] });
        // Each patch must be on screen, on every card, before the next one is sent.
        await page.locator(`[data-testid="server-card"][data-server-id="srv-499"][data-power="${power}"]`).waitFor();
        expect(await page.locator(`[data-testid="server-card"][data-power="${power}"]`).count()).toBe(SERVERS);
      }
      await screenshot(page, 'many-servers-light');
      expect(errors).toEqual([]);
    } finally {
      await c.run();
    }
  });
});
