import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { HistoryStore } from '../../src/main/store/history/store';
import { encodeSeries } from '../../src/main/store/history/series-codec';
import { shardFileName, shardOf } from '../../src/main/store/history/shard-key';
import { addSample, createSeries, type Series } from '../../src/main/store/history/tiers';

/**
 * A shard is written from chunks (its own bytes and the encoder's kept runs, by writev): the file
 * must be the document it always was, compact JSON of encodeSeries, after the first compaction
 * (everything encoded) and after the next ones (mostly kept text).
 */
const MIN = 60_000;
const start = Date.UTC(2026, 2, 1);
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function series(seed: number, minutes: number): Series {
  const s = createSeries();
  for (let i = 0; i < minutes; i++) addSample(s, { t: start + i * MIN, cpu: ((i * (seed + 3)) % 1000) / 10, memUsed: 1e9 + ((i * seed) % 997) * 4096, memTotal: 8e9, netIn: (i * 7919 * seed) % 100_000 });
  return s;
}

function expectFiles(dir: string, all: ReadonlyArray<[string, Series]>, shards: number): void {
  for (let shard = 0; shard < shards; shard++) {
    const text = fs.readFileSync(path.join(dir, shardFileName(shard)), 'utf8');
    const doc = JSON.parse(text) as { servers: Record<string, { series: unknown }> };
    expect(text).toBe(`${JSON.stringify(doc)}\n`);
    const mine = all.filter(([id]) => shardOf(id, shards) === shard);
    expect(Object.keys(doc.servers).sort()).toEqual(mine.map(([id]) => id).sort());
    for (const [id, s] of mine) expect(doc.servers[id]?.series).toEqual(encodeSeries(s));
  }
}

describe('shard files written from kept text', () => {
  it('are the compact JSON of every series, compaction after compaction', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-shard-file-'));
    dirs.push(dir);
    const minutes = 3 * 1440;
    const clock = new FakeClock(start + minutes * MIN);
    const store = await HistoryStore.open({ dir, clock, shardCount: 3, durable: false, flushIntervalMs: 86_400_000 });
    const all: Array<[string, Series]> = Array.from({ length: 12 }, (_, i) => [`srv-${i}`, series(i + 1, minutes)]);
    for (const [id, s] of all) store.importSeries(id, s);
    await store.compact();
    expectFiles(dir, all, 3);
    let t = clock.now();
    for (let hour = 0; hour < 3; hour++) {
      for (let m = 0; m < 60; m++) {
        t += MIN;
        for (const [id] of all) store.record(id, { t, cpu: (t / MIN) % 100, memUsed: 2e9, memTotal: 8e9, netIn: hour * 1000 + m });
      }
      await store.compact();
      expectFiles(dir, all, 3);
    }
    await store.close();
  });
});
