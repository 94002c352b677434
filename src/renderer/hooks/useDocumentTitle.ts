import { useEffect } from 'react';
import { bucketOf } from '../lib/summary';
import { useRackdeck } from '../store';

/** "2 down · Rackdeck" in the tab, so a background tab still says when something is wrong. */
export function titleFor(down: number, failed: number): string {
  const parts = [down > 0 ? `${down} down` : '', failed > 0 ? `${failed} failed` : ''].filter(Boolean);
  return parts.length ? `${parts.join(', ')} · Rackdeck` : 'Rackdeck';
}

export function useDocumentTitle(): void {
  const title = useRackdeck((s) => {
    let down = 0;
    let failed = 0;
    for (const v of Object.values(s.servers)) {
      const b = bucketOf(v.power);
      if (b === 'down') down += 1;
      else if (b === 'failed') failed += 1;
    }
    return titleFor(down, failed);
  });
  useEffect(() => {
    document.title = title;
  }, [title]);
}
