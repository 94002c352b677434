import { copyBytes } from './byte-sink';
import { FIELD_COUNT, type Tier } from './tiers';

/**
 * The encoded text a tier's closed buckets had at the last compaction, kept for the next one
 * (series-bytes.ts writes with it). Buckets are taken in blocks of BLOCK slot numbers; the kept
 * blocks are contiguous, each part of the file (the slots, each field's averages and peaks) one
 * run of bytes in a shared array. Only the newest kept block may be partial (`through` short of
 * its end): the buckets that close later are appended to it, so an hour costs the text of the
 * hour's buckets, not of the blocks they fall in. No I/O here.
 */
export const BLOCK = 32;
/** The slots, then per field its averages and its peaks. */
export const PARTS = 1 + 2 * FIELD_COUNT;

/** Where a run of differences starts from, or ends: its slot number, then per field its value code. */
export type Chain = number[];

/** Text encoded now, in the encoder's scratch: part p is [ends[p], ends[p + 1]). */
export interface Fresh {
  ends: number[];
  out: Chain;
  /** Fields with at least one value, and with at least one peak above its average (bit f). */
  values: number;
  peaks: number;
  /** The last slot number it covers. */
  to: number;
}

export interface Kept {
  /** Where each of its parts ends in the tier's `bytes`. */
  end: number[];
  out: Chain;
  values: number;
  peaks: number;
  /** The last slot number it covers: its block's last, or less for the newest block. */
  through: number;
}

export interface TierCache {
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

export function emptyCache(): TierCache {
  return { edits: 0, columns: 0, first: 0, chainIn: [], blocks: [], bytes: new Uint8Array(0), start: new Array<number>(PARTS).fill(0), limit: new Array<number>(PARTS).fill(0) };
}

/**
 * Lets go of kept blocks that no longer hold: all of them when the set of columns changed; from
 * the first that covers a bucket written since the last look, or one that is no longer closed
 * (a bucket reopened after a restart: the file leaves the open bucket out); those that start
 * before the ring's (block `firstBlock` is the first that does not).
 */
export function settle(cache: TierCache, tier: Tier, columns: number, firstBlock: number, closedTo: number): void {
  const blocks = cache.blocks;
  let valid = blocks.length;
  if (cache.columns !== columns) valid = 0;
  else if (tier.edits !== cache.edits) {
    let oldest = Infinity;
    for (let pos = 0; pos < tier.size; pos++) if ((tier.stamps[pos] as number) > cache.edits) oldest = Math.min(oldest, tier.slots[pos] as number);
    while (valid > 0 && (blocks[valid - 1] as Kept).through >= oldest) valid--;
  }
  while (valid > 0 && (blocks[valid - 1] as Kept).through > closedTo) valid--;
  cache.edits = tier.edits;
  cache.columns = columns;
  if (valid < blocks.length) blocks.length = valid;
  if (valid === 0) {
    cache.bytes = new Uint8Array(0);
    cache.start.fill(0);
    cache.limit.fill(0);
  }
  while (blocks.length > 0 && cache.first < firstBlock) dropFirst(cache);
}

/** Where part p's kept bytes end. */
export function stop(cache: TierCache, p: number): number {
  const last = cache.blocks[cache.blocks.length - 1];
  return last ? (last.end[p] as number) : (cache.start[p] as number);
}

export function dropFirst(cache: TierCache): void {
  const gone = cache.blocks.shift() as Kept;
  for (let p = 0; p < PARTS; p++) cache.start[p] = gone.end[p] as number;
  cache.chainIn = gone.out;
  cache.first++;
}

export function sameChain(a: Chain, b: Chain): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return a.length === b.length;
}

/**
 * Appends to the runs: `extend` to the newest kept block (the buckets that closed since), then
 * the `added` blocks after it. In place while every part has room, else into a new array with a
 * quarter of room to spare per part (so a minute tier is rebuilt every few hours, not at each
 * compaction: copying and allocating it was most of an hourly compaction).
 */
export function appendRuns(cache: TierCache, fresh: Uint8Array, extend: Fresh | undefined, added: readonly Fresh[]): void {
  const size = (p: number) => added.reduce((sum, block) => sum + (block.ends[p + 1] as number) - (block.ends[p] as number), extend ? (extend.ends[p + 1] as number) - (extend.ends[p] as number) : 0);
  let fits = true;
  for (let p = 0; p < PARTS && fits; p++) fits = stop(cache, p) + size(p) <= (cache.limit[p] as number);
  if (!fits) rebuild(cache, size);
  const bytes = cache.bytes;
  const copy = (block: Fresh, p: number): number => {
    const o = stop(cache, p);
    const from = block.ends[p] as number;
    const z = block.ends[p + 1] as number;
    copyBytes(fresh, from, z, bytes, o);
    return o + z - from;
  };
  const tail = cache.blocks[cache.blocks.length - 1];
  if (extend && tail) {
    for (let p = 0; p < PARTS; p++) tail.end[p] = copy(extend, p);
    tail.out = extend.out;
    tail.values |= extend.values;
    tail.peaks |= extend.peaks;
    tail.through = extend.to;
  }
  for (const block of added) {
    const end = new Array<number>(PARTS).fill(0);
    for (let p = 0; p < PARTS; p++) end[p] = copy(block, p);
    cache.blocks.push({ end, out: block.out, values: block.values, peaks: block.peaks, through: block.to });
  }
}

function rebuild(cache: TierCache, size: (p: number) => number): void {
  const room = Array.from({ length: PARTS }, (_, p) => {
    const live = stop(cache, p) - (cache.start[p] as number) + size(p);
    return live + (live >> 2) + 16;
  });
  const bytes = new Uint8Array(room.reduce((a, b) => a + b, 0));
  let o = 0;
  for (let p = 0; p < PARTS; p++) {
    const from = cache.start[p] as number;
    bytes.set(cache.bytes.subarray(from, stop(cache, p)), o);
    const shift = o - from;
    for (const k of cache.blocks) k.end[p] = (k.end[p] as number) + shift;
    cache.start[p] = o;
    o += room[p] as number;
    cache.limit[p] = o;
  }
  cache.bytes = bytes;
}
