import { describe, expect, it } from 'vitest';
import type { Notice, ServersPatch } from '../../src/shared/events';
import { openTestApp } from './test-app';

describe('engine status loop', () => {
  it('turns a server on and off from probes, as numbered batched patches with notices', async () => {
    const t = openTestApp();
    try {
      const patches: ServersPatch[] = [];
      const notices: Notice[] = [];
      t.app.engine.events.on('servers.patch', (p) => patches.push(p));
      t.app.engine.events.on('notice', (n) => notices.push(n));
      t.app.engine.updateSettings({ statusIntervalMs: 5_000 });
      const view = t.app.engine.addServer({ name: 'nas', kind: 'physical', address: '127.0.1.9', ports: [22, 445] });
      t.app.engine.start();
      await t.clock.advance(100);
      expect(t.app.engine.view('nas')?.power).toBe('off');
      expect(notices).toHaveLength(0); // unknown → off at start is not news

      t.setUp('127.0.1.9', 445, true);
      await t.clock.advance(5_000);
      const on = t.app.engine.view(view.id);
      expect(on?.power).toBe('on');
      expect(on?.openPorts).toEqual({ '22': false, '445': true });
      expect(on?.lastSeen).toBeGreaterThan(0);
      expect(notices.map((n) => n.title)).toEqual(['nas is up']);

      t.setUp('127.0.1.9', 445, false);
      await t.clock.advance(5_000);
      expect(t.app.engine.view('nas')?.power).toBe('off');
      expect(notices.map((n) => n.title)).toEqual(['nas is up', 'nas went down']);

      const seqs = patches.map((p) => p.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(patches.at(-1)?.upsert[0]?.power).toBe('off');
    } finally {
      t.cleanup();
    }
  });

  it('sends one patch for a sweep of many servers', async () => {
    const t = openTestApp();
    try {
      for (let i = 0; i < 200; i++) t.app.engine.addServer({ name: `h${i}`, kind: 'physical', address: `127.0.2.${i % 250}`, ports: [22] });
      await t.clock.advance(1_000);
      const patches: ServersPatch[] = [];
      t.app.engine.events.on('servers.patch', (p) => patches.push(p));
      for (let i = 0; i < 200; i++) t.setUp(`127.0.2.${i % 250}`, 22, true);
      await t.app.engine.sweep();
      await t.clock.advance(100);
      expect(patches).toHaveLength(1);
      expect(patches[0]?.upsert).toHaveLength(200);
    } finally {
      t.cleanup();
    }
  });

  it('a snapshot carries the seq after which patches are new', async () => {
    const t = openTestApp();
    try {
      t.app.engine.addServer({ name: 'a', kind: 'physical', address: '127.0.0.1', ports: [1] });
      await t.clock.advance(100);
      const snap = t.app.engine.snapshot();
      const later: ServersPatch[] = [];
      t.app.engine.events.on('servers.patch', (p) => later.push(p));
      t.app.engine.addServer({ name: 'b', kind: 'physical', address: '127.0.0.1', ports: [2] });
      await t.clock.advance(100);
      expect(later[0]?.seq).toBeGreaterThan(snap.seq);
    } finally {
      t.cleanup();
    }
  });

  it('keeps the loop going when the prober throws', async () => {
    let calls = 0;
    const t = openTestApp({
      probe: async () => {
        calls++;
        throw new Error('socket table full');
      },
    });
    try {
      t.app.engine.updateSettings({ statusIntervalMs: 1_000 });
      t.app.engine.addServer({ name: 'x', kind: 'physical', address: '127.0.0.1', ports: [1] });
      t.app.engine.start();
      await t.clock.advance(3_500);
      expect(calls).toBeGreaterThanOrEqual(4);
      expect(t.app.engine.view('x')?.detail).toBe('socket table full');
    } finally {
      t.cleanup();
    }
  });

  it('removing a parent keeps its children without a parent', async () => {
    const t = openTestApp();
    try {
      const p = t.app.engine.addServer({ name: 'pve', kind: 'proxmox-node', address: '127.0.0.1', ports: [8006] });
      t.app.engine.addServer({ name: 'vm', kind: 'vm', address: '127.0.0.2', ports: [22], parentId: p.id });
      t.app.engine.removeServer('pve');
      expect(t.app.engine.view('vm')?.parentId).toBeUndefined();
    } finally {
      t.cleanup();
    }
  });

  it('refuses duplicate names, unknown parents and cycles, saving nothing', async () => {
    const t = openTestApp();
    try {
      const a = t.app.engine.addServer({ name: 'a', kind: 'physical', address: '127.0.0.1', ports: [22] });
      const b = t.app.engine.addServer({ name: 'b', kind: 'physical', address: '127.0.0.1', ports: [22], parentId: a.id });
      expect(() => t.app.engine.addServer({ name: 'A', kind: 'physical', address: '127.0.0.1', ports: [22] })).toThrow('already exists');
      expect(() => t.app.engine.addServer({ name: 'c', kind: 'physical', address: '127.0.0.1', ports: [22], parentId: 'nope' })).toThrow('does not exist');
      expect(() => t.app.engine.editServer('a', { parentId: b.id })).toThrow('Parents would form a cycle: a → b → a');
      expect(t.app.engine.view('a')?.parentId).toBeUndefined();
      expect(t.app.engine.servers()).toHaveLength(2);
    } finally {
      t.cleanup();
    }
  });
});
