import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RackdeckError } from '../../src/shared/ipc';
import { CONFIG, entry, readConfig, runningEngine, UNTIL, writeConfig } from './helpers';

/**
 * Issue 12, hand edits: while an engine runs, config.json changed by hand (or by a sync tool, or
 * another process) is noticed and applied in every face, or refused with a notice and left as
 * written; the engine's next write never overwrites it silently.
 */

let env: ReturnType<typeof runningEngine> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const ids = (servers: readonly { id: string }[]) => servers.map((s) => s.id);

describe('hand edits while an engine runs', () => {
  it('a server added, changed or removed by hand appears in the snapshot and a servers.patch, with a notice', async () => {
    env = runningEngine({ schemaVersion: 1, servers: [entry('nas'), entry('old')] });
    const e = env;
    const doc = readConfig(e.home);
    writeConfig(e.home, { ...doc, servers: [{ ...doc.servers[0], notes: 'edited by hand' }, entry('labnas', { address: '127.0.0.2' })] });

    await vi.waitFor(() => expect(ids(e.app.engine.snapshot().servers)).toEqual(['nas', 'labnas']), UNTIL);
    expect(e.app.engine.view('nas')?.notes).toBe('edited by hand');
    await vi.waitFor(() => {
      const upserts = e.patches.flatMap((p) => p.upsert.map((s) => s.id));
      expect(upserts).toEqual(expect.arrayContaining(['labnas', 'nas']));
      expect(e.patches.flatMap((p) => p.remove)).toContain('old');
    }, UNTIL);
    expect(e.notices.map((n) => [n.level, n.title, n.body])).toEqual([
      ['info', 'config.json was changed outside Rackdeck', 'Applied: added "labnas"; removed "old"; changed "nas".'],
    ]);
    // Every face asks the same engine: the in-process client sees it too.
    expect(ids((await e.client.servers.snapshot({})).servers)).toEqual(['nas', 'labnas']);
  });

  it('says nothing about the engine’s own writes', async () => {
    env = runningEngine();
    const e = env;
    e.app.engine.addServer({ name: 'mine', kind: 'physical', address: '127.0.0.1', ports: [22] });
    e.app.engine.updateSettings({ statusIntervalMs: 20_000 });
    // A hand edit after them is the first thing reported: the engine's writes were not.
    writeConfig(e.home, { ...readConfig(e.home), servers: [...readConfig(e.home).servers, entry('later')] });
    await vi.waitFor(() => expect(e.notices).toHaveLength(1), UNTIL);
    expect(e.notices[0]?.body).toBe('Applied: added "later".');
  });

  it('an unusable hand edit is left as written: an error notice, the inventory kept, writes refused until it is fixed', async () => {
    env = runningEngine({ schemaVersion: 1, servers: [entry('nas')] });
    const e = env;
    const halfEdited = fs.readFileSync(path.join(e.home, CONFIG), 'utf8').replace('"servers": [', '"servers": [\n    { "name": "new"');
    writeConfig(e.home, halfEdited);
    await vi.waitFor(() => expect(e.notices.map((n) => n.level)).toEqual(['error']), UNTIL);
    expect(e.notices[0]?.title).toBe('config.json was changed but cannot be used');
    expect(e.notices[0]?.body).toMatch(/not JSON .*The file was left as written; Rackdeck keeps the 1 server it had and will not write the file until it is fixed/);
    expect(ids(e.app.engine.snapshot().servers)).toEqual(['nas']);

    // The engine's next write is refused with a clear error, in every face, and the admin's text stays byte for byte.
    const refused = await e.client.servers.add({ name: 'web', address: '127.0.0.3' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RackdeckError);
    expect((refused as RackdeckError).code).toBe('conflict');
    expect((refused as RackdeckError).message).toMatch(/config\.json was changed outside Rackdeck and cannot be used \(not JSON .*Rackdeck left it as it is and did not write it: fix the file/);
    expect(() => e.app.engine.updateSettings({ statusIntervalMs: 10_000 })).toThrow(/cannot be used/);
    expect(fs.readFileSync(path.join(e.home, CONFIG), 'utf8')).toBe(halfEdited);
    expect(fs.readdirSync(e.home).filter((n) => n.includes('unreadable'))).toEqual([]);

    // The admin fixes it: applied, said so, and the engine writes again (over the fixed file, keeping it).
    writeConfig(e.home, { schemaVersion: 1, servers: [entry('nas'), entry('new', { address: '127.0.0.4' })] });
    await vi.waitFor(() => expect(ids(e.app.engine.snapshot().servers)).toEqual(['nas', 'new']), UNTIL);
    expect(e.notices.at(-1)).toMatchObject({ level: 'success', title: 'config.json can be used again', body: expect.stringMatching(/^Applied: added "new"\./) });
    await e.client.servers.add({ name: 'web', address: '127.0.0.3' });
    expect(ids(readConfig(e.home).servers)).toEqual(['nas', 'new', 'web']);
  });

  it('a hand edit with one bad server applies the rest and sets that one aside, named, without losing it', async () => {
    env = runningEngine({ schemaVersion: 1, servers: [entry('nas')] });
    const e = env;
    const bad = entry('broken', { ports: [99999] });
    writeConfig(e.home, { schemaVersion: 1, servers: [entry('nas'), bad, entry('fine')] });
    await vi.waitFor(() => expect(ids(e.app.engine.snapshot().servers)).toEqual(['nas', 'fine']), UNTIL);
    const aside = e.notices.find((n) => n.level === 'error');
    expect(aside?.title).toBe('A server in config.json could not be loaded');
    expect(aside?.body).toMatch(/^"broken": ports\.0: a port is a whole number from 1 to 65535\. The entries are kept as written in .*config\.json\.rejected-.*\.json; every other server is loaded\.$/);
    const { servers: rejected } = await e.client.servers.rejected({});
    expect(rejected).toEqual([{ index: 1, id: 'broken', name: 'broken', reason: 'ports.0: a port is a whole number from 1 to 65535', outcome: 'set-aside', keptIn: expect.any(String), at: expect.any(Number) }]);
    // The next engine write drops it from config.json; the sidecar still holds it as written.
    e.app.engine.addServer({ name: 'web', kind: 'physical', address: '127.0.0.3', ports: [22] });
    expect(ids(readConfig(e.home).servers)).toEqual(['nas', 'fine', 'web']);
    expect((JSON.parse(fs.readFileSync(rejected[0]!.keptIn, 'utf8')) as { servers: { entry: unknown }[] }).servers[0]?.entry).toEqual(bad);
  });

  it('an engine write racing a hand edit it has not noticed yet keeps both', async () => {
    env = runningEngine({ schemaVersion: 1, servers: [entry('nas')] });
    const e = env;
    const doc = readConfig(e.home);
    writeConfig(e.home, { ...doc, servers: [...doc.servers, entry('by-hand')], settings: { ...doc.settings, statusIntervalMs: 12_000 } });
    // No wait: the write itself finds the file changed, takes the edit in, then applies its own change.
    await e.client.servers.edit({ id: 'nas', patch: { notes: 'from the UI' } });
    expect(readConfig(e.home).servers).toEqual([expect.objectContaining({ id: 'nas', notes: 'from the UI' }), expect.objectContaining({ id: 'by-hand' })]);
    expect(readConfig(e.home).settings.statusIntervalMs).toBe(12_000);
    expect(e.app.engine.settings.statusIntervalMs).toBe(12_000);
    expect(ids(e.app.engine.snapshot().servers)).toEqual(['nas', 'by-hand']);
    expect(e.notices.map((n) => n.body)).toEqual(['Applied: added "by-hand"; changed the settings.']);
  });

  it('a deleted config.json is reported, the inventory kept, and the file written again at the next change', async () => {
    env = runningEngine({ schemaVersion: 1, servers: [entry('nas')] });
    const e = env;
    fs.rmSync(path.join(e.home, CONFIG));
    await vi.waitFor(() => expect(e.notices.map((n) => n.title)).toEqual(['config.json was deleted']), UNTIL);
    expect(ids(e.app.engine.snapshot().servers)).toEqual(['nas']);
    e.app.engine.addServer({ name: 'web', kind: 'physical', address: '127.0.0.3', ports: [22] });
    expect(ids(readConfig(e.home).servers)).toEqual(['nas', 'web']);
  });
});
