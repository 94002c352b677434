import { useEffect } from 'react';
import { useRackdeck } from '../store';

/** "2 down · Rackdeck" in the tab, so a background tab still says when something is wrong. */
export function titleFor(down: number, failed: number): string {
  const parts = [down > 0 ? `${down} down` : '', failed > 0 ? `${failed} failed` : ''].filter(Boolean);
  return parts.length ? `${parts.join(', ')} · Rackdeck` : 'Rackdeck';
}

export function useDocumentTitle(): void {
  const title = useRackdeck((s) => titleFor(s.counts.down, s.counts.failed));
  useEffect(() => {
    document.title = title;
  }, [title]);
}
