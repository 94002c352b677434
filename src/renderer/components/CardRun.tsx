import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useUi } from '../ui-store';
import { ServerCard } from './ServerCard';

/**
 * Above this many servers the grid is virtualised: cards are drawn in blocks of BLOCK, and only
 * the blocks on screen (and half a screen's height around it) hold cards. Below it every card is
 * drawn, so a homelab of ordinary size keeps find-in-page and full-page screenshots.
 */
export const VIRTUALISE_ABOVE = 150;
/**
 * Cards per block. Blocks, not single cards, are observed and laid out apart: one card per slot
 * had 2 000 observer targets and one grid of 2 000 items that the browser laid out again whenever
 * a card on screen changed (the longest tasks of a patch). Blocks of 12 drew fewer cards but
 * made the first render slower (twice the blocks to mount and observe before the first card).
 */
const BLOCK = 24;
const CARD_HEIGHT = 184; // a card and the grid's gap, before any block was drawn
const CARD_WIDTH = 286; // the grid's 272 px column and its gap

/** A block's last drawn height, so a block scrolled away keeps its place. */
const heights = new Map<string, number>();

type Listener = (visible: boolean) => void;
const listeners = new Map<Element, Listener>();
let observer: IntersectionObserver | undefined;

/** One observer for every block: cards are drawn from half a screen above the viewport to half a screen below it. */
function watch(el: Element, listener: Listener): () => void {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) listeners.get(e.target)?.(e.isIntersecting);
    },
    { rootMargin: '50% 0px 50% 0px' },
  );
  listeners.set(el, listener);
  observer.observe(el);
  return () => {
    listeners.delete(el);
    observer?.unobserve(el);
  };
}

function estimate(count: number, width: number): number {
  const columns = Math.max(1, Math.floor((width + 14) / CARD_WIDTH));
  return Math.ceil(count / columns) * CARD_HEIGHT;
}

/**
 * Up to BLOCK cards in a grid of their own. Off screen it is an empty box of its last height
 * that subscribes to nothing, so a patch changing every server renders only the cards in view.
 */
const CardBlock = memo(function CardBlock({ ids, role }: { ids: readonly string[]; role?: 'host' | 'guest' }) {
  const ref = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(false);
  const key = ids[0] ?? '';
  // A card asked for (a notice, a search result) is brought into view; the observer then draws it.
  const flashing = useUi((u) => u.flashId !== null && ids.includes(u.flashId));

  // A block already on screen when mounted is drawn in the same frame (before the browser paints),
  // not one frame and one render later when the observer first reports: the grid's first screen
  // comes with the grid. Only the screen itself, not the observer's margin: the blocks around it
  // follow with the observer's first report, after the first screen is painted.
  useLayoutEffect(() => {
    const box = ref.current?.getBoundingClientRect();
    if (box && box.bottom > 0 && box.top < window.innerHeight) setShown(true);
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    return watch(el, (visible) => {
      if (!visible && el.childElementCount > 0) heights.set(key, el.offsetHeight);
      setShown(visible);
    });
  }, [key]);

  useEffect(() => {
    if (flashing && !shown) ref.current?.scrollIntoView({ block: 'center' });
  }, [flashing, shown]);

  const height = shown ? undefined : (heights.get(key) ?? estimate(ids.length, ref.current?.parentElement?.clientWidth ?? window.innerWidth));
  return (
    <div ref={ref} className="grid card-block" data-testid="card-block" data-first-id={key} data-count={ids.length} style={height === undefined ? undefined : { height }}>
      {shown && ids.map((id) => <ServerCard key={id} id={id} {...(role ? { role } : {})} />)}
    </div>
  );
});

/** A run of cards: one grid as they always were, or, virtualised, blocks drawn only near the screen. */
export function CardRun({ ids, role, virtual }: { ids: readonly string[]; role?: 'host' | 'guest'; virtual: boolean }) {
  if (!virtual) {
    return <div className="grid">{ids.map((id) => <ServerCard key={id} id={id} {...(role ? { role } : {})} />)}</div>;
  }
  const blocks: string[][] = [];
  for (let i = 0; i < ids.length; i += BLOCK) blocks.push(ids.slice(i, i + BLOCK));
  return (
    <div className="card-blocks">
      {blocks.map((b) => (
        <CardBlock key={b[0]} ids={b} {...(role ? { role } : {})} />
      ))}
    </div>
  );
}
