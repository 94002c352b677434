import { describe, expect, it } from 'vitest';
import type { MetricSample } from '../../src/shared/metrics';
import { ByteSink } from '../../src/main/store/history/byte-sink';
import { SeriesEncoder } from '../../src/main/store/history/series-bytes';
import { decodeSeries, encodeSeries } from '../../src/main/store/history/series-codec';
import { DEFAULT_TIERS, addSample, createSeries, putBucket, type Series, type TierSpec } from '../../src/main/store/history/tiers';
import { createRng } from '../../src/lab/random';

/**
 * The encoder keeps the text of closed buckets between compactions and appends the buckets that
 * close later to the newest kept block. Whatever the steps, its output must stay what the plain
 * encoder gives.
 */
const MIN = 60_000;
const start = Date.UTC(2026, 0, 1);


/** Minutes [from, to): noisy figures, several samples a minute at times, whole hours missing, fields that come and go. */
function fill(series: Series, rnd: () => number, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    if (Math.floor(i / 60) % 17 === 3) continue; // an hour offline now and then
    const samples = rnd() < 0.1 ? 2 : 1;
    for (let k = 0; k < samples; k++) {
      const s: MetricSample = { t: start + i * MIN + k * 20_000 + Math.floor(rnd() * 1000), cpu: Math.round(rnd() * 10000) / 100 };
      if (Math.floor(i / 500) % 3 !== 1) s.memUsed = 4e9 + Math.floor(rnd() * 1e6) * 1024;
      if (i > 700 && rnd() < 0.7) s.netIn = rnd() * 1e7;
      if (Math.floor(i / 2000) % 2 === 0) s.load1 = Math.round(rnd() * 400) / 100;
      addSample(series, s);
    }
  }
}

const bytesOf = (encoder: SeriesEncoder, series: Series): string => {
  const sink = new ByteSink(16);
  encoder.encode(series, sink);
  return sink.view().toString('utf8');
};

function walk(tiers: readonly TierSpec[], seed: number, steps: readonly number[]): void {
  const rnd = createRng(seed).next;
  const series = createSeries(tiers);
  const encoder = new SeriesEncoder();
  let end = 0;
  for (const minutes of steps) {
    fill(series, rnd, end, end + minutes);
    end += minutes;
    expect(bytesOf(encoder, series), `seed ${seed} after ${end} minutes`).toBe(JSON.stringify(encodeSeries(series)));
  }
}

describe('kept runs of the history encoder', () => {
  it('stays the plain encoding as the rings move by any step, with the default tiers', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const rnd = createRng(seed * 97).next;
      const steps = Array.from({ length: 40 }, () => [1, 7, 31, 32, 33, 59, 60, 61, 200, 1439, 1440, 3000][Math.floor(rnd() * 12)] as number);
      walk(DEFAULT_TIERS, seed, [2 * 1440, ...steps]);
    }
  });

  it('stays the plain encoding for rings shorter than a block and steps longer than a ring', () => {
    const small: TierSpec[] = [
      { step: 60_000, size: 10 },
      { step: 300_000, size: 45 },
      { step: 3_600_000, size: 33 },
    ];
    for (let seed = 1; seed <= 6; seed++) walk(small, seed, [5, 1, 1, 9, 10, 11, 31, 32, 33, 64, 65, 400, 1, 2, 3, 3000, 60, 60, 60]);
  });

  it('an hour encodes the buckets closed in it and the rings\' first, partial blocks, not the blocks the new buckets fall in', () => {
    const rnd = createRng(5).next;
    const series = createSeries();
    const encoder = new SeriesEncoder();
    fill(series, rnd, 0, 10 * 1440 + 7);
    bytesOf(encoder, series);
    let end = 10 * 1440 + 7;
    for (let hour = 0; hour < 8; hour++) {
      const before = encoder.counts.buckets;
      // Every minute of the hour has a sample (the fill's offline hours are skipped here).
      for (let i = end; i < end + 60; i++) addSample(series, { t: start + i * MIN, cpu: i % 100, memUsed: 4e9 + i * 1024 });
      end += 60;
      expect(bytesOf(encoder, series)).toBe(JSON.stringify(encodeSeries(series)));
      // The closed buckets of each ring's first, partial block (encoded again each time).
      let heads = 0;
      for (const tier of series.tiers) {
        const lo = tier.open.slot - tier.size + 1;
        for (let s = lo; s < Math.min(Math.ceil(lo / 32) * 32, tier.open.slot); s++) if (tier.slots[s % tier.size] === s) heads++;
      }
      // 60 minutes, two half hours, at most one 3 h and one day bucket, and a few where a ring's
      // start crosses a block (62-66 here). Before, the newest block of each ring was encoded
      // again whole (up to 31 more buckets a ring: 76-107 here).
      expect(encoder.counts.buckets - before - heads).toBeLessThanOrEqual(70);
    }
  });

  it('sees a bucket written again inside a kept block, and one reopened after a restart', () => {
    const rnd = createRng(9).next;
    const series = createSeries();
    const encoder = new SeriesEncoder();
    fill(series, rnd, 0, 3 * 1440 + 15);
    bytesOf(encoder, series);
    const minute = series.tiers[0]!;
    // Written again: in an old kept block and in the newest one.
    for (const back of [1430, 3]) {
      const slot = Math.floor(series.last / MIN) - back;
      const avg = [50, 1e9, 16e9, 7e10, 1e11, NaN, 12, 0.5];
      putBucket(minute, slot, avg, avg.map((v) => v * 2));
      expect(bytesOf(encoder, series)).toBe(JSON.stringify(encodeSeries(series)));
    }
    // A file written without an open bucket, read back: the last bucket is closed, then a sample in the same minute reopens it.
    const doc = encodeSeries(series);
    for (const tier of doc.tiers) delete tier.open;
    const reread = decodeSeries(JSON.parse(JSON.stringify(doc)), DEFAULT_TIERS);
    const again = new SeriesEncoder();
    expect(bytesOf(again, reread)).toBe(JSON.stringify(encodeSeries(reread)));
    addSample(reread, { t: reread.last + 1, cpu: 1 });
    expect(bytesOf(again, reread)).toBe(JSON.stringify(encodeSeries(reread)));
  });
});
