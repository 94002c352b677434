import { sameField } from '../../shared/server-changes';
import type { ServerView } from '../../shared/server';

/**
 * Whether two views of a server show the same thing. A patch carries fresh objects for every
 * server it names (they came over JSON); keeping the old object when nothing in it changed means
 * a card whose server did not change is not rendered again. Field by field, as the engine's
 * changes encoder compares them (shared/server-changes.ts).
 */
export function sameView(a: ServerView, b: ServerView): boolean {
  if (a === b) return true;
  const ka = Object.keys(a) as (keyof ServerView)[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => sameField(a[k], b[k]));
}
