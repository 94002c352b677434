import type { ServerChange, ServersChanges, ServersPatch } from './events';
import type { ServerView } from './server';

/**
 * Whether a field holds the same value in two views: primitives by value, an object of primitives
 * (open ports) key by key, other nested data (Proxmox, transition) by its JSON. Two equal objects
 * whose keys differ in order may read as different: then the field is sent although unchanged,
 * never the reverse. The renderer's sameView compares views field by field with it too.
 */
export function sameField(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  return sameFlat(x as Record<string, unknown>, y as Record<string, unknown>) || JSON.stringify(x) === JSON.stringify(y);
}

/** Two objects of primitives: compared key by key, without serialising them. */
function sameFlat(x: Record<string, unknown>, y: Record<string, unknown>): boolean {
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  return kx.every((k) => x[k] === y[k]);
}

const fieldsOf = (v: ServerView) => Object.keys(v) as (keyof ServerView)[];

/**
 * What changed from `prev` to `next`, or undefined when nothing did. A field whose value is
 * undefined counts as absent, as it is once sent as JSON.
 */
export function diffServer(prev: ServerView, next: ServerView): ServerChange | undefined {
  const set: Record<string, unknown> = {};
  let changed = false;
  for (const k of fieldsOf(next)) {
    const value: unknown = next[k];
    if (value === undefined || sameField(prev[k], value)) continue;
    set[k] = value;
    changed = true;
  }
  const unset = fieldsOf(prev).filter((k) => prev[k] !== undefined && next[k] === undefined);
  if (!changed && unset.length === 0) return undefined;
  return unset.length > 0 ? { id: next.id, set: set as Partial<ServerView>, unset } : { id: next.id, set: set as Partial<ServerView> };
}

/** A view with a change applied: a new object, the old one untouched. */
export function applyServerChange(view: ServerView, change: ServerChange): ServerView {
  const next: Record<string, unknown> = { ...view, ...change.set, id: view.id };
  for (const k of change.unset ?? []) if (k !== 'id') delete next[k];
  return next as unknown as ServerView;
}

/**
 * Turns the engine's patches into ServersChanges, remembering the last view it sent of each
 * server. It must see every patch of the stream in order, from before the first snapshot its
 * readers load: a reader's server is then the snapshot's view (the engine flushes its patch
 * before answering one) or a later patch's, which is the view this encoder holds. A server it
 * has not sent yet goes out in full.
 */
export class ChangesEncoder {
  private readonly last = new Map<string, ServerView>();

  encode(patch: ServersPatch): ServersChanges {
    const upsert: ServerView[] = [];
    const change: ServerChange[] = [];
    for (const view of patch.upsert) {
      const prev = this.last.get(view.id);
      this.last.set(view.id, view);
      if (!prev) {
        upsert.push(view);
        continue;
      }
      const c = diffServer(prev, view);
      if (c) change.push(c);
    }
    for (const id of patch.remove) this.last.delete(id);
    return { seq: patch.seq, upsert, change, remove: patch.remove };
  }

  /** The views every reader now holds (a snapshot's): later patches are encoded against them. */
  prime(views: readonly ServerView[]): void {
    this.last.clear();
    for (const v of views) this.last.set(v.id, v);
  }

  /** Forgets every server: the next patch sends each in full (no reader is left to rely on them). */
  reset(): void {
    this.last.clear();
  }
}
