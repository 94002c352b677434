import type { ConsoleClosed, ConsoleData, ConsoleInfo } from '../../shared/contract/consoles';
import type { Clock } from '../base/clock';
import { FlowCredit, OutputBatcher, type FlowOptions } from './flow';
import type { ConsoleSource, SourceEnd } from './source';

export interface SessionOutput {
  data(payload: ConsoleData): void;
  closed(payload: ConsoleClosed): void;
}

/**
 * One open byte stream: source → batches → `console.data`, with the credit that pauses the
 * source. The bytes pass through and are never kept, logged or looked at.
 */
export class ByteSession {
  private seq = 0;
  private readonly credit: FlowCredit;
  private readonly batcher: OutputBatcher;
  private closedBy: string | undefined;
  private ended = false;
  /** For tests and diagnostics. */
  readonly counters = { sentBytes: 0, pauses: 0, resumes: 0 };

  constructor(
    readonly info: ConsoleInfo,
    private readonly source: ConsoleSource,
    clock: Clock,
    flow: FlowOptions,
    private readonly out: SessionOutput,
    private readonly onEnd: (session: ByteSession) => void,
  ) {
    this.credit = new FlowCredit(flow);
    this.batcher = new OutputBatcher(clock, flow, (data, stream) => this.emit(data, stream));
    source.onData((chunk, stream) => {
      if (!this.ended) this.batcher.push(chunk, stream);
    });
    source.onClose((end) => this.finish(end));
  }

  get unacked(): number {
    return this.credit.unacked;
  }

  get paused(): boolean {
    return this.credit.paused;
  }

  write(data: Buffer): void {
    if (!this.ended) this.source.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.ended) return;
    this.info.cols = cols;
    this.info.rows = rows;
    this.source.resize(cols, rows);
  }

  /** `all`: the window lost output in transit and will never acknowledge it; start afresh. */
  ack(bytes: number, all = false): void {
    if (this.credit.acked(all ? Number.POSITIVE_INFINITY : bytes) === 'resume' && !this.ended) {
      this.counters.resumes += 1;
      this.source.resume();
    }
  }

  /** Closes on request; `reason` is what the closed banner says. */
  close(reason: string): void {
    if (this.ended) return;
    this.closedBy = reason;
    this.source.close();
  }

  private emit(data: Buffer, stream: 'stdout' | 'stderr'): void {
    this.seq += 1;
    this.counters.sentBytes += data.length;
    this.out.data({ sessionId: this.info.sessionId, seq: this.seq, data: data.toString('base64'), bytes: data.length, ...(stream === 'stderr' ? { stream } : {}) });
    if (this.credit.sent(data.length) === 'pause' && !this.ended) {
      this.counters.pauses += 1;
      this.source.pause();
    }
  }

  private finish(end: SourceEnd): void {
    if (this.ended) return;
    // What the source said last is still delivered before the end.
    this.batcher.flush();
    this.ended = true;
    this.batcher.dispose();
    const reason = this.closedBy ?? end.reason;
    this.out.closed({
      sessionId: this.info.sessionId,
      reason,
      error: this.closedBy ? false : end.error,
      ...(end.exitCode !== undefined ? { exitCode: end.exitCode } : {}),
      ...(end.signal ? { signal: end.signal } : {}),
    });
    this.onEnd(this);
  }
}
