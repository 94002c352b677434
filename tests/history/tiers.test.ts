import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { RANGE_SPAN_MS, isGap, type HistoryRange, type MetricSample } from '../../src/shared/metrics';
import { DEFAULT_TIERS, QUANTUM, addSample, bucketCounts, createSeries, queryRange, queryWindow, type Series } from '../../src/main/store/history/tiers';
import { decodeSeries, encodeSeries } from '../../src/main/store/history/series-codec';
import { encodeUnsigned } from '../../src/main/store/history/int-codec';
import { bruteBucket, expectClose, perBucket } from './reference';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Deterministic, irregular figures: peaks differ from averages, and netIn is missing every third minute. */
function sampleAt(t: number, i: number): MetricSample {
  const s: MetricSample = {
    t,
    cpu: (i * 37) % 101,
    memUsed: 4e9 + ((i * 7919) % 1000) * 1e6,
    memTotal: 16e9,
    diskUsed: 1e11 + i * 4096,
    diskTotal: 5e11,
    netOut: ((i * 104729) % 5000) * 1000,
    load1: ((i * 13) % 400) / 100,
  };
  if (i % 3 !== 0) s.netIn = ((i * 7727) % 9000) * 1000;
  return s;
}

interface Year {
  series: Series;
  samples: MetricSample[];
  times: Float64Array;
  clock: FakeClock;
  maxCounts: number[];
}

/**
 * A year at one sample a minute (with a little jitter), on a FakeClock, with two outages: all of
 * day 100 and two hours near the end. Built once; every test below reads it.
 */
async function simulateYear(): Promise<Year> {
  const start = Date.UTC(2025, 0, 1);
  const clock = new FakeClock(start);
  const series = createSeries(DEFAULT_TIERS);
  const samples: MetricSample[] = [];
  const maxCounts = DEFAULT_TIERS.map(() => 0);
  const outages = [
    [start + 100 * DAY, start + 101 * DAY],
    [start + 365 * DAY + 3 * HOUR, start + 365 * DAY + 5 * HOUR],
  ];
  const end = start + 366 * DAY - 30 * MIN;
  for (let i = 0; clock.now() < end; i++) {
    const t = clock.now() + ((i * 17) % 23) * 1000; // jitter within the minute
    if (!outages.some(([a, b]) => t >= (a as number) && t < (b as number))) {
      const s = sampleAt(t, i);
      expect(addSample(series, s)).toBe(true);
      samples.push(s);
    }
    if (i % 1440 === 0) bucketCounts(series).forEach((c, k) => (maxCounts[k] = Math.max(maxCounts[k] as number, c)));
    await clock.advance(MIN);
  }
  return { series, samples, times: Float64Array.from(samples, (s) => s.t), clock, maxCounts };
}

const yearPromise = simulateYear();
const HALF_QUANTUM = Object.fromEntries(Object.entries(QUANTUM).map(([f, v]) => [f, v / 2]));

describe('round-robin tiers over a simulated year', () => {
  it('never hold more buckets than their size', async () => {
    const { series, maxCounts } = await yearPromise;
    const sizes = DEFAULT_TIERS.map((t) => t.size);
    maxCounts.forEach((c, k) => expect(c).toBeLessThanOrEqual(sizes[k] as number));
    // At the end every tier is full, except where the outages fall: 2 hours (120 minutes, 4 half
    // hours) in the last day, and all of day 100 in the year.
    expect(bucketCounts(series)).toEqual([1440 - 120, 336 - 4, 248, 365]);
  });

  it.each(['hour', 'day', 'week', 'month', 'year'] as HistoryRange[])('answer a %s chart with the exact average and peak of the raw samples', async (range) => {
    const { series, samples, times, clock } = await yearPromise;
    const now = clock.now();
    const { step, points } = queryRange(series, range, now);
    const expectedStep = { hour: MIN, day: MIN, week: 30 * MIN, month: 3 * HOUR, year: DAY }[range];
    expect(step).toBe(expectedStep);
    const buckets = perBucket(points, step);
    expect(buckets).toHaveLength(Math.ceil(RANGE_SPAN_MS[range] / step));
    const first = (Math.floor(now / step) - buckets.length + 1) * step;
    let compared = 0;
    buckets.forEach((point, k) => {
      const truth = bruteBucket(samples, times, first + k * step, step);
      if (!truth) {
        expect(point).toBeUndefined();
        return;
      }
      expect(point?.t).toBe(truth.t);
      // A closed bucket is rounded to each field's quantum; the open one is exact.
      expectClose(point!.avg, truth.avg, HALF_QUANTUM);
      expectClose(point!.max, truth.max, HALF_QUANTUM);
      compared++;
    });
    expect(compared).toBeGreaterThan(buckets.length * 0.9);
  });

  it('show an outage as one gap per run of missing buckets', async () => {
    const { series, clock } = await yearPromise;
    const now = clock.now();
    const day = queryRange(series, 'day', now).points.filter(isGap);
    // The outage, and the minute that has just begun and has no sample yet.
    expect(day.map((g) => g.until - g.t)).toEqual([2 * HOUR, MIN]);
    expect(day[1]!.t).toBe(Math.floor(now / MIN) * MIN);
    const year = queryRange(series, 'year', clock.now()).points.filter(isGap);
    expect(year.map((g) => [g.t, g.until])).toEqual([[Date.UTC(2025, 0, 1) + 100 * DAY, Date.UTC(2025, 0, 1) + 101 * DAY]]);
  });

  it('refuse samples that are not newer, or carry nothing', async () => {
    const series = createSeries();
    expect(addSample(series, { t: 1000, cpu: 1 })).toBe(true);
    expect(addSample(series, { t: 1000, cpu: 2 })).toBe(false);
    expect(addSample(series, { t: 999, cpu: 2 })).toBe(false);
    expect(addSample(series, { t: 2000 })).toBe(false);
    expect(addSample(series, { t: NaN, cpu: 1 })).toBe(false);
    expect(addSample(series, { t: 3000, cpu: Infinity, load1: 1 })).toBe(true);
    expect(queryWindow(series, 0, 30_000).points[0]).toEqual({ t: 0, avg: { cpu: 1, load1: 1 }, max: { cpu: 1, load1: 1 } });
  });

  it('survive encoding: a year reads back with the very figures it had in memory', async () => {
    const { series, clock } = await yearPromise;
    const text = JSON.stringify(encodeSeries(series));
    expect(text.length).toBeLessThan(200_000);
    const back = decodeSeries(JSON.parse(text), DEFAULT_TIERS);
    expect(bucketCounts(back)).toEqual(bucketCounts(series));
    for (const range of ['day', 'week', 'month', 'year'] as HistoryRange[]) {
      const original = queryRange(series, range, clock.now());
      const a = perBucket(original.points, original.step);
      const b = perBucket(queryRange(back, range, clock.now()).points, original.step);
      expect(b.length).toBe(a.length);
      a.forEach((p, k) => {
        const q = b[k];
        if (!p) return expect(q).toBeUndefined();
        // Buckets are rounded to the quantum as they close, so the file loses nothing more.
        expect(q).toEqual(p);
      });
    }
  });

  it('keep the newest buckets when a tier is made smaller, and drop tiers no longer configured', async () => {
    const { series, clock } = await yearPromise;
    const smaller = [{ step: 60_000, size: 60 }, { step: 86_400_000, size: 30 }];
    const back = decodeSeries(JSON.parse(JSON.stringify(encodeSeries(series))), smaller);
    expect(bucketCounts(back)).toEqual([60, 30]);
    expect(queryRange(back, 'hour', clock.now()).points).toHaveLength(60);
  });

  it('refuse a damaged encoding', async () => {
    const { series } = await yearPromise;
    const doc = encodeSeries(series);
    const broken = structuredClone(doc);
    broken.tiers[0]!.cols.cpu!.a = encodeUnsigned([1, 2, 3]);
    expect(() => decodeSeries(broken, DEFAULT_TIERS)).toThrow(/averages for/);
    const future = { ...structuredClone(doc), last: 0 };
    expect(() => decodeSeries(future, DEFAULT_TIERS)).toThrow(/after the last sample/);
    expect(() => decodeSeries({ last: 1, tiers: 'x' }, DEFAULT_TIERS)).toThrow();
  });
});
