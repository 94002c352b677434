import { flushSync } from 'react-dom';
import { FrameQueue } from '../lib/frame-queue';

/**
 * Cards given their new view per frame. A patch that changes every server changes every card
 * near the screen at once: committed together, the browser then restyled, laid out and painted
 * 48 cards in one task of 50–85 ms. A slice per animation frame keeps each frame's task small (8
 * cards: 20–40 ms on a busy two-core machine); the last card of a patch shows its state a few
 * frames (about a tenth of a second) after the first.
 */
export const CARDS_PER_FRAME = 8;

/** Without animation frames (Node) a timer stands in. A hidden tab runs no frames: its cards catch up when it is shown. */
const nextFrame = (run: () => void): void => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  else setTimeout(run, 16);
};

// Committed now, before this frame's style and layout: the frame draws this slice and no more.
const cards = new FrameQueue(CARDS_PER_FRAME, nextFrame, (jobs) =>
  flushSync(() => {
    for (const job of jobs) job();
  }),
);

/**
 * Queues a card's update: `apply` runs in a coming frame, at most once however many patches
 * came meanwhile (a card queued again keeps its place in line). `key` names the card.
 */
export function queueCardUpdate(key: object, apply: () => void): void {
  cards.queue(key, apply);
}

/** The card is gone: nothing to apply. */
export function dropCardUpdate(key: object): void {
  cards.drop(key);
}
