/**
 * The virtualised grid's arithmetic (components/CardRun.tsx), from estimates alone: no element
 * is measured, so nothing here forces a layout.
 */

/**
 * Cards per block. Blocks, not single cards, are observed and laid out apart: one card per slot
 * had 2 000 observer targets and one grid of 2 000 items that the browser laid out again whenever
 * a card on screen changed (the longest tasks of a patch). Blocks of 12 drew fewer cards but
 * made the first render slower (twice the blocks to mount and observe before the first card).
 */
export const BLOCK = 24;
/** A card and the grid's gap, before any block was drawn (a card is 137–184 px tall with its gap). */
export const CARD_HEIGHT = 184;
/** The grid's 272 px column and its gap. */
const CARD_WIDTH = 286;
const GAP = 14;
/** Between two blocks (`.card-blocks`' gap), as between two rows of a block. */
export const BLOCK_GAP = GAP;

/** The window's size and scroll, as the estimate needs them. */
export interface Viewport {
  width: number;
  height: number;
  scrollY: number;
}

export function columnsFor(width: number): number {
  return Math.max(1, Math.floor((width + GAP) / CARD_WIDTH));
}

/** The height of `count` cards laid out in a grid `width` wide. */
export function estimateHeight(count: number, width: number): number {
  return Math.ceil(count / columnsFor(width)) * CARD_HEIGHT;
}

/**
 * How many of a block's first cards to draw when it mounts, before the observer's first report:
 * the rows the estimate puts on screen, for the block at `index` of a run at the top of the grid.
 * The rows of the block above the screen's top are drawn too (a block draws the first of its
 * cards). The grid's own offset from the page's top is left out and the columns are counted on
 * the window's width: both err towards a row more. Wrong either way, it is corrected a frame
 * later by the observer, which draws a whole block on screen and empties one off it.
 */
export function cardsOnScreenAtMount(index: number, count: number, view: Viewport): number {
  const columns = columnsFor(view.width);
  const top = index * Math.ceil(BLOCK / columns) * CARD_HEIGHT;
  const bottom = top + Math.ceil(count / columns) * CARD_HEIGHT;
  const screenBottom = view.scrollY + view.height;
  if (bottom <= view.scrollY || top >= screenBottom) return 0;
  return Math.min(count, Math.ceil((screenBottom - top) / CARD_HEIGHT) * columns);
}
