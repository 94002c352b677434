import { describe, expect, it } from 'vitest';
import { useRackdeck } from '../../src/renderer/store';
import { sameView } from '../../src/renderer/lib/same-view';
import { view } from './server-view';

describe('the renderer store applies patches without touching unchanged servers', () => {
  it('compares views by value, nested fields included', () => {
    expect(sameView(view('a'), view('a'))).toBe(true);
    expect(sameView(view('a'), view('a', { power: 'off' }))).toBe(false);
    expect(sameView(view('a'), view('a', { openPorts: { '22': false, '443': false } }))).toBe(false);
    expect(sameView(view('a'), view('a', { detail: 'x' }))).toBe(false);
    expect(sameView(view('a', { ports: [22, 443] }), view('a', { ports: [22, 444] }))).toBe(false);
  });

  it('keeps the object of a server the patch did not change, and the map when none changed', () => {
    const s = useRackdeck.getState();
    s.applySnapshot({ seq: 1, servers: [view('a'), view('b')] });
    const before = useRackdeck.getState().servers;
    useRackdeck.getState().applyPatch({ seq: 2, upsert: [view('a'), view('b', { power: 'off' })], remove: [] });
    const after = useRackdeck.getState().servers;
    expect(after.a).toBe(before.a);
    expect(after.b).not.toBe(before.b);
    expect(after.b?.power).toBe('off');
    useRackdeck.getState().applyPatch({ seq: 3, upsert: [view('a'), view('b', { power: 'off' })], remove: ['gone'] });
    expect(useRackdeck.getState().servers).toBe(after);
    expect(useRackdeck.getState().seq).toBe(3);
    useRackdeck.getState().applyPatch({ seq: 4, upsert: [], remove: ['a'] });
    expect(Object.keys(useRackdeck.getState().servers)).toEqual(['b']);
  });
});

describe('the renderer store applies changed fields and keeps its counts and shape', () => {
  it('applies servers.changes, counting states as they move, and bumps the shape only when the arrangement can change', () => {
    const store = useRackdeck.getState();
    store.applySnapshot({ seq: 10, servers: [view('a'), view('b', { power: 'off' })] });
    const first = useRackdeck.getState();
    expect(first.counts).toMatchObject({ on: 1, down: 1 });
    first.applyPatch({ seq: 11, upsert: [], change: [{ id: 'a', set: { power: 'waking', since: 2 } }, { id: 'ghost', set: { power: 'on' } }], remove: [] });
    const second = useRackdeck.getState();
    expect(second.servers.a).toMatchObject({ power: 'waking', since: 2, name: 'a' });
    expect(second.servers.b).toBe(first.servers.b);
    expect(second.servers).not.toHaveProperty('ghost');
    expect(second.counts).toMatchObject({ on: 0, busy: 1, down: 1 });
    expect(second.shape).toBe(first.shape);
    second.applyPatch({ seq: 12, upsert: [], change: [{ id: 'b', set: { name: 'nas' } }], remove: [] });
    expect(useRackdeck.getState().shape).toBe(first.shape + 1);
    useRackdeck.getState().applyPatch({ seq: 13, upsert: [view('c')], change: [], remove: ['b'] });
    expect(useRackdeck.getState().counts).toMatchObject({ on: 1, busy: 1, down: 0 });
    expect(useRackdeck.getState().shape).toBe(first.shape + 2);
    // A patch at or below the store's number is already in it.
    useRackdeck.getState().applyPatch({ seq: 13, upsert: [], change: [{ id: 'a', set: { power: 'off' } }], remove: [] });
    expect(useRackdeck.getState().servers.a?.power).toBe('waking');
  });
});
