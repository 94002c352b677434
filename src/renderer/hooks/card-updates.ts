import { flushSync } from 'react-dom';

/**
 * Cards given their new view per frame. A patch that changes every server changes every card in
 * view at once: committed together, the browser then restyled, laid out and painted 36 cards in
 * one task of 50–85 ms. A slice per animation frame keeps each frame's task small (8 cards: 20–35
 * ms on a busy two-core machine); the last card of a patch shows its state a few frames (under a
 * tenth of a second) after the first.
 */
export const CARDS_PER_FRAME = 8;

const pending = new Map<object, () => void>();
let frame: number | undefined;

/** Without animation frames (Node, in unit tests) a timer stands in. A hidden tab runs no frames: its cards catch up when it is shown. */
function nextFrame(run: () => void): number {
  return typeof requestAnimationFrame === 'function' ? requestAnimationFrame(run) : (setTimeout(run, 16) as unknown as number);
}

/**
 * Queues a card's update: `apply` runs in a coming frame, at most once however many patches
 * came meanwhile (a card queued again keeps its place in line). `key` names the card.
 */
export function queueCardUpdate(key: object, apply: () => void): void {
  pending.set(key, apply);
  frame ??= nextFrame(flush);
}

/** The card is gone: nothing to apply. */
export function dropCardUpdate(key: object): void {
  pending.delete(key);
}

function flush(): void {
  frame = undefined;
  const slice: (() => void)[] = [];
  for (const [key, apply] of pending) {
    pending.delete(key);
    slice.push(apply);
    if (slice.length === CARDS_PER_FRAME) break;
  }
  // Committed now, before this frame's style and layout: the frame draws this slice and no more.
  flushSync(() => {
    for (const apply of slice) apply();
  });
  if (pending.size > 0) frame = nextFrame(flush);
}
