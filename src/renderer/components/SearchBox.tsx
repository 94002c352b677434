import { useEffect, useRef } from 'react';
import { useUi } from '../ui-store';
import { Icon } from './Icon';

/** Filters the grid by name, address, kind, state or notes; "/" focuses it, Escape clears it. */
export function SearchBox() {
  const query = useUi((u) => u.query);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== '/' || t?.closest('input, textarea, select, [contenteditable], dialog')) return;
      e.preventDefault();
      ref.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <label className="search">
      <Icon name="search" size={16} />
      <span className="sr-only">Filter servers</span>
      <input
        ref={ref}
        type="search"
        placeholder="Filter servers"
        value={query}
        data-testid="filter"
        onChange={(e) => useUi.getState().setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            useUi.getState().setQuery('');
            e.currentTarget.blur();
          }
        }}
      />
      <kbd aria-hidden="true">/</kbd>
    </label>
  );
}
