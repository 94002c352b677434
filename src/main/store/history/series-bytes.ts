import { METRIC_FIELDS, type MetricField } from '../../../shared/metrics';
import { ByteSink, putUint } from './byte-sink';
import { zigzag } from './int-codec';
import { BLOCK, PARTS, appendRuns, dropFirst, emptyCache, runStart, sameChain, settle, stop, trimHead, type Chain, type Fresh, type TierCache } from './kept-runs';
import { QUANTUM } from './series-codec';
import { FIELD_COUNT, anchorSlot, type Series, type Tier } from './tiers';

/**
 * Writes a series in the history file's format (series-codec.ts describes it; `decodeSeries`
 * reads it back) straight into bytes, keeping the encoded text of a tier's closed buckets for the
 * next compaction (kept-runs.ts). Every hour every shard changes, but only at the ends of its
 * rings: a minute tier gains 60 buckets of its 1 440, the coarser tiers one or two, and each
 * ring's start moves on as much. So an hour encodes the buckets that closed since (appended to
 * the kept text), rewrites the first value of each run at the ring's start (the rest of the
 * oldest block is copied from its kept text), and copies everything else.
 * The output is the bytes JSON.stringify gave for `encodeSeries`: files read as before.
 */

/** What a tier is written from, oldest first: text encoded now, and at most one stretch of kept blocks (from kept block `skip` on). */
interface Segments {
  list: Array<Fresh | typeof KEPT>;
  skip: number;
}

const KEPT = 'kept';
const NO_SEGMENTS: Segments = { list: [], skip: 0 };

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
  /** Blocks encoded afresh and written from what was kept, since the encoder was made (for the bench and tests). */
  readonly counts = { encoded: 0, reused: 0 };

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
    const { list, skip } = this.segments(series, tier, cache);
    const kept = cache;
    const fresh = this.fresh.buf;
    const parts = (p: number): void => {
      for (const s of list) {
        if (s === KEPT) out.run(kept.bytes, runStart(kept, p, skip), stop(kept, p));
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
      for (let k = skip; k < blocks.length; k++) {
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
   * The tier's retained buckets, oldest first. The ring's first block is written from its kept
   * text when it has one; then the kept stretch, extended by the buckets closed since; then any
   * block encoded now, kept when it continues the stretch (or starts one).
   */
  private segments(series: Series, tier: Tier, cache: TierCache): Segments {
    this.fresh.n = 0;
    const anchor = anchorSlot(series, tier);
    if (anchor < 0) return NO_SEGMENTS;
    const lo = Math.max(0, anchor - tier.size + 1);
    // The open bucket is not written with the closed ones (it has its own entry).
    const closedTo = tier.open.slot >= 0 ? anchor - 1 : anchor;
    const columns = tier.avg.reduce((mask, col, f) => (col ? mask | (1 << f) : mask), 0);
    const b0 = Math.floor(lo / BLOCK);
    settle(cache, tier, columns, b0, closedTo);
    const list: Array<Fresh | typeof KEPT> = [];
    let chain: Chain = new Array<number>(1 + FIELD_COUNT).fill(0);
    let skip = 0;
    if (cache.blocks.length > 0 && cache.first === b0 && lo > b0 * BLOCK) {
      const head = cache.blocks[0] as { out: Chain; through: number };
      const mark = this.fresh.n;
      const trimmed = head.through === b0 * BLOCK + BLOCK - 1 ? trimHead(cache, lo, this.fresh) : undefined;
      // The kept blocks after it start from its last values; a field whose values all fell before `lo` ends elsewhere now.
      if (trimmed && sameChain(trimmed.out, head.out)) {
        list.push(trimmed);
        chain = trimmed.out;
        skip = 1;
        this.counts.reused++;
      } else {
        this.fresh.n = mark;
        dropFirst(cache);
      }
    }
    let kept = false;
    let extend: Fresh | undefined;
    const added: Fresh[] = [];
    const last = Math.floor(closedTo / BLOCK);
    for (let b = b0 + skip; b <= last; b++) {
      const blocks = cache.blocks;
      // (After a trimmed head the chain is the one the next kept block starts from.)
      if (!kept && blocks.length > skip && b === cache.first + skip) {
        if (skip === 1 || sameChain(chain, cache.chainIn)) {
          kept = true;
          list.push(KEPT);
          this.counts.reused += blocks.length - skip;
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
      // A block is kept from its start, or from the ring's (later rings start further on: `trimHead`).
      if ((from === b * BLOCK || b === b0) && (kept || cache.blocks.length === skip)) {
        if (!kept) {
          if (skip === 0) {
            cache.first = b;
            cache.chainIn = before;
          }
          kept = true;
          list.push(KEPT);
        }
        added.push(block);
      } else list.push(block);
    }
    if (extend || added.length > 0) appendRuns(cache, this.fresh.buf, extend, added);
    return { list, skip };
  }

  /** Buckets [from, to] (at most a block's), differences from `chainIn`, into the scratch. */
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
    return { ends, out, values, peaks, to };
  }
}
