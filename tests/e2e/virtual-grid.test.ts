import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Cleanup, fakeServer, launchBrowser, makeHome, newAppPage, routeFakeEngine, screenshotThemes, startServe } from './harness';

// The virtualised grid at 2 000 servers (components/CardRun.tsx). Its first screen is drawn from
// an estimate, in the grid's first render, without measuring any element, and the blocks below it
// mount after that frame; the observer then draws the blocks near the screen and empties the
// others. What is asserted: the first frame holds the cards the screen shows (not the whole first
// block, nor the 83 other blocks), every server then has its place, and scrolling through the
// grid draws every one of the 2 000 cards. Timing is the renderer bench's business, not this test's.

const SERVERS = 2000;

/**
 * In the page, as an init script: at the animation frame after the first card entered the DOM
 * (the frame that paints the first screen), how many cards there are, and whether they reach the
 * bottom of the screen (or hold the whole first block).
 */
const FIRST_FRAME = `
(() => {
  const mo = new MutationObserver(() => {
    if (!document.querySelector('[data-testid="server-card"]')) return;
    mo.disconnect();
    requestAnimationFrame(() => {
      const cards = [...document.querySelectorAll('[data-testid="server-card"]')];
      const block = document.querySelector('[data-testid="card-block"]');
      const bottom = Math.max(...cards.map((c) => c.getBoundingClientRect().bottom));
      const later = document.querySelector('[data-testid="card-blocks-later"]');
      window.__firstFrame = {
        cards: cards.length,
        reachesBottom: bottom >= innerHeight,
        wholeBlock: block.childElementCount === Number(block.dataset.count),
        blocks: document.querySelectorAll('[data-testid="card-block"]').length,
        later: later ? Number(later.dataset.count) : 0,
      };
    });
  });
  document.addEventListener('DOMContentLoaded', () => mo.observe(document.body, { childList: true, subtree: true }));
})();`;

interface FirstFrame {
  cards: number;
  reachesBottom: boolean;
  wholeBlock: boolean;
  /** Blocks mounted, and the servers of the box standing for the blocks not yet mounted. */
  blocks: number;
  later: number;
}

const suite = new Cleanup();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(suite);
});
afterAll(() => suite.run());

async function openGrid(c: Cleanup, viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[]; first: FirstFrame }> {
  const served = await startServe(c, makeHome(c));
  const { page, errors } = await newAppPage(browser, c);
  await page.setViewportSize(viewport);
  await page.addInitScript({ content: FIRST_FRAME });
  const now = Date.now();
  const engine = await routeFakeEngine(page, Array.from({ length: SERVERS }, (_, i) => fakeServer(i, now)));
  await page.goto(served.openUrl);
  await engine.connected;
  await page.waitForFunction(() => (window as unknown as { __firstFrame?: unknown }).__firstFrame !== undefined);
  const first = await page.evaluate(() => (window as unknown as { __firstFrame: FirstFrame }).__firstFrame);
  return { page, errors, first };
}

/** The ids of the cards in the DOM once every block near the screen holds all its cards. */
async function drawnNearScreen(page: Page): Promise<string[]> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="card-block"]')]
      .filter((b) => {
        const r = b.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight;
      })
      .every((b) => b.childElementCount === Number(b.dataset.count)),
  );
  return page.$$eval('[data-testid="server-card"]', (els) => els.map((e) => e.getAttribute('data-server-id') ?? ''));
}

describe('the virtualised grid with 2 000 servers', () => {
  it('paints the first screen in the first frame, then draws every card as the grid is scrolled through', async () => {
    const c = new Cleanup();
    try {
      const { page, errors, first } = await openGrid(c, { width: 1366, height: 860 });
      // The rows on screen, not the first block's 24 cards (which the next frame completes).
      expect(first.reachesBottom || first.wholeBlock).toBe(true);
      expect(first.cards).toBeLessThan(24);
      // The first frame held the first screen's block and one box standing for the others...
      expect(first.blocks).toBe(1);
      expect(first.later).toBe(SERVERS - 24);
      // ...which mount (empty) once it is painted: every server has its place in a block.
      await page.waitForFunction(() => document.querySelector('[data-testid="card-blocks-later"]') === null);
      const placed = (await page.getByTestId('card-block').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))))).reduce((a, b) => a + b, 0);
      expect(placed).toBe(SERVERS);
      await screenshotThemes(page, 'virtual-grid-top');

      const seen = new Set<string>();
      for (;;) {
        for (const id of await drawnNearScreen(page)) seen.add(id);
        const atEnd = await page.evaluate(() => {
          const before = scrollY;
          scrollBy(0, innerHeight);
          return scrollY === before;
        });
        if (atEnd) break;
      }
      expect(seen.size).toBe(SERVERS);
      // Far down the grid, the cards at the top are gone from the DOM: it stays virtualised.
      expect(await page.locator('[data-testid="server-card"][data-server-id="srv-000"]').count()).toBe(0);
      await screenshotThemes(page, 'virtual-grid-end');
      expect(errors).toEqual([]);
    } finally {
      await c.run();
    }
  });

  it("paints a phone's first screen with the few cards it shows, and the last card at the end", async () => {
    const c = new Cleanup();
    try {
      const { page, errors, first } = await openGrid(c, { width: 390, height: 844 });
      expect(first.reachesBottom || first.wholeBlock).toBe(true);
      expect(first.cards).toBeLessThan(24);
      await drawnNearScreen(page);
      await screenshotThemes(page, 'virtual-grid-phone-top');
      await page.getByTestId('card-block').last().scrollIntoViewIfNeeded();
      await page.locator(`[data-testid="server-card"][data-server-id="srv-${SERVERS - 1}"]`).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await c.run();
    }
  });
});
