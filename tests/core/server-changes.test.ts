import { describe, expect, it } from 'vitest';
import { ChangesEncoder, applyServerChange, diffServer } from '../../src/shared/server-changes';
import { view } from './server-view';
import { EventBus } from '../../src/main/base/event-bus';
import { patchEmitter } from '../../src/main/inventory/patch-emitter';
import type { ServersChanges, ServersPatch } from '../../src/shared/events';

describe('a patch as only the fields that changed', () => {
  it('carries changed, added and removed fields, and nothing for an unchanged server', () => {
    const before = view('a', { detail: 'probe timed out', lastSeen: 5 });
    const after = view('a', { power: 'off', since: 2, openPorts: { '22': false, '443': false }, lastSeen: 5, notes: 'rack 2' });
    const change = diffServer(before, after);
    expect(change).toEqual({ id: 'a', set: { power: 'off', since: 2, openPorts: { '22': false, '443': false }, notes: 'rack 2' }, unset: ['detail'] });
    expect(diffServer(before, { ...before, openPorts: { ...before.openPorts }, detail: 'probe timed out' })).toBeUndefined();
    // Applied to the old view it gives the new one, as JSON would carry it, and leaves the old one as it was.
    expect(applyServerChange(before, change!)).toEqual(after);
    expect(before.detail).toBe('probe timed out');
  });

  it('sends a server whole the first time, then its changes, and whole again once removed and back', () => {
    const enc = new ChangesEncoder();
    const first = enc.encode({ seq: 1, upsert: [view('a'), view('b')], remove: [] });
    expect(first.upsert.map((s) => s.id)).toEqual(['a', 'b']);
    expect(first.change).toEqual([]);
    const second = enc.encode({ seq: 2, upsert: [view('a', { power: 'waking' }), view('b')], remove: [] });
    expect(second).toEqual({ seq: 2, upsert: [], change: [{ id: 'a', set: { power: 'waking' } }], remove: [] });
    enc.encode({ seq: 3, upsert: [], remove: ['a'] });
    expect(enc.encode({ seq: 4, upsert: [view('a', { power: 'waking' })], remove: [] }).upsert).toHaveLength(1);
  });

  it('encodes against a primed snapshot, and sends whole views again after a reset', () => {
    const enc = new ChangesEncoder();
    enc.prime([view('a')]);
    expect(enc.encode({ seq: 1, upsert: [view('a', { since: 9 })], remove: [] }).change).toEqual([{ id: 'a', set: { since: 9 } }]);
    enc.reset();
    expect(enc.encode({ seq: 2, upsert: [view('a', { since: 10 })], remove: [] }).upsert).toHaveLength(1);
  });
});

describe('the engine sends servers.changes only while someone listens', () => {
  it('keeps servers.patch whole, and encodes from the snapshot the listener loaded', () => {
    const bus = new EventBus();
    const emitter = patchEmitter(bus);
    const whole: ServersPatch[] = [];
    const changes: ServersChanges[] = [];
    bus.on('servers.patch', (p) => whole.push(p));
    emitter.send({ seq: 1, upsert: [view('a', { power: 'off' })], remove: [] });
    expect(changes).toEqual([]);
    bus.on('servers.changes', (p) => changes.push(p));
    emitter.snapshot({ seq: 1, servers: [view('a', { power: 'off' })] });
    emitter.send({ seq: 2, upsert: [view('a', { power: 'waking' })], remove: [] });
    expect(whole.map((p) => p.upsert[0]?.power)).toEqual(['off', 'waking']);
    expect(changes).toEqual([{ seq: 2, upsert: [], change: [{ id: 'a', set: { power: 'waking' } }], remove: [] }]);
  });
});
