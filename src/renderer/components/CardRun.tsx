import { memo, useEffect, useRef, useState } from 'react';
import { BLOCK, BLOCK_GAP, cardsOnScreenAtMount, estimateHeight, type Viewport } from '../lib/card-blocks';
import { useUi } from '../ui-store';
import { ServerCard } from './ServerCard';

/**
 * Above this many servers the grid is virtualised: cards are drawn in blocks of BLOCK, and only
 * the blocks on screen (and half a screen's height around it) hold cards. Below it every card is
 * drawn, so a homelab of ordinary size keeps find-in-page and full-page screenshots.
 */
export const VIRTUALISE_ABOVE = 150;

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

/** What a block draws: none of its cards (off screen), all of them, or its first n (a first screen). */
type Drawn = number | 'all';

/**
 * Up to BLOCK cards in a grid of their own. Off screen it is an empty box of its last height
 * that subscribes to nothing, so a patch changing every server renders only the cards in view.
 * `initial`: the cards drawn at mount (cardsOnScreenAtMount), before the observer first reports.
 * Drawn at mount, the grid's first screen comes with the grid's first render; asking each block
 * its box instead (getBoundingClientRect in a layout effect) forced a layout of the page in that
 * render's task and rendered the grid a second time to draw the cards (issue 16).
 */
const CardBlock = memo(function CardBlock({ ids, role, initial, flashing }: { ids: readonly string[]; role?: 'host' | 'guest'; initial: number; flashing: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState<Drawn>(initial >= ids.length ? 'all' : initial);
  const key = ids[0] ?? '';
  const whole = useRef(drawn === 'all');
  whole.current = drawn === 'all';

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    return watch(el, (visible) => {
      // Only a whole block's height stands for it (a first screen may have drawn part of it).
      if (!visible && whole.current && el.childElementCount > 0) heights.set(key, el.offsetHeight);
      setDrawn(visible ? 'all' : 0);
    });
  }, [key]);

  // A card asked for (a notice, a search result) is brought into view; the observer then draws it.
  useEffect(() => {
    if (flashing && drawn !== 'all') ref.current?.scrollIntoView({ block: 'center' });
  }, [flashing, drawn]);

  const shown = drawn === 'all' ? ids : ids.slice(0, drawn);
  const height = drawn === 0 ? (heights.get(key) ?? estimateHeight(ids.length, ref.current?.parentElement?.clientWidth ?? window.innerWidth)) : undefined;
  return (
    <div ref={ref} className="grid card-block" data-testid="card-block" data-first-id={key} data-count={ids.length} style={height === undefined ? undefined : { height }}>
      {shown.map((id) => <ServerCard key={id} id={id} {...(role ? { role } : {})} />)}
    </div>
  );
});

/** Runs `run` in a task after the next frame (its animation frame, then a timer), so after that frame is painted. */
function afterPaint(run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(run, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/**
 * Blocks drawn only near the screen. Which block holds the card asked for is found here, once for
 * the run, rather than by a store subscription in each of its (up to 84) blocks.
 *
 * A run's first render mounts only the blocks the first screen shows; the others (83 of 84 for
 * 2 000 servers) stand in as one empty box of their estimated height until the frame after is
 * painted, then mount, still empty, for the observer to draw those near the screen. Mounting them
 * all at once put their components, effects, observer targets, style and layout into the task and
 * the frame that draw the first screen.
 */
function VirtualRun({ ids, role, lead }: { ids: readonly string[]; role?: 'host' | 'guest'; lead: boolean }) {
  const flashAt = useUi((u) => (u.flashId === null ? -1 : ids.indexOf(u.flashId)));
  const [mountAll, setMountAll] = useState(false);
  useEffect(() => (mountAll ? undefined : afterPaint(() => setMountAll(true))), [mountAll]);
  // Read once for the run, and only for a run at the top: used by the blocks mounting now.
  const view: Viewport | undefined = lead ? { width: window.innerWidth, height: window.innerHeight, scrollY: window.scrollY } : undefined;
  const blocks: (readonly string[])[] = [];
  for (let i = 0; i < ids.length; i += BLOCK) blocks.push(ids.slice(i, i + BLOCK));
  const initial = blocks.map((b, i) => (view ? cardsOnScreenAtMount(i, b.length, view) : 0));
  // Before every block mounts: the blocks down to the last the first screen shows, then the box.
  const mounted = mountAll ? blocks.length : initial.findLastIndex((n) => n > 0) + 1;
  const rest = blocks.slice(mounted);
  const width = window.innerWidth;
  const spacer = rest.reduce((h, b) => h + (heights.get(b[0] ?? '') ?? estimateHeight(b.length, width)), 0) + Math.max(0, rest.length - 1) * BLOCK_GAP;
  return (
    <div className="card-blocks">
      {blocks.slice(0, mounted).map((b, i) => (
        <CardBlock key={b[0]} ids={b} {...(role ? { role } : {})} initial={initial[i] ?? 0} flashing={flashAt >= i * BLOCK && flashAt < (i + 1) * BLOCK} />
      ))}
      {rest.length > 0 && <div className="card-blocks-later" data-testid="card-blocks-later" data-count={ids.length - mounted * BLOCK} style={{ height: spacer }} />}
    </div>
  );
}

/**
 * A run of cards: one grid as they always were, or, virtualised, blocks drawn only near the
 * screen. `lead`: the run is the first thing in the grid, so its blocks on screen can be told at
 * mount from an estimate (lib/card-blocks.ts); the others wait for the observer.
 */
export function CardRun({ ids, role, virtual, lead = false }: { ids: readonly string[]; role?: 'host' | 'guest'; virtual: boolean; lead?: boolean }) {
  if (!virtual) {
    return <div className="grid">{ids.map((id) => <ServerCard key={id} id={id} {...(role ? { role } : {})} />)}</div>;
  }
  return <VirtualRun ids={ids} {...(role ? { role } : {})} lead={lead} />;
}
