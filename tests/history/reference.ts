import { METRIC_FIELDS, isGap, type MetricField, type MetricSample, type SeriesGap, type SeriesPoint } from '../../src/shared/metrics';
import { expect } from 'vitest';

/** The brute-force truth the tiers must match: avg and max of every raw sample in [from, from + step). */
export function bruteBucket(samples: readonly MetricSample[], times: Float64Array, from: number, step: number): SeriesPoint | undefined {
  let lo = lowerBound(times, from);
  const hi = lowerBound(times, from + step);
  if (lo >= hi) return undefined;
  const sum: Partial<Record<MetricField, number>> = {};
  const n: Partial<Record<MetricField, number>> = {};
  const max: Partial<Record<MetricField, number>> = {};
  for (; lo < hi; lo++) {
    const s = samples[lo] as MetricSample;
    for (const f of METRIC_FIELDS) {
      const v = s[f];
      if (v === undefined) continue;
      sum[f] = (sum[f] ?? 0) + v;
      n[f] = (n[f] ?? 0) + 1;
      max[f] = Math.max(max[f] ?? -Infinity, v);
    }
  }
  const avg: Partial<Record<MetricField, number>> = {};
  for (const f of METRIC_FIELDS) if (n[f]) avg[f] = (sum[f] as number) / (n[f] as number);
  return { t: from, avg, max };
}

function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Expands folded gaps back into one entry per bucket, to compare bucket by bucket. */
export function perBucket(points: ReadonlyArray<SeriesPoint | SeriesGap>, step: number): Array<SeriesPoint | undefined> {
  const out: Array<SeriesPoint | undefined> = [];
  for (const p of points) {
    if (isGap(p)) for (let t = p.t; t < p.until; t += step) out.push(undefined);
    else out.push(p);
  }
  return out;
}

/** Float32 storage (and, at rest, the field's quantum) is the only loss allowed. */
export function expectClose(actual: Partial<Record<MetricField, number>>, expected: Partial<Record<MetricField, number>>, absolute: Partial<Record<MetricField, number>> = {}): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const f of METRIC_FIELDS) {
    const e = expected[f];
    if (e === undefined) continue;
    // Float32's relative error, plus the rounding allowed at rest.
    const tolerance = Math.abs(e) * 1e-6 + (absolute[f] ?? 1e-9);
    const a = actual[f] as number;
    if (Math.abs(a - e) > tolerance) expect.fail(`${f}: ${a} is not ${e} (±${tolerance})`);
  }
}
