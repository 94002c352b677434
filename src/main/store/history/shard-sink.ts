import { ByteSink } from './byte-sink';

/**
 * A shard's file as the chunks it is written from (with writev): its own bytes (punctuation,
 * server ids, power changes, the text encoded now) and, between them, the runs of text the
 * series encoder kept from the last compaction, referred to rather than copied. Copying 27 MB of
 * kept text into one buffer per shard cost memory for every shard written at once (four); the
 * kernel copies the runs from where they are. The chunks are valid until the encoder writes
 * the same series again (the next compaction, which waits for this one's writes).
 */
/** Shorter runs are copied: a chunk of a few hundred bytes costs the kernel more than the copy. */
const REF_MIN = 256;

export class ShardSink extends ByteSink {
  /** Where each referred run goes in the file (an offset in this sink's own bytes), and the run. */
  private readonly at: number[] = [];
  private readonly from: Uint8Array[] = [];
  private readonly start: number[] = [];
  private readonly end: number[] = [];

  override run(from: Uint8Array, start: number, end: number): void {
    if (end - start < REF_MIN) {
      this.bytes(from, start, end);
      return;
    }
    this.at.push(this.n);
    this.from.push(from);
    this.start.push(start);
    this.end.push(end);
  }

  /** Empties the sink (its memory is kept); the chunks of its last shard must be written by now. */
  reset(): void {
    this.n = 0;
    this.at.length = 0;
    this.from.length = 0;
    this.start.length = 0;
    this.end.length = 0;
  }

  /** The file, in order: valid until the sink is written to again. */
  chunks(): Uint8Array[] {
    const own = this.view();
    const out: Uint8Array[] = [];
    let done = 0;
    for (let k = 0; k < this.at.length; k++) {
      const at = this.at[k] as number;
      if (at > done) out.push(own.subarray(done, at));
      done = at;
      out.push((this.from[k] as Uint8Array).subarray(this.start[k], this.end[k]));
    }
    if (this.n > done) out.push(own.subarray(done, this.n));
    return out;
  }

  /** Bytes in the file. */
  size(): number {
    let size = this.n;
    for (let k = 0; k < this.at.length; k++) size += (this.end[k] as number) - (this.start[k] as number);
    return size;
  }
}
