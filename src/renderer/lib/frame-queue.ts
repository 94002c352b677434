/**
 * Work spread over frames: each frame runs at most `perFrame` of the queued jobs, in the order
 * they were first queued. A job queued again before its turn keeps its place and runs once, as
 * its latest version. Pure: the caller says how to wait for a frame and how to run a slice.
 */
export class FrameQueue {
  private readonly pending = new Map<object, () => void>();
  private waiting = false;

  constructor(
    private readonly perFrame: number,
    private readonly nextFrame: (run: () => void) => void,
    private readonly runSlice: (jobs: readonly (() => void)[]) => void,
  ) {}

  /** Queues `job` under `key` (what it updates): it runs in a coming frame. */
  queue(key: object, job: () => void): void {
    this.pending.set(key, job);
    if (!this.waiting) {
      this.waiting = true;
      this.nextFrame(() => this.frame());
    }
  }

  /** What `key` named is gone: its job will not run. */
  drop(key: object): void {
    this.pending.delete(key);
  }

  private frame(): void {
    this.waiting = false;
    const slice: (() => void)[] = [];
    for (const [key, job] of this.pending) {
      this.pending.delete(key);
      slice.push(job);
      if (slice.length === this.perFrame) break;
    }
    this.runSlice(slice);
    if (this.pending.size > 0) {
      this.waiting = true;
      this.nextFrame(() => this.frame());
    }
  }
}
