import { describe, expect, it } from 'vitest';
import { buildLayout } from '../../src/renderer/lib/layout';

describe('grid layout', () => {
  it('sorts by name, numbers as numbers, guests under their host', () => {
    const layout = buildLayout([
      { id: 'c', name: 'node 10' },
      { id: 'a', name: 'node 9' },
      { id: 'g2', name: 'guest b', parentId: 'h' },
      { id: 'h', name: 'host' },
      { id: 'g1', name: 'guest a', parentId: 'h' },
    ]);
    expect(layout.standalone).toEqual(['a', 'c']);
    expect(layout.groups).toEqual([{ id: 'h', children: [{ id: 'g1', children: [] }, { id: 'g2', children: [] }] }]);
    expect(layout.order).toEqual(['a', 'c', 'h', 'g1', 'g2']);
  });

  it('still shows, at the top level and by name, servers only reachable through a cycle', () => {
    const layout = buildLayout([
      { id: 'y', name: 'b', parentId: 'x' },
      { id: 'x', name: 'a', parentId: 'y' },
      { id: 'z', name: 'c' },
    ]);
    expect(layout.standalone).toEqual(['z', 'x']);
    expect(layout.groups).toEqual([]);
    expect([...layout.order].sort()).toEqual(['x', 'y', 'z']);
  });
});
