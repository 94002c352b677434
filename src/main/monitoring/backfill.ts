import { METRIC_FIELDS, isGap, type MetricField, type MetricValues, type SeriesGap, type SeriesPoint } from '../../shared/metrics';
import type { RrdPoint, RrdTimeframe } from '../drivers/proxmox/model/rrd';
import { FIELD_COUNT, createSeries, putBucket, setOpenBucket, type Series, type TierSpec } from '../store/history/tiers';

/**
 * Older history for a Proxmox node or guest, from Proxmox's own rrddata (pure). Proxmox keeps
 * 70 points per timeframe (a minute apart for the last hour, half an hour for the day, three
 * hours for the week, half a day for the month, a week for the year). Each of our tiers is
 * filled from the finest timeframe that covers a bucket: several points averaged when they are
 * finer than the bucket, the one covering point when coarser (a day chart then shows the day's
 * half-hour averages as steps, which is what they are). What Rackdeck recorded itself wins
 * wherever it has a bucket; the rest (before it watched, or while it was not running) comes
 * from Proxmox.
 */
export const RRD_RESOLUTION_S: Record<RrdTimeframe, number> = { hour: 60, day: 1800, week: 10_800, month: 43_200, year: 604_800 };

export interface RrdFrame {
  avg: RrdPoint[];
  /** The same timeframe with cf=MAX, for the peaks (optional: without it peaks equal averages). */
  max?: RrdPoint[];
}

export interface BackfillInput {
  tiers: readonly TierSpec[];
  kind: 'guest' | 'node';
  frames: Partial<Record<RrdTimeframe, RrdFrame>>;
  /** What the store holds now, per tier step (from its own queries), oldest first. */
  existing: ReadonlyMap<number, ReadonlyArray<SeriesPoint | SeriesGap>>;
  /** Time of the last sample the store accepted, if any. */
  existingLast?: number;
  /** How often samples arrive, to weigh the bucket still filling when it is carried over. */
  sampleIntervalMs: number;
  now: number;
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** One rrd point as our fields. */
export function rrdValues(p: RrdPoint, kind: 'guest' | 'node'): MetricValues {
  const v: MetricValues = {};
  if (positive(p.cpu)) v.cpu = Math.min(100, p.cpu * 100);
  if (positive(p.netin)) v.netIn = p.netin;
  if (positive(p.netout)) v.netOut = p.netout;
  if (kind === 'guest') {
    if (positive(p.mem) && positive(p.maxmem) && p.maxmem > 0) {
      v.memUsed = p.mem;
      v.memTotal = p.maxmem;
    }
    if (positive(p.disk) && positive(p.maxdisk) && p.maxdisk > 0 && p.disk > 0) {
      v.diskUsed = p.disk;
      v.diskTotal = p.maxdisk;
    }
  } else {
    if (positive(p.memused) && positive(p.memtotal) && p.memtotal > 0) {
      v.memUsed = p.memused;
      v.memTotal = p.memtotal;
    }
    if (positive(p.rootused) && positive(p.roottotal) && p.roottotal > 0) {
      v.diskUsed = p.rootused;
      v.diskTotal = p.roottotal;
    }
    if (positive(p.loadavg)) v.load1 = p.loadavg;
  }
  return v;
}

interface Cell {
  /** Resolution (s) of the timeframe that filled it: a finer one is never mixed with a coarser one. */
  res: number;
  n: Float64Array;
  sum: Float64Array;
  max: Float64Array;
}

const TIMEFRAMES = (Object.keys(RRD_RESOLUTION_S) as RrdTimeframe[]).sort((a, b) => RRD_RESOLUTION_S[a] - RRD_RESOLUTION_S[b]);

export function buildBackfill(input: BackfillInput): Series {
  const series = createSeries(input.tiers);
  const lastRrd = Math.max(-Infinity, ...TIMEFRAMES.flatMap((tf) => (input.frames[tf]?.avg ?? []).map((p) => p.time * 1000)));
  const limit = input.existingLast ?? (Number.isFinite(lastRrd) ? Math.min(lastRrd, input.now) : -Infinity);
  if (!Number.isFinite(limit)) return series;
  series.last = limit;

  for (const tier of series.tiers) {
    const S = tier.step;
    const lastSlot = Math.floor(limit / S);
    const firstSlot = Math.floor(input.now / S) - tier.size + 1;
    const cells = new Map<number, Cell>();
    for (const tf of TIMEFRAMES) {
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

/** The store's own buckets per tier step, from its range queries: the longest range served by each tier wins. */
export function existingByStep(queries: ReadonlyArray<{ step: number; points: ReadonlyArray<SeriesPoint | SeriesGap> }>): Map<number, ReadonlyArray<SeriesPoint | SeriesGap>> {
  const out = new Map<number, ReadonlyArray<SeriesPoint | SeriesGap>>();
  for (const q of queries) {
    const known = out.get(q.step);
    const span = (list: ReadonlyArray<SeriesPoint | SeriesGap>) => (list.length ? (list[list.length - 1] as SeriesPoint).t - (list[0] as SeriesPoint).t : 0);
    if (!known || span(q.points) > span(known)) out.set(q.step, q.points);
  }
  return out;
}

/** Whether a chart still lacks the history Proxmox could give: nothing older than two hours is stored. */
export function needsBackfill(points: ReadonlyArray<SeriesPoint | SeriesGap>, now: number): boolean {
  const first = points.find((p) => !isGap(p));
  return !first || first.t > now - 2 * 3_600_000;
}
