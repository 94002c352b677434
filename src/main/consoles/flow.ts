import type { Clock, TimerHandle } from '../base/clock';
import type { OutputStream } from './source';

/**
 * Flow control between a console source and the window that shows it. Output is batched into
 * events (at most `batchBytes`, or whatever came within `batchMs`), and the source is paused
 * once `highWater` bytes were sent and not acknowledged, resumed at `lowWater`. A window that
 * stops reading (hidden, hung, or gone) so costs main at most about `highWater` bytes.
 */
export interface FlowOptions {
  highWater: number;
  lowWater: number;
  batchMs: number;
  batchBytes: number;
}

export const DEFAULT_FLOW: FlowOptions = {
  highWater: 1024 * 1024,
  lowWater: 256 * 1024,
  batchMs: 16,
  batchBytes: 64 * 1024,
};

/** Pure bookkeeping of unacknowledged bytes; says when to pause and when to resume. */
export class FlowCredit {
  private unackedBytes = 0;
  private pausedNow = false;

  constructor(private readonly options: Pick<FlowOptions, 'highWater' | 'lowWater'>) {}

  get unacked(): number {
    return this.unackedBytes;
  }

  get paused(): boolean {
    return this.pausedNow;
  }

  /** `bytes` went out; 'pause' when the source must stop now. */
  sent(bytes: number): 'pause' | undefined {
    this.unackedBytes += bytes;
    if (!this.pausedNow && this.unackedBytes >= this.options.highWater) {
      this.pausedNow = true;
      return 'pause';
    }
    return undefined;
  }

  /** The window consumed `bytes`; 'resume' when the source may go on. Over-acknowledging is clamped, never negative. */
  acked(bytes: number): 'resume' | undefined {
    this.unackedBytes = Math.max(0, this.unackedBytes - bytes);
    if (this.pausedNow && this.unackedBytes <= this.options.lowWater) {
      this.pausedNow = false;
      return 'resume';
    }
    return undefined;
  }
}

/**
 * Gathers output into batches: output after a quiet moment goes out at once (a typed key's
 * echo must not wait), then whatever follows within `batchMs` is gathered into one event, none
 * larger than `batchBytes`. Standard output and standard error are never mixed in one batch.
 */
export class OutputBatcher {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private stream: OutputStream = 'stdout';
  /** Set while a batch window is open: output waits for it to close. */
  private window: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly options: Pick<FlowOptions, 'batchMs' | 'batchBytes'>,
    private readonly deliver: (data: Buffer, stream: OutputStream) => void,
  ) {}

  push(chunk: Buffer, stream: OutputStream): void {
    if (chunk.length === 0) return;
    if (this.pendingBytes > 0 && stream !== this.stream) this.emitPending();
    this.stream = stream;
    let rest = chunk;
    while (rest.length > 0) {
      const room = this.options.batchBytes - this.pendingBytes;
      const part = rest.subarray(0, room);
      rest = rest.subarray(part.length);
      this.pending.push(part);
      this.pendingBytes += part.length;
      if (this.pendingBytes >= this.options.batchBytes) this.emitPending();
    }
    if (this.window === undefined) {
      // Quiet until now: send at once, and gather what comes next for one window.
      this.emitPending();
      this.openWindow();
    }
  }

  /** Sends what is gathered now (before the end of a session). */
  flush(): void {
    this.emitPending();
  }

  dispose(): void {
    if (this.window !== undefined) this.clock.clearTimeout(this.window);
    this.window = undefined;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private openWindow(): void {
    this.window = this.clock.setTimeout(() => {
      this.window = undefined;
      if (this.pendingBytes === 0) return;
      this.emitPending();
      this.openWindow();
    }, this.options.batchMs);
  }

  private emitPending(): void {
    if (this.pendingBytes === 0) return;
    const data = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.deliver(data, this.stream);
  }
}
