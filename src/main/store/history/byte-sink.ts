import { CodecError } from './int-codec';

/**
 * A growable byte buffer that history files are written into: JSON punctuation, numbers and the
 * compact integer text of int-codec land straight in bytes, so a shard never exists as a
 * JavaScript string (building one of 2 MB and converting it back to UTF-8 cost as much as
 * encoding it). The integer alphabet is int-codec's; see there for the scheme.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));

/** Shorter runs are copied even by a referring sink: a chunk of a few hundred bytes costs the kernel more than the copy. */
const REF_MIN = 256;

/**
 * A referring sink (a shard's file, written with writev) keeps runs of text the series encoder
 * kept as references, not copies: copying 27 MB of kept text into shard buffers cost memory for
 * every shard written at once. One class for both kinds: a subclass made the encoder's calls
 * polymorphic, and a process that used both (the bench) paid for it in every compaction.
 */
export class ByteSink {
  /** Plain Uint8Array (not Buffer) so that copying between sinks and blocks stays monomorphic. */
  buf: Uint8Array;
  n = 0;
  /** The same memory as a Buffer, for its UTF-8 writer. */
  private asBuffer: Buffer;
  /** Where each referred run goes (an offset in `buf`), and the run. */
  private readonly refAt: number[] = [];
  private readonly refFrom: Uint8Array[] = [];
  private readonly refStart: number[] = [];
  private readonly refEnd: number[] = [];

  constructor(
    size = 4096,
    private readonly refer = false,
  ) {
    this.buf = new Uint8Array(size);
    this.asBuffer = Buffer.from(this.buf.buffer, 0, size);
  }

  /** Any text, as UTF-8 (JSON punctuation, numbers, an escaped server id). */
  text(value: string): void {
    this.room(value.length * 3);
    this.n += this.asBuffer.write(value, this.n, 'utf8');
  }

  /**
   * Text known to be ASCII (JSON punctuation, field names, numbers): a plain loop. Tens of
   * thousands of these short writes a compaction cost more through the UTF-8 writer.
   */
  ascii(value: string): void {
    const length = value.length;
    this.room(length);
    const buf = this.buf;
    let n = this.n;
    for (let i = 0; i < length; i++) buf[n++] = value.charCodeAt(i);
    this.n = n;
  }

  /** A number as JSON writes it. */
  number(value: number): void {
    this.text(JSON.stringify(value));
  }

  /** Appends a non-negative safe integer in int-codec's text (the same bytes as `IntWriter.push`). */
  uint(value: number): void {
    this.room(11);
    this.n = putUint(this.buf, this.n, value);
  }

  /** Makes room for `extra` more bytes, for a caller that writes `buf` itself (with `putUint`) and sets `n`. */
  room(extra: number): void {
    if (this.n + extra <= this.buf.length) return;
    this.grow(extra);
  }

  bytes(from: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    copyBytes(from, start, end, this.buf, this.n);
    this.n += end - start;
  }

  /**
   * A run of text the series encoder kept: a referring sink keeps a reference when it is long
   * (valid until the encoder writes the same series again: the next compaction, which waits for
   * this one's writes), any other sink copies it.
   */
  run(from: Uint8Array, start: number, end: number): void {
    if (!this.refer || end - start < REF_MIN) {
      this.bytes(from, start, end);
      return;
    }
    this.refAt.push(this.n);
    this.refFrom.push(from);
    this.refStart.push(start);
    this.refEnd.push(end);
  }

  /** Empties the sink, references too (its memory is kept); the chunks of what it held must be written by now. */
  reset(): void {
    this.n = 0;
    this.refAt.length = 0;
    this.refFrom.length = 0;
    this.refStart.length = 0;
    this.refEnd.length = 0;
  }

  /** What was written, its own bytes and the runs referred to, in order: valid until the sink is written to again. */
  chunks(): Uint8Array[] {
    const own = this.view();
    const out: Uint8Array[] = [];
    let done = 0;
    for (let k = 0; k < this.refAt.length; k++) {
      const at = this.refAt[k] as number;
      if (at > done) out.push(own.subarray(done, at));
      done = at;
      out.push((this.refFrom[k] as Uint8Array).subarray(this.refStart[k], this.refEnd[k]));
    }
    if (this.n > done) out.push(own.subarray(done, this.n));
    return out;
  }

  /** What was written, copied out; the sink is then empty and keeps its memory. */
  take(): Uint8Array {
    const out = new Uint8Array(this.n);
    out.set(this.buf.subarray(0, this.n));
    this.n = 0;
    return out;
  }

  /** What was written, without a copy: valid until the sink is written to again. */
  view(): Buffer {
    return this.asBuffer.subarray(0, this.n);
  }

  private grow(extra: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + extra));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
    this.asBuffer = Buffer.from(next.buffer, 0, next.length);
  }
}

/**
 * Copies [start, end) of `from` to `to` at `at`. A run of a few dozen bytes is copied in a loop,
 * cheaper than making a subarray to copy from; a longer one with the built-in copy, which is
 * as fast the first time it runs (an hourly compaction runs its code cold) as the thousandth.
 */
export function copyBytes(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
  if (end - start > 64) to.set(from.subarray(start, end), at);
  else for (let i = start, j = at; i < end; i++, j++) to[j] = from[i] as number;
}

/**
 * Writes a non-negative safe integer at `n` (room for 11 bytes is the caller's), returns the new
 * end. A plain function over locals: the encoder's inner loop calls it tens of millions of times.
 */
export function putUint(buf: Uint8Array, n: number, value: number): number {
  let v = value;
  let i = n;
  if (v >= 0 && v < 0x80000000 && (v | 0) === v) {
    while (v >= 32) {
      buf[i++] = CODES[(v & 31) | 32] as number;
      v >>>= 5;
    }
    buf[i++] = CODES[v] as number;
    return i;
  }
  if (!Number.isSafeInteger(v) || v < 0) throw new CodecError(`cannot encode ${value}: not a non-negative safe integer`);
  while (v >= 32) {
    buf[i++] = CODES[(v % 32) + 32] as number;
    v = Math.floor(v / 32);
  }
  buf[i++] = CODES[v] as number;
  return i;
}
