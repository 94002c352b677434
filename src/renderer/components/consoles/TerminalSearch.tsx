import { useEffect, useRef, useState } from 'react';
import type { SearchAddon } from '@xterm/addon-search';

interface Props {
  search: SearchAddon;
  onClose(): void;
}

/** Find in the terminal's scrollback: Enter for next, Shift+Enter for previous, Escape to close. */
export function TerminalSearch({ search, onClose }: Props) {
  const [term, setTerm] = useState('');
  const [found, setFound] = useState<boolean | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => () => search.clearDecorations(), [search]);

  const find = (backwards: boolean) => {
    if (!term) return setFound(null);
    const opts = { caseSensitive: false, decorations: { matchOverviewRuler: '#888888', activeMatchColorOverviewRuler: '#ff8800', matchBackground: '#a0a0a0', activeMatchBackground: '#ffb347' } };
    setFound(backwards ? search.findPrevious(term, opts) : search.findNext(term, opts));
  };

  return (
    <div className="console-search" role="search">
      <input
        ref={input}
        type="search"
        aria-label="Find in terminal"
        placeholder="Find"
        value={term}
        data-found={found === null ? undefined : String(found)}
        onChange={(e) => setTerm(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') find(e.shiftKey);
          if (e.key === 'Escape') onClose();
        }}
      />
      <button type="button" className="icon-btn" aria-label="Previous match" onClick={() => find(true)}>
        ↑
      </button>
      <button type="button" className="icon-btn" aria-label="Next match" onClick={() => find(false)}>
        ↓
      </button>
      <button type="button" className="icon-btn" aria-label="Close search" onClick={onClose}>
        ✕
      </button>
    </div>
  );
}
