import { METRIC_FIELDS, RANGE_SPAN_MS, type HistoryRange, type MetricField, type MetricSample, type MetricValues, type SeriesGap, type SeriesPoint } from '../../../shared/metrics';

/**
 * Round-robin tiers, like Proxmox's RRD: each tier is a ring of fixed-width buckets, so memory
 * and files stay bounded however long Rackdeck runs. No I/O here: the store persists what these
 * functions build.
 *
 * Every tier consolidates straight from the samples (as RRDtool's archives do) rather than from
 * the tier below: the result is the count-weighted fold of the finer buckets, without rounding
 * compounding from tier to tier, and a coarse bucket is right even when the fine tier has
 * already forgotten the start of it.
 */
export interface TierSpec {
  /** Bucket width, ms. Buckets are aligned to the Unix epoch (UTC). */
  step: number;
  /** Buckets kept. */
  size: number;
}

export const DEFAULT_TIERS: readonly TierSpec[] = [
  { step: 60_000, size: 1440 }, // a day of minutes
  { step: 1_800_000, size: 336 }, // a week of half hours
  { step: 10_800_000, size: 248 }, // a month of 3 hours
  { step: 86_400_000, size: 366 }, // a year of days
];

export const FIELD_COUNT = METRIC_FIELDS.length;

/**
 * Rounding at rest: far below what a chart can show. A bucket is rounded as it enters the ring
 * (`putBucket`), in memory as in the file, so a chart reads the same figures before and after a
 * restart.
 */
export const QUANTUM: Record<MetricField, number> = {
  cpu: 0.01,
  memUsed: 1024,
  memTotal: 1024,
  diskUsed: 1024,
  diskTotal: 1024,
  netIn: 1,
  netOut: 1,
  load1: 0.01,
};

const QUANTA = Float64Array.from(METRIC_FIELDS, (f) => QUANTUM[f]);

/** The bucket being filled: per field, how many values, their sum and their peak. */
interface OpenBucket {
  /** Bucket number (t / step), -1 when nothing is open. */
  slot: number;
  n: Float64Array;
  sum: Float64Array;
  max: Float64Array;
}

export interface Tier {
  readonly step: number;
  readonly size: number;
  /** Which bucket number each ring position holds; -1 when never written. A position is valid for slot s only if it holds s. */
  readonly slots: Float64Array;
  /** Per field, allocated on first use: a guest without disk figures costs nothing for disk. NaN = no value. */
  readonly avg: Array<Float32Array | undefined>;
  /** Per field, allocated only once a closed bucket's peak differs from its average (never, for one sample per bucket). */
  readonly max: Array<Float32Array | undefined>;
  readonly open: OpenBucket;
  /**
   * When each ring position was last written (0: never, or by decoding), from `edits`, which only
   * grows: the file encoder reuses the text of a block of buckets while none of its stamps moved.
   */
  readonly stamps: Uint32Array;
  edits: number;
}

export interface Series {
  /** Time of the last accepted sample; older or equal samples are refused, which also makes journal replay idempotent. */
  last: number;
  readonly tiers: Tier[];
}

export function validateTiers(tiers: readonly TierSpec[]): void {
  if (tiers.length === 0 || tiers.length > 8) throw new RangeError('history needs 1 to 8 tiers');
  let previous = 0;
  for (const { step, size } of tiers) {
    if (!Number.isSafeInteger(step) || step < 1000) throw new RangeError(`a tier step is a whole number of ms, at least 1000 (got ${step})`);
    if (!Number.isSafeInteger(size) || size < 1 || size > 100_000) throw new RangeError(`a tier size is 1 to 100000 buckets (got ${size})`);
    if (step <= previous) throw new RangeError('tier steps must grow from the finest to the coarsest');
    previous = step;
  }
}

function createTier(spec: TierSpec): Tier {
  return {
    step: spec.step,
    size: spec.size,
    slots: new Float64Array(spec.size).fill(-1),
    avg: new Array<Float32Array | undefined>(FIELD_COUNT).fill(undefined),
    max: new Array<Float32Array | undefined>(FIELD_COUNT).fill(undefined),
    open: { slot: -1, n: new Float64Array(FIELD_COUNT), sum: new Float64Array(FIELD_COUNT), max: new Float64Array(FIELD_COUNT) },
    stamps: new Uint32Array(spec.size),
    edits: 0,
  };
}

export function createSeries(specs: readonly TierSpec[] = DEFAULT_TIERS): Series {
  return { last: -Infinity, tiers: specs.map(createTier) };
}

const scratch = new Float64Array(FIELD_COUNT);
// The field order the named reads in addSample assume.
if (METRIC_FIELDS.join() !== 'cpu,memUsed,memTotal,diskUsed,diskTotal,netIn,netOut,load1') throw new Error('tiers.ts: METRIC_FIELDS changed');

/**
 * Adds one sample to every tier. Returns false (and changes nothing) for a sample that is not
 * newer than the last one, has a bad time, or carries no figure at all.
 */
export function addSample(series: Series, sample: MetricSample): boolean {
  const t = sample.t;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t <= series.last) return false;
  // Named reads, not a loop over field names: this runs for every sample of every server.
  scratch[0] = finite(sample.cpu);
  scratch[1] = finite(sample.memUsed);
  scratch[2] = finite(sample.memTotal);
  scratch[3] = finite(sample.diskUsed);
  scratch[4] = finite(sample.diskTotal);
  scratch[5] = finite(sample.netIn);
  scratch[6] = finite(sample.netOut);
  scratch[7] = finite(sample.load1);
  let any = false;
  for (let f = 0; f < FIELD_COUNT; f++) if (scratch[f] === scratch[f]) any = true;
  if (!any) return false;
  for (const tier of series.tiers) {
    const slot = Math.floor(t / tier.step);
    const open = tier.open;
    if (open.slot !== slot) {
      if (open.slot >= 0) closeBucket(tier);
      open.slot = slot;
      open.n.fill(0);
      open.sum.fill(0);
      open.max.fill(-Infinity);
    }
    for (let f = 0; f < FIELD_COUNT; f++) {
      const v = scratch[f] as number;
      if (v !== v) continue; // NaN: field absent
      open.n[f] = (open.n[f] as number) + 1;
      open.sum[f] = (open.sum[f] as number) + v;
      if (v > (open.max[f] as number)) open.max[f] = v;
    }
  }
  series.last = t;
  return true;
}

const finite = (v: number | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

/** Moves the open bucket into the ring. */
const closeAvg = new Float64Array(FIELD_COUNT);
const closeMax = new Float64Array(FIELD_COUNT);

function closeBucket(tier: Tier): void {
  const { open } = tier;
  const avg = closeAvg.fill(NaN);
  const max = closeMax.fill(NaN);
  for (let f = 0; f < FIELD_COUNT; f++) {
    const n = open.n[f] as number;
    if (n > 0) {
      avg[f] = (open.sum[f] as number) / n;
      max[f] = open.max[f] as number;
    }
  }
  putBucket(tier, open.slot, avg, max);
}

/**
 * Writes a closed bucket at its ring position, replacing whatever older bucket was there,
 * rounded to each field's quantum (whether it closed here or came from a Proxmox backfill).
 * NaN = no value.
 */
export function putBucket(tier: Tier, slot: number, avg: ArrayLike<number>, max: ArrayLike<number>): void {
  const pos = slot % tier.size;
  tier.slots[pos] = slot;
  tier.stamps[pos] = ++tier.edits;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const q = QUANTA[f] as number;
    const a = Math.round((avg[f] as number) / q) * q;
    let avgCol = tier.avg[f];
    if (a === a && !avgCol) avgCol = tier.avg[f] = new Float32Array(tier.size).fill(NaN);
    if (!avgCol) continue;
    avgCol[pos] = a;
    const m = a === a ? Math.round((max[f] as number) / q) * q : NaN;
    let maxCol = tier.max[f];
    if (!maxCol && m === m && Math.fround(m) !== avgCol[pos]) {
      // Until now every peak equalled its average; the copy keeps that true for the old buckets.
      maxCol = tier.max[f] = Float32Array.from(avgCol);
    }
    if (maxCol) maxCol[pos] = m;
  }
}

/** Restores a bucket that was still filling when the store was saved. */
export function setOpenBucket(tier: Tier, slot: number, n: ArrayLike<number>, sum: ArrayLike<number>, max: ArrayLike<number>): void {
  tier.open.slot = slot;
  for (let f = 0; f < FIELD_COUNT; f++) {
    tier.open.n[f] = n[f] as number;
    tier.open.sum[f] = sum[f] as number;
    tier.open.max[f] = (n[f] as number) > 0 ? (max[f] as number) : -Infinity;
  }
}

/** The newest bucket number the tier knows of: the open one, else the last sample's. */
export function anchorSlot(series: Series, tier: Tier): number {
  if (tier.open.slot >= 0) return tier.open.slot;
  return Number.isFinite(series.last) ? Math.floor(series.last / tier.step) : -1;
}

/** Ring positions of the closed buckets still within the tier's reach, oldest first. */
export function retainedPositions(series: Series, tier: Tier): number[] {
  const anchor = anchorSlot(series, tier);
  const out: number[] = [];
  if (anchor < 0) return out;
  for (let s = Math.max(0, anchor - tier.size + 1); s <= anchor; s++) {
    const pos = s % tier.size;
    if (tier.slots[pos] === s && s !== tier.open.slot) out.push(pos);
  }
  return out;
}

/** How many buckets (closed and open) each tier holds: bounded by its size whatever the run time. */
export function bucketCounts(series: Series): number[] {
  return series.tiers.map((tier) => retainedPositions(series, tier).length + (tier.open.slot >= 0 ? 1 : 0));
}

interface WindowResult {
  step: number;
  points: Array<SeriesPoint | SeriesGap>;
}

/**
 * Points covering [from, to], from the finest tier that still holds `from` at no more than
 * `maxPoints` buckets. The bucket being filled is included, so a live chart ends at now.
 */
export function queryWindow(series: Series, from: number, to: number, maxPoints = 2000): WindowResult {
  const span = Math.max(0, to - from);
  const tiers = series.tiers;
  let tier = tiers[tiers.length - 1] as Tier;
  for (const candidate of tiers) {
    const count = Math.max(1, Math.ceil(span / candidate.step));
    const firstWanted = Math.floor(to / candidate.step) - count + 1;
    const firstKept = Math.max(anchorSlot(series, candidate), Math.floor(to / candidate.step)) - candidate.size + 1;
    if (count <= maxPoints && firstWanted >= firstKept) {
      tier = candidate;
      break;
    }
  }
  const { step } = tier;
  const last = Math.floor(to / step);
  const first = last - Math.max(1, Math.ceil(span / step)) + 1;
  const points: Array<SeriesPoint | SeriesGap> = [];
  let gap: SeriesGap | undefined;
  for (let s = first; s <= last; s++) {
    const point = s >= 0 ? bucketAt(tier, s) : undefined;
    if (point) {
      gap = undefined;
      points.push(point);
    } else if (gap) {
      gap.until = (s + 1) * step;
    } else {
      gap = { t: s * step, gap: true, until: (s + 1) * step };
      points.push(gap);
    }
  }
  return { step, points };
}

export function queryRange(series: Series, range: HistoryRange, now: number): WindowResult {
  return queryWindow(series, now - RANGE_SPAN_MS[range], now);
}

function bucketAt(tier: Tier, s: number): SeriesPoint | undefined {
  const t = s * tier.step;
  const avg: MetricValues = {};
  const max: MetricValues = {};
  let any = false;
  if (tier.open.slot === s) {
    const { n, sum, max: peak } = tier.open;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const count = n[f] as number;
      if (count === 0) continue;
      const field = METRIC_FIELDS[f] as keyof MetricValues;
      avg[field] = (sum[f] as number) / count;
      max[field] = peak[f] as number;
      any = true;
    }
    return any ? { t, avg, max } : undefined;
  }
  const pos = s % tier.size;
  if (tier.slots[pos] !== s) return undefined;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const col = tier.avg[f];
    if (!col) continue;
    const a = col[pos] as number;
    if (a !== a) continue;
    const field = METRIC_FIELDS[f] as keyof MetricValues;
    avg[field] = a;
    max[field] = tier.max[f]?.[pos] ?? a;
    any = true;
  }
  return any ? { t, avg, max } : undefined;
}
