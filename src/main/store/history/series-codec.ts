import * as z from 'zod';
import { METRIC_FIELDS, type MetricField } from '../../../shared/metrics';
import { CodecError, IntWriter, decodeUnsigned, unzigzag, zigzag } from './int-codec';
import { FIELD_COUNT, QUANTUM, createSeries, retainedPositions, setOpenBucket, type Series, type TierSpec } from './tiers';
import { lazySchema } from '../../../shared/contract/lazy';

/**
 * A series as it sits in a history file. Closed buckets are stored column by column, each value
 * rounded to its field's quantum and written as the difference from the one before, with the
 * compact integer text of int-codec: a day of minute figures for one server takes tens of
 * kilobytes instead of the megabyte plain JSON would. The quantum travels with the column so it
 * can change without breaking old files. Open buckets keep full precision: they are few.
 */

const columnSchema = lazySchema(() => z
  .object({
    /** Quantum. */
    q: z.number().positive().finite(),
    /** Averages: per bucket 0 = no value, else zigzag(delta from the previous value, in quanta) + 1. */
    a: z.string(),
    /** Peaks, per bucket with an average: zigzag(peak − average, in quanta). Absent: every peak equals its average. */
    m: z.string().optional(),
  })
  .strict());

const openSchema = lazySchema(() => z
  .object({
    slot: z.number().int().min(0),
    /** Per field: [count, sum, peak]. */
    f: z.partialRecord(z.enum(METRIC_FIELDS), z.tuple([z.number().int().min(1), z.number().finite(), z.number().finite()])),
  })
  .strict());

const tierSchema = lazySchema(() => z
  .object({
    step: z.number().int().positive(),
    size: z.number().int().positive(),
    /** Bucket numbers of the closed buckets, oldest first: the first as is, then differences. */
    slots: z.string(),
    cols: z.partialRecord(z.enum(METRIC_FIELDS), columnSchema),
    open: openSchema.optional(),
  })
  .strict());

const seriesDocSchema = lazySchema(() => z
  .object({
    last: z.number().finite().nullable(),
    tiers: z.array(tierSchema).max(16),
  })
  .strict());
type SeriesDoc = z.infer<typeof seriesDocSchema>;
type TierDoc = z.infer<typeof tierSchema>;

const writer = new IntWriter();
const peaks = new IntWriter();

export function encodeSeries(series: Series): SeriesDoc {
  return {
    last: Number.isFinite(series.last) ? series.last : null,
    tiers: series.tiers.map((tier) => {
      const positions = retainedPositions(series, tier);
      let prevSlot = 0;
      for (const pos of positions) {
        const s = tier.slots[pos] as number;
        writer.push(s - prevSlot);
        prevSlot = s;
      }
      const doc: TierDoc = { step: tier.step, size: tier.size, slots: writer.text(), cols: {} };
      for (let f = 0; f < FIELD_COUNT; f++) {
        const avgCol = tier.avg[f];
        if (!avgCol) continue;
        const field = METRIC_FIELDS[f] as MetricField;
        const q = QUANTUM[field];
        const maxCol = tier.max[f];
        let prev = 0;
        let anyValue = false;
        let anyPeak = false;
        for (let k = 0; k < positions.length; k++) {
          const pos = positions[k] as number;
          const v = avgCol[pos] as number;
          if (v !== v) {
            writer.push(0);
            continue;
          }
          const code = Math.round(v / q);
          writer.push(zigzag(code - prev) + 1);
          prev = code;
          anyValue = true;
          const peak = maxCol ? Math.round((maxCol[pos] as number) / q) - code : 0;
          peaks.push(zigzag(peak));
          if (peak !== 0) anyPeak = true;
        }
        const a = writer.text();
        const m = peaks.text();
        if (!anyValue) continue;
        doc.cols[field] = anyPeak ? { q, a, m } : { q, a };
      }
      if (tier.open.slot >= 0) {
        const f: NonNullable<TierDoc['open']>['f'] = {};
        for (let i = 0; i < FIELD_COUNT; i++) {
          const n = tier.open.n[i] as number;
          if (n > 0) f[METRIC_FIELDS[i] as MetricField] = [n, tier.open.sum[i] as number, tier.open.max[i] as number];
        }
        doc.open = { slot: tier.open.slot, f };
      }
      return doc;
    }),
  };
}

/**
 * Rebuilds a series into the configured tiers. A stored tier whose step is no longer configured
 * is dropped; one whose size changed keeps its newest buckets. Throws on anything malformed.
 */
export function decodeSeries(input: unknown, specs: readonly TierSpec[]): Series {
  const doc = seriesDocSchema.parse(input);
  const series = createSeries(specs);
  series.last = doc.last ?? -Infinity;
  for (const stored of doc.tiers) {
    const tier = series.tiers.find((t) => t.step === stored.step);
    if (!tier) continue;
    const slots = decodeSlots(stored.slots);
    const { size } = tier;
    const positions = new Int32Array(slots.length);
    // Oldest first, so when the ring is now smaller the newest buckets win their positions.
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as number;
      positions[i] = slot % size;
      tier.slots[slot % size] = slot;
    }
    METRIC_FIELDS.forEach((field, f) => {
      const col = stored.cols[field];
      if (!col) return;
      const avg = (tier.avg[f] = new Float32Array(size).fill(NaN));
      const max = col.m === undefined ? undefined : (tier.max[f] = new Float32Array(size).fill(NaN));
      decodeColumn(col, positions, avg, max, field);
    });
    if (stored.open) {
      const n = new Float64Array(FIELD_COUNT);
      const sum = new Float64Array(FIELD_COUNT);
      const peak = new Float64Array(FIELD_COUNT);
      METRIC_FIELDS.forEach((field, f) => {
        const entry = stored.open?.f[field];
        if (entry) [n[f], sum[f], peak[f]] = entry;
      });
      setOpenBucket(tier, stored.open.slot, n, sum, peak);
    }
  }
  // A series whose newest bucket lies after its last sample was not written by us.
  for (const tier of series.tiers) {
    let newest = tier.open.slot;
    for (const pos of retainedPositions(series, tier)) newest = Math.max(newest, tier.slots[pos] as number);
    if (newest >= 0 && newest * tier.step > series.last) throw new CodecError(`a ${tier.step} ms bucket lies after the last sample`);
  }
  return series;
}

function decodeSlots(text: string): Float64Array {
  const slots = decodeUnsigned(text);
  let s = 0;
  for (let i = 0; i < slots.length; i++) {
    const d = slots[i] as number;
    if (i > 0 && d < 1) throw new CodecError('bucket numbers must increase');
    s += d;
    slots[i] = s;
  }
  return slots;
}

/** Writes a stored column straight into the ring's columns (NaN already marks "no value"). */
function decodeColumn(doc: z.infer<typeof columnSchema>, positions: Int32Array, avg: Float32Array, max: Float32Array | undefined, field: string): void {
  const a = decodeUnsigned(doc.a);
  const count = positions.length;
  if (a.length !== count) throw new CodecError(`${field}: ${a.length} averages for ${count} buckets`);
  const m = doc.m === undefined ? undefined : decodeUnsigned(doc.m);
  const q = doc.q;
  let prev = 0;
  let j = 0;
  for (let i = 0; i < count; i++) {
    const code = a[i] as number;
    const pos = positions[i] as number;
    if (code === 0) {
      avg[pos] = NaN;
      if (max) max[pos] = NaN;
      continue;
    }
    prev += unzigzag(code - 1);
    avg[pos] = prev * q;
    if (m && max) {
      if (j >= m.length) throw new CodecError(`${field}: fewer peaks than averages`);
      max[pos] = (prev + unzigzag(m[j++] as number)) * q;
    }
  }
  if (m && j !== m.length) throw new CodecError(`${field}: ${m.length} peaks for ${j} averages`);
}
