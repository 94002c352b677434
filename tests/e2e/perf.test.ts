import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { PowerState } from '../../src/shared/power';
import { Cleanup, fakeServer, launchBrowser, makeHome, newAppPage, routeFakeEngine, screenshot, startServe, traceTasks, type TaskStats } from './harness';

// The renderer target (docs/PERFORMANCE.md): 500 servers, 1 Hz updates, no long task over 50 ms. The page is
// fed by a fake engine on its WebSocket so patches come when the test says; the hardest case is
// measured, every patch rewriting all 500 servers. Figures are printed, never asserted: what is
// asserted is that every patch lands.

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
        await page.locator('[data-testid="server-card"]').nth(SERVERS - 1).waitFor();
      });
      expect(await page.getByTestId('server-card').count()).toBe(SERVERS);

      const updates = await traceTasks(browser, page, async () => {
        for (let p = 1; p <= PATCHES; p++) {
          const power: PowerState = p % 2 === 0 ? 'on' : 'waking';
          engine.patch({ upsert: servers.map((s) => ({ ...s, power, since: now + p })), remove: [] });
          // Each patch must be on screen before the next one is sent.
          await page.locator(`[data-testid="server-card"][data-server-id="srv-499"][data-power="${power}"]`).waitFor();
        }
      });
      expect(await page.locator('[data-testid="server-card"][data-power="on"]').count()).toBe(SERVERS);
      await screenshot(page, 'perf-500-light');

      console.log(`[perf] ${SERVERS} servers, first render: ${fmt(first)}`);
      console.log(`[perf] ${PATCHES} patches of all ${SERVERS} servers: ${fmt(updates)}`);
      expect(errors).toEqual([]);
    } finally {
      await c.run();
    }
  });
});
