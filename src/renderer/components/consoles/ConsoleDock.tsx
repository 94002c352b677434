import { lazy, Suspense, useState } from 'react';
import { useConsoleTabs } from './tabs-store';
import './console-dock.css';

// xterm.js and noVNC are large: they load the first time a console opens, not at first paint.
const ConsoleTabs = lazy(() => import('./ConsoleTabs').then((m) => ({ default: m.ConsoleTabs })));

/**
 * The consoles' place in the window: a dock along the bottom that appears with the first open
 * console, can be folded to its tab strip, and goes away with the last one.
 */
export function ConsoleDock() {
  const count = useConsoleTabs((s) => s.tabs.length);
  const [folded, setFolded] = useState(false);
  if (count === 0) return null;
  return (
    <aside className="console-dock" data-folded={folded || undefined} aria-label="Console dock">
      <button type="button" className="console-dock-fold" onClick={() => setFolded((f) => !f)} aria-expanded={!folded}>
        {folded ? `Show consoles (${count})` : 'Fold consoles'}
      </button>
      <div className="console-dock-body" hidden={folded}>
        <Suspense fallback={<p className="muted console-dock-loading">Loading the terminal…</p>}>
          <ConsoleTabs />
        </Suspense>
      </div>
    </aside>
  );
}
