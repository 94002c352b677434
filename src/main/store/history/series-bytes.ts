import { METRIC_FIELDS, type MetricField } from '../../../shared/metrics';
import { ByteSink, putUint } from './byte-sink';
import { zigzag } from './int-codec';
import { QUANTUM } from './series-codec';
import { FIELD_COUNT, anchorSlot, type Series, type Tier } from './tiers';

/**
 * Writes a series in the history file's format (series-codec.ts describes it; `decodeSeries`
 * reads it back) straight into bytes, keeping the encoded text of a tier's closed buckets for the
 * next compaction. Every hour every shard changes, but only at the ends of its rings: a minute
 * tier gains 60 buckets of its 1 440, the coarser tiers one or two. Buckets are taken in blocks
 * of BLOCK slot numbers; the whole blocks older than the newest bucket are kept, per tier, as one
 * run of bytes per part of the file (the slots, each field's averages and peaks), so writing them
 * again is a copy. The runs of a tier share one array, rebuilt only when blocks are added: one
 * allocation per tier and compaction (many small ones made the collector the main cost). A kept block is let go when its buckets leave the ring, when one of them is
 * written again (`stamps`), or when the value before it changed (the text is differences).
 * The output is the bytes JSON.stringify gave for `encodeSeries`: files read as before.
 */
const BLOCK = 32;
/** The slots, then per field its averages and its peaks. */
const PARTS = 1 + 2 * FIELD_COUNT;

/** Where a block's differences start from, or end: its slot number, then per field its value code. */
type Chain = number[];

/** A block encoded now, in the encoder's scratch: part p is [ends[p], ends[p + 1]). */
interface Fresh {
  ends: number[];
  out: Chain;
  /** Fields with at least one value, and with at least one peak above its average (bit f). */
  values: number;
  peaks: number;
}

interface Kept {
  /** Where each of its parts ends in the tier's `bytes`. */
  end: number[];
  out: Chain;
  values: number;
  peaks: number;
}

interface TierCache {
  /** `tier.edits` when the kept blocks were last checked. */
  edits: number;
  /** Fields that had a column of averages (bit f). */
  columns: number;
  /** Block number of blocks[0], and the chain it starts from. */
  first: number;
  chainIn: Chain;
  blocks: Kept[];
  /** The runs of every part; part p's kept bytes are [start[p], its last block's end[p]). */
  bytes: Uint8Array;
  start: number[];
  /** Where part p's room ends: blocks are appended in place while they fit. */
  limit: number[];
}

const KEPT = 'kept';

export class SeriesEncoder {
  /** Per tier (so per series): gone with the series. */
  private readonly cache = new WeakMap<Tier, TierCache>();
  private readonly fresh = new ByteSink();
  private readonly peaks = new ByteSink();
  private readonly positions = new Int32Array(BLOCK);
  /** Blocks encoded afresh and written from what was kept, since the encoder was made (for the bench and tests). */
  readonly counts = { encoded: 0, reused: 0 };

  encode(series: Series, out: ByteSink): void {
    out.text(`{"last":${Number.isFinite(series.last) ? JSON.stringify(series.last) : 'null'},"tiers":[`);
    series.tiers.forEach((tier, i) => {
      if (i > 0) out.text(',');
      this.encodeTier(series, tier, out);
    });
    out.text(']}');
  }

  private encodeTier(series: Series, tier: Tier, out: ByteSink): void {
    let cache = this.cache.get(tier);
    if (!cache) this.cache.set(tier, (cache = { edits: 0, columns: 0, first: 0, chainIn: [], blocks: [], bytes: new Uint8Array(0), start: new Array<number>(PARTS).fill(0), limit: new Array<number>(PARTS).fill(0) }));
    const segments = this.segments(series, tier, cache);
    const parts = (p: number): void => {
      for (const s of segments) {
        if (s === KEPT) out.bytes(cache.bytes, cache.start[p] as number, stop(cache, p));
        else out.bytes(this.fresh.buf, s.ends[p] as number, s.ends[p + 1] as number);
      }
    };
    let values = 0;
    let peaks = 0;
    for (const s of segments) {
      const blocks = s === KEPT ? cache.blocks : [s];
      for (const b of blocks) {
        values |= b.values;
        peaks |= b.peaks;
      }
    }
    out.text(`{"step":${tier.step},"size":${tier.size},"slots":"`);
    parts(0);
    out.text('","cols":{');
    let first = true;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const bit = 1 << f;
      if (!tier.avg[f] || !(values & bit)) continue;
      const field = METRIC_FIELDS[f] as MetricField;
      out.text(`${first ? '' : ','}"${field}":{"q":${JSON.stringify(QUANTUM[field])},"a":"`);
      first = false;
      parts(1 + 2 * f);
      if (peaks & bit) {
        out.text('","m":"');
        parts(2 + 2 * f);
      }
      out.text('"}');
    }
    out.text('}');
    const open = tier.open;
    if (open.slot >= 0) {
      out.text(`,"open":{"slot":${open.slot},"f":{`);
      let any = false;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const n = open.n[f] as number;
        if (!(n > 0)) continue;
        out.text(`${any ? ',' : ''}"${METRIC_FIELDS[f] as MetricField}":${JSON.stringify([n, open.sum[f], open.max[f]])}`);
        any = true;
      }
      out.text('}}');
    }
    out.text('}');
  }

  /** The tier's retained buckets, oldest first: blocks encoded now, and at most one stretch of kept ones (appended to as it goes). */
  private segments(series: Series, tier: Tier, cache: TierCache): Array<Fresh | typeof KEPT> {
    this.fresh.n = 0;
    const anchor = anchorSlot(series, tier);
    if (anchor < 0) return [];
    const lo = Math.max(0, anchor - tier.size + 1);
    const last = Math.floor(anchor / BLOCK);
    const columns = tier.avg.reduce((mask, col, f) => (col ? mask | (1 << f) : mask), 0);
    settle(cache, tier, columns, Math.ceil(lo / BLOCK), last);
    const segments: Array<Fresh | typeof KEPT> = [];
    let chain: Chain = new Array<number>(1 + FIELD_COUNT).fill(0);
    let kept = false;
    const added: Fresh[] = [];
    for (let b = Math.floor(lo / BLOCK); b <= last; b++) {
      if (!kept && cache.blocks.length > 0 && b === cache.first) {
        if (sameChain(chain, cache.chainIn)) {
          kept = true;
          segments.push(KEPT);
          this.counts.reused += cache.blocks.length;
          chain = (cache.blocks[cache.blocks.length - 1] as Kept).out;
          b += cache.blocks.length - 1;
          continue;
        }
        // Its text starts from another value now: encode it again, as the first of the ring.
        dropFirst(cache);
      }
      const from = Math.max(lo, b * BLOCK);
      const to = Math.min(anchor, b * BLOCK + BLOCK - 1);
      const before = chain;
      const block = this.encodeBlock(tier, from, to, chain);
      this.counts.encoded++;
      chain = block.out;
      const whole = from === b * BLOCK && to === b * BLOCK + BLOCK - 1 && to < anchor;
      if (whole && (kept || cache.blocks.length === 0)) {
        if (!kept) {
          cache.first = b;
          cache.chainIn = before;
          kept = true;
          segments.push(KEPT);
        }
        added.push(block);
      } else segments.push(block);
    }
    cache.columns = columns;
    if (added.length > 0) this.keep(cache, added);
    return segments;
  }

  /** Rebuilds the tier's runs with the blocks added at their ends. */
  /**
   * Appends the blocks to the tier's runs: in place while every part has room, else into a new
   * array with a quarter of room to spare per part (so a minute tier is rebuilt every few hours,
   * not at each compaction: copying and allocating it was most of an hourly compaction).
   */
  private keep(cache: TierCache, added: readonly Fresh[]): void {
    const fresh = this.fresh.buf;
    const size = (p: number) => added.reduce((sum, block) => sum + (block.ends[p + 1] as number) - (block.ends[p] as number), 0);
    let fits = true;
    for (let p = 0; p < PARTS && fits; p++) fits = stop(cache, p) + size(p) <= (cache.limit[p] as number);
    if (!fits) {
      const room = Array.from({ length: PARTS }, (_, p) => {
        const live = stop(cache, p) - (cache.start[p] as number) + size(p);
        return live + (live >> 2) + 16;
      });
      const bytes = new Uint8Array(room.reduce((a, b) => a + b, 0));
      let o = 0;
      for (let p = 0; p < PARTS; p++) {
        const from = cache.start[p] as number;
        const to = stop(cache, p);
        bytes.set(cache.bytes.subarray(from, to), o);
        const shift = o - from;
        for (const k of cache.blocks) k.end[p] = (k.end[p] as number) + shift;
        cache.start[p] = o;
        o += room[p] as number;
        cache.limit[p] = o;
      }
      cache.bytes = bytes;
    }
    const bytes = cache.bytes;
    for (const block of added) {
      const end = new Array<number>(PARTS).fill(0);
      for (let p = 0; p < PARTS; p++) {
        let o = stop(cache, p);
        // A part of a block is a few dozen bytes: a plain loop, not a subarray per copy.
        const z = block.ends[p + 1] as number;
        for (let a = block.ends[p] as number; a < z; a++) bytes[o++] = fresh[a] as number;
        end[p] = o;
      }
      cache.blocks.push({ end, out: block.out, values: block.values, peaks: block.peaks });
    }
  }

  private encodeBlock(tier: Tier, from: number, to: number, chainIn: Chain): Fresh {
    const positions = this.positions;
    let count = 0;
    for (let s = from; s <= to; s++) {
      const pos = s % tier.size;
      if (tier.slots[pos] === s && s !== tier.open.slot) positions[count++] = pos;
    }
    const sink = this.fresh;
    const peakSink = this.peaks;
    // At most 11 bytes a value: room for the whole block once, then plain writes.
    sink.room(11 * count * PARTS);
    peakSink.room(11 * count);
    const buf = sink.buf;
    const peakBuf = peakSink.buf;
    let n = sink.n;
    const ends = [n];
    const out = chainIn.slice();
    let slot = out[0] as number;
    for (let k = 0; k < count; k++) {
      const s = tier.slots[positions[k] as number] as number;
      n = putUint(buf, n, s - slot);
      slot = s;
    }
    out[0] = slot;
    ends.push(n);
    let values = 0;
    let peaks = 0;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const avgCol = tier.avg[f];
      if (avgCol) {
        const bit = 1 << f;
        const q = QUANTUM[METRIC_FIELDS[f] as MetricField];
        const maxCol = tier.max[f];
        let prev = out[1 + f] as number;
        let m = 0;
        for (let k = 0; k < count; k++) {
          const pos = positions[k] as number;
          const v = avgCol[pos] as number;
          if (v !== v) {
            n = putUint(buf, n, 0);
            continue;
          }
          const c = Math.round(v / q);
          n = putUint(buf, n, zigzag(c - prev) + 1);
          prev = c;
          values |= bit;
          const peak = maxCol ? Math.round((maxCol[pos] as number) / q) - c : 0;
          m = putUint(peakBuf, m, zigzag(peak));
          if (peak !== 0) peaks |= bit;
        }
        out[1 + f] = prev;
        ends.push(n);
        buf.set(peakBuf.subarray(0, m), n);
        n += m;
      } else ends.push(n);
      ends.push(n);
    }
    sink.n = n;
    return { ends, out, values, peaks };
  }
}

/**
 * Lets go of kept blocks that no longer hold: all of them when the set of columns changed; those
 * from the oldest bucket written since the last look on; those that left the ring, or reach the
 * block of its newest bucket (which is never kept).
 */
function settle(cache: TierCache, tier: Tier, columns: number, firstWhole: number, last: number): void {
  let upTo = last;
  if (cache.columns !== columns) upTo = -Infinity;
  else if (tier.edits !== cache.edits) {
    let oldest = Infinity;
    for (let pos = 0; pos < tier.size; pos++) if ((tier.stamps[pos] as number) > cache.edits) oldest = Math.min(oldest, tier.slots[pos] as number);
    upTo = Math.min(upTo, Math.floor(oldest / BLOCK));
  }
  cache.edits = tier.edits;
  const keep = Math.max(0, Math.min(cache.blocks.length, upTo - cache.first));
  if (keep < cache.blocks.length) cache.blocks.length = keep;
  if (keep === 0) {
    cache.bytes = new Uint8Array(0);
    cache.start.fill(0);
    cache.limit.fill(0);
  }
  while (cache.blocks.length > 0 && cache.first < firstWhole) dropFirst(cache);
}

/** Where part p's kept bytes end. */
function stop(cache: TierCache, p: number): number {
  const last = cache.blocks[cache.blocks.length - 1];
  return last ? (last.end[p] as number) : (cache.start[p] as number);
}

function dropFirst(cache: TierCache): void {
  const gone = cache.blocks.shift() as Kept;
  for (let p = 0; p < PARTS; p++) cache.start[p] = gone.end[p] as number;
  cache.chainIn = gone.out;
  cache.first++;
}

function sameChain(a: Chain, b: Chain): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return a.length === b.length;
}
