import { METRIC_FIELDS, type MetricField } from '../../../shared/metrics';
import { ByteSink, putUint } from './byte-sink';
import { zigzag } from './int-codec';
import { BLOCK, PARTS, appendRuns, dropFirst, emptyCache, sameChain, settle, stop, type Chain, type Fresh, type TierCache } from './kept-runs';
import { FIELD_COUNT, QUANTUM, anchorSlot, type Series, type Tier } from './tiers';

/**
 * Writes a series in the history file's format (series-codec.ts describes it; `decodeSeries`
 * reads it back) straight into bytes, keeping the encoded text of a tier's closed buckets for the
 * next compaction (kept-runs.ts). Every hour every shard changes, but only at the ends of its
 * rings: a minute tier gains 60 buckets of its 1 440, the coarser tiers one or two, and each
 * ring's start moves on as much. So an hour encodes the buckets that closed since (appended to
 * the kept text) and the ring's first, partial block, and copies everything else. (Writing that
 * first block from the kept text of the whole one, rewriting only its first values, did less
 * work but made the first hourly compaction of a process 2-3 times slower: that code ran cold,
 * where encoding a block runs the code the first compaction made hot.)
 * The output is the bytes JSON.stringify gave for `encodeSeries`: files read as before.
 */

/** What a tier is written from, oldest first: text encoded now, and at most one stretch of kept blocks. */
type Segments = Array<Fresh | typeof KEPT>;

const KEPT = 'kept';

/** The text before each field's column, first of the columns and after another (JSON punctuation and the quantum). */
const COLUMN_HEADS = METRIC_FIELDS.map((field) => [`"${field}":{"q":${JSON.stringify(QUANTUM[field])},"a":"`, `,"${field}":{"q":${JSON.stringify(QUANTUM[field])},"a":"`]);

/** A double as JSON writes it (`${x}` is the same text for finite numbers). */
const json = (x: number): string => (Number.isFinite(x) ? `${x}` : 'null');

export class SeriesEncoder {
  /** Per tier (so per series): gone with the series. */
  private readonly cache = new WeakMap<Tier, TierCache>();
  private readonly fresh = new ByteSink();
  private readonly peaks = new ByteSink();
  private readonly positions = new Int32Array(BLOCK);
  /** Blocks (or ends of blocks) encoded afresh, blocks written from what was kept, and buckets encoded, since the encoder was made (for the bench and tests). */
  readonly counts = { encoded: 0, reused: 0, buckets: 0 };

  encode(series: Series, out: ByteSink): void {
    out.ascii(`{"last":${Number.isFinite(series.last) ? JSON.stringify(series.last) : 'null'},"tiers":[`);
    const tiers = series.tiers;
    for (let i = 0; i < tiers.length; i++) {
      if (i > 0) out.ascii(',');
      this.encodeTier(series, tiers[i] as Tier, out);
    }
    out.ascii(']}');
  }

  private encodeTier(series: Series, tier: Tier, out: ByteSink): void {
    let cache = this.cache.get(tier);
    if (!cache) this.cache.set(tier, (cache = emptyCache()));
    const list = this.segments(series, tier, cache);
    const kept = cache;
    const fresh = this.fresh.buf;
    const parts = (p: number): void => {
      for (const s of list) {
        if (s === KEPT) out.run(kept.bytes, kept.start[p] as number, stop(kept, p));
        else out.bytes(fresh, s.ends[p] as number, s.ends[p + 1] as number);
      }
    };
    let values = 0;
    let peaks = 0;
    for (const s of list) {
      if (s !== KEPT) {
        values |= s.values;
        peaks |= s.peaks;
        continue;
      }
      const blocks = kept.blocks;
      for (let k = 0; k < blocks.length; k++) {
        values |= (blocks[k] as { values: number }).values;
        peaks |= (blocks[k] as { peaks: number }).peaks;
      }
    }
    out.ascii(`{"step":${tier.step},"size":${tier.size},"slots":"`);
    parts(0);
    out.ascii('","cols":{');
    let first = true;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const bit = 1 << f;
      if (!tier.avg[f] || !(values & bit)) continue;
      out.ascii((COLUMN_HEADS[f] as string[])[first ? 0 : 1] as string);
      first = false;
      parts(1 + 2 * f);
      if (peaks & bit) {
        out.ascii('","m":"');
        parts(2 + 2 * f);
      }
      out.ascii('"}');
    }
    out.ascii('}');
    const open = tier.open;
    if (open.slot >= 0) {
      let text = `,"open":{"slot":${open.slot},"f":{`;
      let any = false;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const n = open.n[f] as number;
        if (!(n > 0)) continue;
        text += `${any ? ',' : ''}"${METRIC_FIELDS[f] as MetricField}":[${json(n)},${json(open.sum[f] as number)},${json(open.max[f] as number)}]`;
        any = true;
      }
      out.ascii(`${text}}}}`);
    } else out.ascii('}');
  }

  /**
   * The tier's retained buckets, oldest first: the ring's first, partial block encoded now; the
   * kept stretch, extended by the buckets closed since; then any block encoded now, kept when it
   * continues the stretch (or starts one).
   */
  private segments(series: Series, tier: Tier, cache: TierCache): Segments {
    this.fresh.n = 0;
    const anchor = anchorSlot(series, tier);
    if (anchor < 0) return [];
    const lo = Math.max(0, anchor - tier.size + 1);
    // The open bucket is not written with the closed ones (it has its own entry).
    const closedTo = tier.open.slot >= 0 ? anchor - 1 : anchor;
    const columns = tier.avg.reduce((mask, col, f) => (col ? mask | (1 << f) : mask), 0);
    // Kept blocks lie wholly in the ring: the one `lo` cuts is let go.
    settle(cache, tier, columns, Math.ceil(lo / BLOCK), closedTo);
    const list: Segments = [];
    let chain: Chain = new Array<number>(1 + FIELD_COUNT).fill(0);
    let kept = false;
    let extend: Fresh | undefined;
    const added: Fresh[] = [];
    const last = Math.floor(closedTo / BLOCK);
    for (let b = Math.floor(lo / BLOCK); b <= last; b++) {
      const blocks = cache.blocks;
      if (!kept && blocks.length > 0 && b === cache.first) {
        if (sameChain(chain, cache.chainIn)) {
          kept = true;
          list.push(KEPT);
          this.counts.reused += blocks.length;
          const tail = blocks[blocks.length - 1] as { out: Chain; through: number };
          chain = tail.out;
          b = cache.first + blocks.length - 1;
          const to = Math.min(b * BLOCK + BLOCK - 1, closedTo);
          if (tail.through < to) {
            extend = this.encodeBlock(tier, tail.through + 1, to, chain);
            this.counts.encoded++;
            chain = extend.out;
          }
          continue;
        }
        // Its text starts from another value now: encode it again, as the first of the ring.
        dropFirst(cache);
      }
      const from = Math.max(lo, b * BLOCK);
      const before = chain;
      const block = this.encodeBlock(tier, from, Math.min(closedTo, b * BLOCK + BLOCK - 1), chain);
      this.counts.encoded++;
      chain = block.out;
      // A block is kept from its start: the ring's first, partial block is encoded afresh each time.
      if (from === b * BLOCK && (kept || cache.blocks.length === 0)) {
        if (!kept) {
          cache.first = b;
          cache.chainIn = before;
          kept = true;
          list.push(KEPT);
        }
        added.push(block);
      } else list.push(block);
    }
    if (extend || added.length > 0) appendRuns(cache, this.fresh.buf, extend, added);
    return list;
  }

  /** Buckets [from, to] (at most a block's), differences from `chainIn`, into the scratch. */
  private encodeBlock(tier: Tier, from: number, to: number, chainIn: Chain): Fresh {
    const positions = this.positions;
    let count = 0;
    for (let s = from; s <= to; s++) {
      const pos = s % tier.size;
      if (tier.slots[pos] === s && s !== tier.open.slot) positions[count++] = pos;
    }
    this.counts.buckets += count;
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
    return { ends, out, values, peaks, to };
  }
}
