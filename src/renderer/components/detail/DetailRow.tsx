import type { ReactNode } from 'react';

/** One "term: value" line of the detail drawer. */
export function DetailRow({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="drow">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
