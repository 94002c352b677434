/**
 * History store at the scale of docs/PERFORMANCE.md: 500 servers × 30 days of one sample a minute, generated
 * straight into the tiers, then: the 24 h chart query, the size of the files, the first full flush
 * (every shard rewritten, nothing encoded before: after an import, or the first compaction after
 * a start), the flush that actually runs every minute (the new records appended to the journal)
 * for an hour, and the hourly compaction that ends it (every shard rewritten again: every server
 * had new samples), the judged full flush. Figures only; nothing here fails on a missed target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FakeClock } from '../src/main/base/clock';
import { HistoryStore } from '../src/main/store/history/store';
import { ByteSink } from '../src/main/store/history/byte-sink';
import { SeriesEncoder } from '../src/main/store/history/series-bytes';
import { shardOf } from '../src/main/store/history/shard-key';
import { addSample, createSeries, type Series } from '../src/main/store/history/tiers';
import type { HistoryRange, MetricSample } from '../src/shared/metrics';
import { judge, targetFor } from './targets';
import { createRng } from '../src/lab/random';

const SERVERS = Number(process.env.BENCH_SERVERS ?? 500);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const SHARDS = 16;
const QUERY = targetFor('history.query-24h');
const FILES = targetFor('history.files');
const FULL_FLUSH = targetFor('history.full-flush');
const MINUTE_FLUSH = targetFor('history.minute-flush');
const MIN = 60_000;
const now = Date.UTC(2026, 5, 1, 12, 0, 0);


/**
 * Plausible, noisy figures: a daily CPU rhythm with jitter, memory wandering around a working
 * set, a disk that slowly fills, bursty network rates (log-normal-ish), load following CPU.
 * Noise is what makes the files big: flat lines would compress to nothing and flatter us.
 */
function generate(seed: number): Series {
  const rnd = createRng(seed).next;
  const series = createSeries();
  const memTotal = [4, 8, 16, 32, 64, 128][seed % 6]! * 2 ** 30;
  const diskTotal = [128, 256, 512, 1024, 4096][seed % 5]! * 1e9;
  let mem = memTotal * (0.2 + 0.5 * rnd());
  let disk = diskTotal * (0.1 + 0.6 * rnd());
  const baseNet = 10 ** (3 + 4 * rnd()); // 1 kB/s .. 10 MB/s
  const baseCpu = 2 + 40 * rnd();
  const s: MetricSample = { t: 0 };
  const start = now - DAYS * 86_400_000;
  for (let t = start + Math.floor(rnd() * MIN); t <= now; t += MIN) {
    const hour = (t / 3_600_000) % 24;
    const cpu = Math.min(100, Math.max(0, baseCpu * (1 + 0.5 * Math.sin((hour / 24) * 2 * Math.PI)) + (rnd() - 0.5) * 10 + (rnd() < 0.01 ? 50 : 0)));
    mem = Math.min(memTotal * 0.95, Math.max(memTotal * 0.05, mem + (rnd() - 0.5) * memTotal * 0.004));
    disk = Math.min(diskTotal, disk + rnd() * 2e5);
    s.t = t;
    s.cpu = cpu;
    s.memUsed = Math.round(mem / 1024) * 1024; // /proc/meminfo counts in kB
    s.memTotal = memTotal;
    s.diskUsed = Math.round(disk / 4096) * 4096;
    s.diskTotal = diskTotal;
    s.netIn = baseNet * Math.exp((rnd() - 0.5) * 2);
    s.netOut = baseNet * 0.3 * Math.exp((rnd() - 0.5) * 2);
    s.load1 = Math.round(cpu * 0.04 * 100) / 100;
    addSample(series, s);
  }
  return series;
}

/** This process's CPU time since `from` (user + system), ms: on a shared machine the wall time also counts the neighbours. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(0));
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] as number;

function dirSize(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-history-bench-'));
  try {
    console.log(`history: ${SERVERS} servers × ${DAYS} days × 1 sample/min = ${((SERVERS * DAYS * 1440) / 1e6).toFixed(1)} M samples, ${SHARDS} shards, in ${dir}`);

    let t0 = performance.now();
    const all: Array<[string, Series]> = [];
    for (let i = 0; i < SERVERS; i++) all.push([`srv-${String(i).padStart(3, '0')}`, generate(i + 1)]);
    console.log(`history: generated in ${ms(performance.now() - t0)} ms (${ms(((performance.now() - t0) * 1e6) / (SERVERS * DAYS * 1440))} ns per sample into 4 tiers)`);
    global.gc?.();
    const mem = process.memoryUsage();
    console.log(`history: memory ${mb(mem.heapUsed + mem.arrayBuffers)} MB (heap ${mb(mem.heapUsed)}, typed arrays ${mb(mem.arrayBuffers)})`);

    const clock = new FakeClock(now);
    const store = await HistoryStore.open({ dir, clock, shardCount: SHARDS, flushIntervalMs: 86_400_000, compactIntervalMs: 3_600_000 });
    // (The bench calls flush() itself each minute; its timer is kept out of the way.)
    for (const [id, series] of all) store.importSeries(id, series);

    // 24 h chart, and the other ranges, for one server.
    const target = all[123 % SERVERS]![0];
    const ranges: HistoryRange[] = ['hour', 'day', 'week', 'month', 'year'];
    const figures: Record<string, number[]> = {};
    for (const range of ranges) {
      const times: number[] = [];
      for (let k = 0; k < 200; k++) {
        const q0 = performance.now();
        store.query(target, range);
        times.push(performance.now() - q0);
      }
      figures[range] = times;
    }
    const day = store.query(target, 'day');
    console.log(`history: 24h query ${ms(median(figures.day!))} ms median, ${ms(p95(figures.day!))} ms p95, ${day.points.length} points ${judge(QUERY, median(figures.day!))}`);
    console.log(`history: other ranges, median: ${ranges.filter((r) => r !== 'day').map((r) => `${r} ${ms(median(figures[r]!))} ms`).join(', ')}`);

    // Encoding is the synchronous part of a flush: how long one shard blocks the event loop.
    const perShard = new Map<number, number>();
    const apart = new SeriesEncoder();
    const sink = new ByteSink(1 << 20);
    t0 = performance.now();
    for (const [id, series] of all) {
      const e0 = performance.now();
      apart.encode(series, sink);
      sink.n = 0;
      const shard = shardOf(id, SHARDS);
      perShard.set(shard, (perShard.get(shard) ?? 0) + performance.now() - e0);
    }
    const encodeAll = performance.now() - t0;

    // First full flush: every shard dirty, all rewritten, nothing encoded before (an import, or the first compaction after a start).
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    let cpu0 = process.cpuUsage();
    t0 = performance.now();
    const full = await store.compact();
    const firstMs = performance.now() - t0;
    const firstCpu = cpuMs(cpu0);
    lag.disable();
    const size = dirSize(dir);
    console.log(`history: files on disk ${mb(size)} MB in ${full.shardsWritten} shards, ${((size / SERVERS) / 1024).toFixed(0)} kB per server ${judge(FILES, size / 1e6)}`);
    console.log(
      `history: first full flush (nothing encoded before) ${ms(firstMs)} ms (${ms(firstCpu)} ms CPU) for ${full.shardsWritten} shards; encoding alone (timed apart) ${ms(encodeAll)} ms, ` +
        `${ms(Math.max(...perShard.values()))} ms for the largest shard; the event loop was held at most ${ms(lag.max / 1e6)} ms at a time`,
    );

    // An hour: each minute every server reports once and the new records are appended to the
    // journal (the flush that runs every minute, judged on the first 20); the flush at the hour
    // also compacts, rewriting every shard (the full flush, judged).
    const recordTimes: number[] = [];
    const flushTimes: number[] = [];
    let journalBytes = 0;
    let hourly: { ms: number; cpu: number; shards: number; lag: number } | undefined;
    const blocks = { ...store.encoder.counts };
    for (let minute = 1; minute <= 60; minute++) {
      await clock.advance(MIN);
      const r0 = performance.now();
      for (const [id] of all) store.record(id, { t: now + minute * MIN, cpu: 12.5 + (minute % 7), memUsed: 4e9 + minute * 4096, memTotal: 8e9, diskUsed: 1e11, diskTotal: 5e11, netIn: 123456.78 * minute, netOut: 23456.7, load1: 0.42 });
      recordTimes.push(performance.now() - r0);
      const before = fs.statSync(path.join(dir, 'journal.ndjson'), { throwIfNoEntry: false })?.size ?? 0;
      lag.reset();
      lag.enable();
      cpu0 = process.cpuUsage();
      const f0 = performance.now();
      const result = await store.flush();
      const took = performance.now() - f0;
      const tookCpu = cpuMs(cpu0);
      lag.disable();
      if (minute < 60) {
        if (result.compacted) throw new Error('the bench expected no compaction before the hour');
        flushTimes.push(took);
        journalBytes = Math.max(journalBytes, (fs.statSync(path.join(dir, 'journal.ndjson')).size - before) * 60);
      } else {
        if (!result.compacted) throw new Error('the bench expected the compaction at the hour');
        hourly = { ms: took, cpu: tookCpu, shards: result.shardsWritten, lag: lag.max / 1e6 };
      }
    }
    const minuteMedian = median(flushTimes.slice(0, 20));
    console.log(
      `history: 1-minute flush ${ms(minuteMedian)} ms median of the first 20, ${ms(Math.max(...flushTimes))} ms max of 59: ${SERVERS} records appended and fsynced ${judge(MINUTE_FLUSH, minuteMedian)}; ` +
        `recording them took ${ms(median(recordTimes))} ms`,
    );
    if (!hourly) throw new Error('no hourly compaction');
    const reused = store.encoder.counts.reused - blocks.reused;
    const encoded = store.encoder.counts.encoded - blocks.encoded;
    console.log(
      `history: full flush at the hour ${ms(hourly.ms)} ms (${ms(hourly.cpu)} ms CPU) for ${hourly.shards} shards (every server changed; ${encoded} blocks of buckets encoded, ${reused} reused from the last compaction) ${judge(FULL_FLUSH, hourly.ms)}; ` +
        `the event loop was held at most ${ms(hourly.lag)} ms at a time`,
    );
    console.log(`history: journal grows ${mb(journalBytes)} MB per hour until the hourly compaction empties it`);
    console.log(
      `history: disk writes ≈ ${mb(size * 24 + journalBytes * 24)} MB/day with hourly compaction; a flush rewriting every dirty shard each minute would write ${mb(size * 1440)} MB/day`,
    );

    // Start-up: reading everything back.
    await store.close();
    t0 = performance.now();
    const reopened = await HistoryStore.open({ dir, clock, shardCount: SHARDS });
    const openMs = performance.now() - t0;
    console.log(`history: reopen (read + decode ${reopened.serverIds().length} servers) ${ms(openMs)} ms, recoveries: ${reopened.recoveries.length}`);
    await reopened.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
