import { describe, expect, it } from 'vitest';
import type { MetricSample } from '../../src/shared/metrics';
import { ByteSink } from '../../src/main/store/history/byte-sink';
import { SeriesEncoder } from '../../src/main/store/history/series-bytes';
import { decodeSeries, encodeSeries } from '../../src/main/store/history/series-codec';
import { DEFAULT_TIERS, addSample, createSeries, putBucket, type Series } from '../../src/main/store/history/tiers';

const MIN = 60_000;
const start = Date.UTC(2026, 0, 1);

/** Irregular figures: peaks differ from averages in the coarse tiers; netIn only from minute `netFrom` on; a gap every 997 minutes. */
function fill(series: Series, from: number, to: number, netFrom = 0): void {
  for (let i = from; i < to; i++) {
    if (i % 997 < 20) continue;
    const s: MetricSample = { t: start + i * MIN + (i % 13) * 1000, cpu: (i * 37) % 101, memUsed: 4e9 + ((i * 7919) % 1000) * 1e6, memTotal: 16e9, load1: ((i * 13) % 400) / 100 };
    if (i >= netFrom) s.netIn = ((i * 7727) % 9000) * 1000;
    addSample(series, s);
  }
}

const bytesOf = (encoder: SeriesEncoder, series: Series): string => {
  const sink = new ByteSink(16);
  encoder.encode(series, sink);
  return sink.view().toString('utf8');
};

describe('the history file encoder', () => {
  it('writes what encodeSeries gave to JSON.stringify, for a blank series and a long one', () => {
    const blank = createSeries();
    expect(bytesOf(new SeriesEncoder(), blank)).toBe(JSON.stringify(encodeSeries(blank)));
    const series = createSeries();
    fill(series, 0, 40 * 1440);
    const text = bytesOf(new SeriesEncoder(), series);
    expect(text).toBe(JSON.stringify(encodeSeries(series)));
    expect(decodeSeries(JSON.parse(text), DEFAULT_TIERS).last).toBe(series.last);
  });

  it('reuses the blocks that did not change, and its output stays the fresh encoding as the rings move', () => {
    const series = createSeries();
    const encoder = new SeriesEncoder();
    fill(series, 0, 3 * 1440, 2 * 1440);
    bytesOf(encoder, series);
    let end = 3 * 1440;
    // Hours, then a day, then a column (netIn) that has been absent for a while comes and goes.
    for (const minutes of [60, 60, 1440, 61, 5 * 1440]) {
      const before = { ...encoder.counts };
      fill(series, end, end + minutes, end + 30);
      end += minutes;
      expect(bytesOf(encoder, series)).toBe(JSON.stringify(encodeSeries(series)));
      if (minutes === 60) expect(encoder.counts.reused - before.reused).toBeGreaterThan(encoder.counts.encoded - before.encoded);
    }
  });

  it('sees a bucket written again in place (a backfill into a live series) and a column that appears', () => {
    const series = createSeries();
    const encoder = new SeriesEncoder();
    fill(series, 0, 1440);
    bytesOf(encoder, series);
    const minute = series.tiers[0]!;
    const slot = Math.floor((start + 100 * MIN) / MIN);
    const avg = [50, 1e9, 16e9, 7e10, 1e11, NaN, 12, 0.5];
    putBucket(minute, slot, avg, avg.map((v) => v * 2));
    expect(bytesOf(encoder, series)).toBe(JSON.stringify(encodeSeries(series)));
    expect(JSON.parse(bytesOf(encoder, series)).tiers[0].cols.diskUsed).toBeDefined();
  });
});
