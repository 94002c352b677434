import { describe, expect, it } from 'vitest';
import { BLOCK, CARD_HEIGHT, cardsOnScreenAtMount, columnsFor } from '../../src/renderer/lib/card-blocks';

// The first screen of a virtualised grid is drawn from an estimate (no element is measured, so the
// first render forces no layout); the observer corrects it a frame later. What matters here: the
// cards on screen are among those drawn at mount, and the blocks far off screen draw nothing.
describe("the virtualised grid's first screen (lib/card-blocks.ts)", () => {
  const desktop = { width: 1366, height: 860, scrollY: 0 };
  const phone = { width: 390, height: 844, scrollY: 0 };

  it('draws the rows of the first block that the screen shows, not the whole block', () => {
    expect(columnsFor(desktop.width)).toBe(4);
    // 860 px of 184 px rows: 5 rows of 4 (the block holds 6 rows).
    expect(cardsOnScreenAtMount(0, BLOCK, desktop)).toBe(20);
    expect(cardsOnScreenAtMount(1, BLOCK, desktop)).toBe(0);
    // A phone's single column: the first 5 of the block's 24 cards.
    expect(cardsOnScreenAtMount(0, BLOCK, phone)).toBe(5);
    expect(cardsOnScreenAtMount(1, BLOCK, phone)).toBe(0);
  });

  it('never draws more cards than the block holds', () => {
    expect(cardsOnScreenAtMount(0, 3, desktop)).toBe(3);
    expect(cardsOnScreenAtMount(0, BLOCK, { width: 1366, height: 4000, scrollY: 0 })).toBe(BLOCK);
  });

  it('follows the scroll: the blocks the screen shows when the grid mounts scrolled down', () => {
    const blockHeight = (BLOCK / 4) * CARD_HEIGHT;
    const scrolled = { ...desktop, scrollY: 3 * blockHeight + 10 };
    expect(cardsOnScreenAtMount(0, BLOCK, scrolled)).toBe(0);
    expect(cardsOnScreenAtMount(2, BLOCK, scrolled)).toBe(0);
    // The block the screen's top falls in is drawn up to the screen's bottom (its rows above too).
    expect(cardsOnScreenAtMount(3, BLOCK, scrolled)).toBe(20);
    expect(cardsOnScreenAtMount(4, BLOCK, scrolled)).toBe(0);
    // Scrolled into the block's last row: its rows and the next block's first ones.
    const later = { ...desktop, scrollY: 4 * blockHeight - 100 };
    expect(cardsOnScreenAtMount(3, BLOCK, later)).toBe(BLOCK);
    expect(cardsOnScreenAtMount(4, BLOCK, later)).toBe(20);
  });
});
