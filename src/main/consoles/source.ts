/**
 * What a console session reads from and writes to: an ssh2 channel, a Proxmox termproxy or VNC
 * websocket, or a fake in tests. The session manager knows nothing else of them.
 */
export interface SourceEnd {
  /** Why, in words for the closed banner. */
  reason: string;
  /** True when something went wrong (not a normal exit or a close asked for). */
  error: boolean;
  exitCode?: number;
  signal?: string;
}

export type OutputStream = 'stdout' | 'stderr';

export interface ConsoleSource {
  write(data: Buffer): void;
  /** Terminals only; other sources ignore it. */
  resize(cols: number, rows: number): void;
  onData(listener: (chunk: Buffer, stream: OutputStream) => void): void;
  /** Called once, when the source ended for any reason (including `close()`). */
  onClose(listener: (end: SourceEnd) => void): void;
  /** Stop reading: the far end is held back by its own flow control (SSH window, TCP). */
  pause(): void;
  resume(): void;
  close(): void;
}

/**
 * The once-only close bookkeeping every source needs: the first end wins, listeners registered
 * after the end still hear it.
 */
export class EndSignal {
  private end: SourceEnd | undefined;
  private readonly listeners: ((end: SourceEnd) => void)[] = [];

  get ended(): boolean {
    return this.end !== undefined;
  }

  on(listener: (end: SourceEnd) => void): void {
    if (this.end) listener(this.end);
    else this.listeners.push(listener);
  }

  fire(end: SourceEnd): void {
    if (this.end) return;
    this.end = end;
    for (const l of this.listeners.splice(0)) {
      try {
        l(end);
      } catch {
        // one broken listener must not keep the others from hearing the end
      }
    }
  }
}

/** Fans data out to listeners; data that arrives before anyone listens is kept until someone does. */
export class DataFan {
  private readonly listeners: ((chunk: Buffer, stream: OutputStream) => void)[] = [];
  private early: [Buffer, OutputStream][] = [];

  on(listener: (chunk: Buffer, stream: OutputStream) => void): void {
    this.listeners.push(listener);
    const early = this.early;
    this.early = [];
    for (const [chunk, stream] of early) listener(chunk, stream);
  }

  emit(chunk: Buffer, stream: OutputStream = 'stdout'): void {
    if (chunk.length === 0) return;
    if (this.listeners.length === 0) {
      this.early.push([chunk, stream]);
      return;
    }
    for (const l of this.listeners) l(chunk, stream);
  }
}
