import { METRIC_FIELDS, isGap, type MetricField, type MetricValues, type SeriesPoint } from '../../../shared/metrics';
import { FIELD_COUNT, createSeries, putBucket, setOpenBucket, type Series } from '../../store/history/tiers';
import { RRD_RESOLUTION_S, RRD_TIMEFRAMES, rrdValues, type BackfillInput } from '../backfill';

interface Cell {
  /** Resolution (s) of the timeframe that filled it: a finer one is never mixed with a coarser one. */
  res: number;
  n: Float64Array;
  sum: Float64Array;
  max: Float64Array;
}

/**
 * A backfill laid into the history store's own ring format, ready for `importSeries` (pure, but
 * built from the store's tier internals, so it sits with the adapters: the monitoring's service
 * code takes it as a port). Each of our tiers is filled from the finest rrddata timeframe that
 * covers a bucket; what Rackdeck recorded itself wins wherever it has a bucket (see backfill.ts).
 */
export function buildBackfill(input: BackfillInput): Series {
  const series = createSeries(input.tiers);
  const lastRrd = Math.max(-Infinity, ...RRD_TIMEFRAMES.flatMap((tf) => (input.frames[tf]?.avg ?? []).map((p) => p.time * 1000)));
  const limit = input.existingLast ?? (Number.isFinite(lastRrd) ? Math.min(lastRrd, input.now) : -Infinity);
  if (!Number.isFinite(limit)) return series;
  series.last = limit;

  for (const tier of series.tiers) {
    const S = tier.step;
    const lastSlot = Math.floor(limit / S);
    const firstSlot = Math.floor(input.now / S) - tier.size + 1;
    const cells = new Map<number, Cell>();
    for (const tf of RRD_TIMEFRAMES) {
      const frame = input.frames[tf];
      if (!frame) continue;
      const res = RRD_RESOLUTION_S[tf];
      const peaks = new Map((frame.max ?? []).map((p) => [p.time, p]));
      for (const p of frame.avg) {
        const avg = rrdValues(p, input.kind);
        const peakPoint = peaks.get(p.time);
        const peak = peakPoint ? rrdValues(peakPoint, input.kind) : avg;
        const start = p.time * 1000;
        if (res * 1000 <= S) {
          const slot = Math.floor(start / S);
          const cell = cells.get(slot);
          if (cell && cell.res !== res) continue; // a finer timeframe already filled it
          add(cells, slot, res, avg, peak);
        } else {
          // Only the buckets this tier keeps: a week-long point must not walk 10 080 minute buckets.
          const from = Math.max(firstSlot, Math.floor(start / S));
          const to = Math.min(lastSlot, Math.floor((start + res * 1000 - 1) / S));
          for (let slot = from; slot <= to; slot++) if (!cells.has(slot)) add(cells, slot, res, avg, peak);
        }
      }
    }
    // What the store recorded itself.
    const own = new Map<number, SeriesPoint>();
    for (const point of input.existing.get(S) ?? []) if (!isGap(point)) own.set(Math.floor(point.t / S), point);
    const openSlot = input.existingLast !== undefined ? Math.floor(input.existingLast / S) : undefined;

    const slots = new Set<number>([...cells.keys(), ...own.keys()]);
    for (const slot of [...slots].sort((a, b) => a - b)) {
      if (slot < firstSlot || slot > lastSlot || slot < 0) continue;
      const mine = own.get(slot);
      if (mine) {
        const avg = toArray(mine.avg);
        const max = toArray(mine.max);
        if (slot === openSlot) {
          // Still filling: carried over as that many samples, so the ones still to come weigh right.
          const seen = Math.max(1, Math.min(Math.round(S / input.sampleIntervalMs), Math.round(((input.existingLast ?? 0) - slot * S) / input.sampleIntervalMs) + 1));
          const n = avg.map((a) => (a === a ? seen : 0));
          setOpenBucket(tier, slot, n, avg.map((a, f) => (a === a ? a * (n[f] as number) : 0)), max);
        } else {
          putBucket(tier, slot, avg, max);
        }
        continue;
      }
      const cell = cells.get(slot);
      if (!cell) continue;
      const avg = new Float64Array(FIELD_COUNT).fill(NaN);
      const max = new Float64Array(FIELD_COUNT).fill(NaN);
      for (let f = 0; f < FIELD_COUNT; f++) {
        const n = cell.n[f] as number;
        if (n > 0) {
          avg[f] = (cell.sum[f] as number) / n;
          max[f] = Math.max(cell.max[f] as number, avg[f] as number);
        }
      }
      if (avg.some((a) => a === a)) putBucket(tier, slot, avg, max);
    }
  }
  return series;
}

function add(cells: Map<number, Cell>, slot: number, res: number, avg: MetricValues, peak: MetricValues): void {
  let cell = cells.get(slot);
  if (!cell) {
    cell = { res, n: new Float64Array(FIELD_COUNT), sum: new Float64Array(FIELD_COUNT), max: new Float64Array(FIELD_COUNT).fill(-Infinity) };
    cells.set(slot, cell);
  }
  METRIC_FIELDS.forEach((field: MetricField, f) => {
    const a = avg[field];
    if (a === undefined) return;
    cell.n[f] = (cell.n[f] as number) + 1;
    cell.sum[f] = (cell.sum[f] as number) + a;
    const m = peak[field] ?? a;
    if (m > (cell.max[f] as number)) cell.max[f] = m;
  });
}

function toArray(values: MetricValues): number[] {
  return METRIC_FIELDS.map((f) => values[f] ?? NaN);
}

