import type { ServerView } from '../../shared/server';

/**
 * Whether two views of a server show the same thing. A patch carries fresh objects for every
 * server it names (they came over JSON); keeping the old object when nothing in it changed means
 * a card whose server did not change is not rendered again. Top-level fields are compared by
 * value, nested ones (ports, Proxmox, transition) by their JSON only when they are not the same object.
 */
export function sameView(a: ServerView, b: ServerView): boolean {
  if (a === b) return true;
  const ka = Object.keys(a) as (keyof ServerView)[];
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const x: unknown = a[k];
    const y: unknown = b[k];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (!sameFlat(x as Record<string, unknown>, y as Record<string, unknown>) && JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

/** Two objects of primitives (open ports): compared key by key, without serialising them. */
function sameFlat(x: Record<string, unknown>, y: Record<string, unknown>): boolean {
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  return kx.every((k) => x[k] === y[k]);
}
