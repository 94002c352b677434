import { describe, expect, it } from 'vitest';
import { indexServers } from '../../src/renderer/lib/server-index';
import { fakeServer } from '../e2e/harness/fake-engine';

describe("a snapshot's index (lib/server-index.ts)", () => {
  it('holds every server under its id and counts them per state', () => {
    const servers = Array.from({ length: 9 }, (_, i) => fakeServer(i, 0));
    const index = indexServers(servers, 4);
    expect(Object.keys(index.servers)).toEqual(servers.map((s) => s.id));
    expect(index.counts).toEqual({ on: 6, busy: 0, asleep: 0, down: 3, failed: 0, unknown: 0 });
    expect(index.shape).toBe(5);
  });

  it('keeps an id such as __proto__ or constructor as a key like any other', () => {
    const index = indexServers([fakeServer(0, 0, { id: '__proto__' }), fakeServer(1, 0, { id: 'constructor' })], 0);
    expect(Object.keys(index.servers).sort()).toEqual(['__proto__', 'constructor']);
    expect(index.servers['__proto__']?.id).toBe('__proto__');
    expect(index.counts.on + index.counts.down).toBe(2);
  });

  it('counts a repeated id once, with its last view', () => {
    const index = indexServers([fakeServer(0, 0, { power: 'off' }), fakeServer(0, 0, { power: 'on' })], 0);
    expect(Object.keys(index.servers)).toHaveLength(1);
    expect(index.counts).toMatchObject({ on: 1, down: 0 });
  });
});
