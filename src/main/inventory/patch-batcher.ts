import type { ServersPatch } from '../../shared/events';
import type { ServerView } from '../../shared/server';
import type { Clock, TimerHandle } from '../base/clock';

/**
 * Collects per-server changes and sends them as one numbered patch after `windowMs`, so a sweep
 * of a thousand hosts reaches the renderer as a few messages, not a thousand.
 */
export class PatchBatcher {
  private seq = 0;
  private dirty = new Set<string>();
  private removed = new Set<string>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    private readonly view: (id: string) => ServerView | undefined,
    private readonly send: (patch: ServersPatch) => void,
  ) {}

  /** The number the next snapshot carries: every patch after it has a higher one. */
  currentSeq(): number {
    return this.seq;
  }

  changed(id: string): void {
    this.removed.delete(id);
    this.dirty.add(id);
    this.arm();
  }

  gone(id: string): void {
    this.dirty.delete(id);
    this.removed.add(id);
    this.arm();
  }

  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dirty.size === 0 && this.removed.size === 0) return;
    const upsert: ServerView[] = [];
    for (const id of this.dirty) {
      const v = this.view(id);
      if (v) upsert.push(v);
    }
    const patch: ServersPatch = { seq: ++this.seq, upsert, remove: [...this.removed] };
    this.dirty.clear();
    this.removed.clear();
    this.send(patch);
  }

  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer === undefined) this.timer = this.clock.setTimeout(() => this.flush(), this.windowMs);
  }
}
