import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { memoryLogger } from '../../src/main/base/logger';
import { isGap, type MetricSample } from '../../src/shared/metrics';
import { HistoryStore, type HistoryOptions } from '../../src/main/store/history/store';
import { shardFileName, shardOf } from '../../src/main/store/history/shard-key';
import { perBucket } from './reference';

const MIN = 60_000;
const HOUR = 60 * MIN;
const dirs: string[] = [];
const stores: HistoryStore[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-history-'));
  dirs.push(d);
  return d;
}

async function open(options: Partial<HistoryOptions> & { dir: string; clock: FakeClock }): Promise<HistoryStore> {
  const store = await HistoryStore.open({ durable: false, shardCount: 4, ...options });
  stores.push(store);
  return store;
}

const sample = (t: number, i: number): MetricSample => ({ t, cpu: (i * 7) % 100, memUsed: 2e9 + i * 1e6, memTotal: 8e9, netIn: i * 1000, netOut: i * 10, load1: (i % 50) / 10 });

/**
 * Records `minutes` of samples for each server, advancing the clock (and so the flush timer).
 * Real disk I/O does not finish inside a fake minute, so each minute waits for the flush it
 * started, as a real minute would.
 */
async function feed(clock: FakeClock, store: HistoryStore, servers: string[], minutes: number): Promise<void> {
  for (let m = 0; m < minutes; m++) {
    servers.forEach((id, k) => store.record(id, sample(clock.now() + k, m + k)));
    await clock.advance(MIN);
    await store.idle();
  }
}

const journal = (dir: string) => fs.readFileSync(path.join(dir, 'journal.ndjson'), 'utf8');

describe('history store', () => {
  it('round-trips metrics, power changes and actions through close and reopen', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = await open({ dir, clock });
    store.recordPower('nas', clock.now(), 'on');
    await feed(clock, store, ['nas', 'pve', 'pi'], 120);
    store.recordPower('nas', clock.now(), 'suspended');
    store.logAction({ at: clock.now(), kind: 'power', action: 'suspend', serverId: 'nas', face: 'tray', result: 'ok' });
    const before = store.query('nas', 'day');
    await store.close();

    const again = await open({ dir, clock });
    expect(again.recoveries).toEqual([]);
    expect(again.serverIds().sort()).toEqual(['nas', 'pi', 'pve']);
    const after = again.query('nas', 'day');
    expect(after.points.length).toBe(before.points.length);
    // The very figures, not nearly: a bucket is rounded to the file's quantum as it closes, so a
    // chart does not change when the app restarts (memUsed here is no multiple of the 1 KiB quantum).
    expect(after.points).toEqual(before.points);
    expect(perBucket(before.points, before.step).filter(Boolean)).toHaveLength(120);
    expect(again.powerChanges('nas').map((p) => p.state)).toEqual(['on', 'suspended']);
    expect(again.uptime('nas', clock.now() - 2 * HOUR, clock.now()).onMs).toBe(2 * HOUR);
    expect(again.actions({ serverId: 'nas' })).toMatchObject([{ id: 1, action: 'suspend', face: 'tray' }]);
  });

  it('appends to the journal every flush interval and rewrites shards only at compaction', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = await open({ dir, clock, flushIntervalMs: MIN, compactIntervalMs: HOUR });
    await feed(clock, store, ['a', 'b'], 5);
    expect(journal(dir).trim().split('\n')).toHaveLength(2 * 5);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('shard-'))).toEqual([]);
    await feed(clock, store, ['a', 'b'], 60);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('shard-')).length).toBeGreaterThan(0);
    expect(journal(dir).length).toBeLessThan(2000); // emptied at compaction, a few minutes since
  });

  it('loses at most one flush interval in a crash (no close), replaying the journal', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = await open({ dir, clock, flushIntervalMs: MIN, compactIntervalMs: HOUR });
    await feed(clock, store, ['a'], 10);
    await clock.advance(MIN / 2);
    store.record('a', sample(clock.now(), 99)); // after the last tick: not yet in the journal
    store.recordPower('a', clock.now(), 'off');
    stores.pop(); // crash: never closed
    const again = await open({ dir, clock: new FakeClock(clock.now()) });
    expect(again.lastSampleAt('a')).toBe(clock.now() - MIN - MIN / 2); // everything up to the last tick
    expect(again.powerChanges('a')).toEqual([]); // what came after it is lost, and nothing more
  });

  it('skips a journal line torn by a crash and keeps the rest', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const logger = memoryLogger();
    const store = await open({ dir, clock, flushIntervalMs: MIN, compactIntervalMs: HOUR });
    await feed(clock, store, ['a'], 4);
    stores.pop();
    fs.appendFileSync(path.join(dir, 'journal.ndjson'), '{"k":"s","id":"a","s":{"t":99999999999999,"cpu":1');
    const again = await open({ dir, clock, logger });
    expect(again.journalSkipped).toBe(1);
    expect(again.lastSampleAt('a')).toBe(clock.now() - MIN);
    expect(logger.lines.join('\n')).toMatch(/1 journal line\(s\) could not be read/);
  });

  it('replays idempotently when a crash hits between writing the shards and emptying the journal', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = await open({ dir, clock, flushIntervalMs: MIN, compactIntervalMs: HOUR });
    await feed(clock, store, ['a', 'b'], 30);
    store.logAction({ at: clock.now(), kind: 'task', action: 'qmstart', serverId: 'a', face: 'web', result: 'started' });
    store.recordPower('a', clock.now(), 'on');
    await store.flush();
    const kept = journal(dir);
    const day = store.query('a', 'day');
    await store.close();
    fs.writeFileSync(path.join(dir, 'journal.ndjson'), kept); // as if the truncate never happened
    const again = await open({ dir, clock });
    expect(again.actions()).toHaveLength(1);
    expect(again.powerChanges('a')).toHaveLength(1);
    expect(again.query('a', 'day').points.length).toBe(day.points.length);
    expect(again.logAction({ at: clock.now(), kind: 'power', action: 'wake', face: 'cli', result: 'ok' }).id).toBe(2);
  });

  it('writes only the shards that changed', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = await open({ dir, clock, shardCount: 8 });
    const ids = Array.from({ length: 20 }, (_, i) => `srv-${i}`);
    await feed(clock, store, ids, 3);
    expect((await store.compact()).shardsWritten).toBe(new Set(ids.map((id) => shardOf(id, 8))).size);
    store.record('srv-3', sample(clock.now(), 1));
    const result = await store.compact();
    expect(result).toMatchObject({ shardsWritten: 1, journalRecords: 1, compacted: true });
    expect(await store.compact()).toMatchObject({ shardsWritten: 0, journalRecords: 0 });
  });

  it('sets an unreadable shard aside, reports it and goes on without it', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const logger = memoryLogger();
    const ids = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    const store = await open({ dir, clock });
    await feed(clock, store, ids, 3);
    await store.close();
    const victim = shardOf('alpha', 4);
    const file = path.join(dir, shardFileName(victim));
    fs.writeFileSync(file, '{"format":"rackdeck-history","version":1,"servers":{"alpha":{"series":{"last":');

    const again = await open({ dir, clock, logger });
    expect(again.recoveries).toHaveLength(1);
    expect(again.recoveries[0]).toMatchObject({ file });
    expect(again.recoveries[0]!.backupPath).toMatch(/shard-\d+\.json\.unreadable-2026-01-01T00-0\d-00-000Z$/);
    expect(fs.readFileSync(again.recoveries[0]!.backupPath, 'utf8')).toContain('"alpha"'); // kept as it was
    expect(logger.lines.join('\n')).toMatch(/could not be read/);
    const lost = ids.filter((id) => shardOf(id, 4) === victim);
    expect(again.serverIds().sort()).toEqual(ids.filter((id) => !lost.includes(id)).sort());
    expect(again.record('alpha', sample(clock.now(), 1))).toBe(true);
    await again.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('sets aside a shard that is JSON but not ours, and an unreadable action log', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    fs.writeFileSync(path.join(dir, 'shard-01.json'), JSON.stringify({ format: 'rackdeck-history', version: 1, servers: { x: { series: { last: 5, tiers: [{ step: 60000, size: 10, slots: '!!', cols: {} }] } } } }));
    fs.writeFileSync(path.join(dir, 'actions.json'), '');
    const store = await open({ dir, clock });
    expect(store.recoveries.map((r) => path.basename(r.file)).sort()).toEqual(['actions.json', 'shard-01.json']);
    expect(store.recoveries.find((r) => r.file.endsWith('shard-01.json'))?.reason).toMatch(/bad character/);
    expect(store.serverIds()).toEqual([]);
  });

  it('removes a staged file left by a crash, keeping the shard it would have replaced', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = await open({ dir, clock });
    await feed(clock, store, ['a'], 3);
    await store.close();
    const shard = shardFileName(shardOf('a', 4));
    const good = fs.readFileSync(path.join(dir, shard), 'utf8');
    // One staged by the atomic writer, one by the lowdb writer of earlier versions, and a file that is not the history's.
    const staged = [`${shard}.0123456789ab.tmp`, `.${shard}.tmp`];
    for (const name of staged) fs.writeFileSync(path.join(dir, name), good.slice(0, good.length / 2));
    fs.writeFileSync(path.join(dir, 'notes.txt.0123456789ab.tmp'), 'not ours');
    const again = await open({ dir, clock });
    expect(again.recoveries).toEqual([]);
    expect(again.lastSampleAt('a')).toBe(clock.now() - MIN);
    for (const name of staged) expect(fs.existsSync(path.join(dir, name))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'notes.txt.0123456789ab.tmp'))).toBe(true);
  });

  it('moves servers to their new shard when the shard count changes', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const ids = Array.from({ length: 12 }, (_, i) => `host-${i}`);
    const store = await open({ dir, clock, shardCount: 4 });
    await feed(clock, store, ids, 2);
    await store.close();
    const again = await open({ dir, clock, shardCount: 2 });
    expect(again.serverIds()).toHaveLength(12);
    await again.close();
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('shard-')).sort()).toEqual(['shard-00.json', 'shard-01.json']);
    const third = await open({ dir, clock, shardCount: 2 });
    expect(third.serverIds()).toHaveLength(12);
  });

  it('forgets a removed server, durably', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = await open({ dir, clock });
    await feed(clock, store, ['a', 'b'], 2);
    await store.compact();
    store.removeServer('a');
    await store.close();
    const again = await open({ dir, clock });
    expect(again.serverIds()).toEqual(['b']);
    expect(again.query('a', 'hour').points.every(isGap)).toBe(true);
  });

  it('drops servers with nothing left to show after the longest retention', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const tiers = [{ step: 60_000, size: 10 }, { step: 600_000, size: 6 }];
    const store = await open({ dir, clock, tiers, power: { retentionMs: HOUR, maxEntries: 10 } });
    await feed(clock, store, ['gone', 'stays'], 2);
    await clock.advance(2 * HOUR);
    store.record('stays', sample(clock.now(), 1));
    await store.compact();
    expect(store.serverIds()).toEqual(['stays']);
  });

  it('refuses bad input at its boundary', async () => {
    const store = await open({ dir: tempDir(), clock: new FakeClock() });
    expect(store.record('', sample(1, 1))).toBe(false);
    expect(store.record('a', { t: 1, cpu: 101 })).toBe(false);
    expect(store.record('a', { t: 1, cpu: 5, bogus: 1 } as MetricSample)).toBe(false);
    expect(store.recordPower('a', 1, 'exploded' as never)).toBe(false);
    expect(() => store.logAction({ at: 1, kind: 'power', action: '', face: 'web', result: 'ok' })).toThrow();
    expect(() => store.actions({ limit: -1 })).toThrow();
    await store.close();
    expect(store.record('a', sample(2, 1))).toBe(false);
  });
});
