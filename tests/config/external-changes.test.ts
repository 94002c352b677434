import { describe, expect, it } from 'vitest';
import type { ClusterConfig } from '../../src/shared/contract/proxmox';
import { applyDiscovery, diffDocuments, mergeClusters } from '../../src/main/inventory/external-changes';
import { emptyDocument } from '../../src/main/store/config-document';
import type { ServerConfig } from '../../src/shared/server';

const server = (id: string, extra: Partial<ServerConfig> = {}): ServerConfig => ({ id, name: id, kind: 'physical', address: '127.0.0.1', ports: [22], createdAt: 1, ...extra });
const cluster = (name: string, url = `https://127.0.0.1:8006/${name}`): ClusterConfig => ({ name, url, auth: 'token', discovery: true }) as ClusterConfig;

describe('what a change of config.json made elsewhere means to the engine', () => {
  it('diffs servers by id, and says which need a new probe', () => {
    const prev = { ...emptyDocument(), servers: [server('a'), server('b'), server('c')] };
    const next = { ...emptyDocument(), servers: [server('a', { notes: 'x' }), server('c', { ports: [80] }), server('d')], settings: { ...prev.settings, statusIntervalMs: 9_000 } };
    expect(diffDocuments(prev, next)).toEqual({ added: ['d'], removed: ['b'], changed: ['a', 'c'], reprobe: ['c'], settingsChanged: true, clustersChanged: false });
    expect(diffDocuments(prev, structuredClone(prev))).toEqual({ added: [], removed: [], changed: [], reprobe: [], settingsChanged: false, clustersChanged: false });
  });

  it('replays a whole-list write of the clusters on the list on disk, touching only what the write changed', () => {
    const base = [cluster('lab'), cluster('home'), cluster('old')];
    // Rackdeck: edits "lab", removes "old", adds "new" (computed from `base`).
    const mine = [cluster('lab', 'https://127.0.0.9:8006'), cluster('home'), cluster('new')];
    // Meanwhile on disk, by hand: "home" edited, "hand" added.
    const theirs = [cluster('lab'), cluster('home', 'https://127.0.0.8:8006'), cluster('old'), cluster('hand')];
    expect(mergeClusters(base, mine, theirs).map((c) => [c.name, c.url])).toEqual([
      ['lab', 'https://127.0.0.9:8006'],
      ['home', 'https://127.0.0.8:8006'],
      ['hand', 'https://127.0.0.1:8006/hand'],
      ['new', 'https://127.0.0.1:8006/new'],
    ]);
  });

  it('applies discovery to the servers as they are now; a removed node’s other children stay, without it', () => {
    const now = [server('pve'), server('vm1', { parentId: 'pve' }), server('mine', { parentId: 'pve' }), server('by-hand')];
    const out = applyDiscovery(now, [server('vm2')], ['pve', 'vm1']);
    expect(out.map((s) => [s.id, s.parentId])).toEqual([
      ['mine', undefined],
      ['by-hand', undefined],
      ['vm2', undefined],
    ]);
  });
});
