import type { ConsoleClosed, ConsoleData, ConsoleStatsEvent } from '../../src/shared/contract/consoles';
import type { ConsoleEventsOut } from '../../src/main/consoles/manager';
import { DataFan, EndSignal, type ConsoleSource, type OutputStream, type SourceEnd } from '../../src/main/consoles/source';

/** What a window would receive: every event, by session. */
export class Inbox implements ConsoleEventsOut {
  readonly chunks = new Map<string, ConsoleData[]>();
  readonly ends = new Map<string, ConsoleClosed>();
  readonly samples = new Map<string, ConsoleStatsEvent['sample'][]>();

  data(p: ConsoleData): void {
    const list = this.chunks.get(p.sessionId) ?? [];
    list.push(p);
    this.chunks.set(p.sessionId, list);
  }

  closed(p: ConsoleClosed): void {
    this.ends.set(p.sessionId, p);
  }

  stats(p: ConsoleStatsEvent): void {
    const list = this.samples.get(p.sessionId) ?? [];
    list.push(p.sample);
    this.samples.set(p.sessionId, list);
  }

  bytes(sessionId: string, stream?: 'stderr'): Buffer {
    return Buffer.concat((this.chunks.get(sessionId) ?? []).filter((c) => c.stream === stream).map((c) => Buffer.from(c.data, 'base64')));
  }

  text(sessionId: string, stream?: 'stderr'): string {
    return this.bytes(sessionId, stream).toString('utf8');
  }

  /** Bytes delivered so far, both streams. */
  delivered(sessionId: string): number {
    return (this.chunks.get(sessionId) ?? []).reduce((n, c) => n + c.bytes, 0);
  }
}

/** Polls `check` until it returns something truthy (real peers answer in their own time). */
export async function waitFor<T>(check: () => T | undefined | false | null, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A source driven by the test: records what the session did to it. */
export class FakeSource implements ConsoleSource {
  readonly fan = new DataFan();
  readonly end = new EndSignal();
  readonly written: Buffer[] = [];
  readonly sizes: [number, number][] = [];
  paused = false;
  pauses = 0;
  resumes = 0;
  closedByCall = false;

  write(data: Buffer): void {
    this.written.push(data);
  }
  resize(cols: number, rows: number): void {
    this.sizes.push([cols, rows]);
  }
  onData(listener: (chunk: Buffer, stream: OutputStream) => void): void {
    this.fan.on(listener);
  }
  onClose(listener: (end: SourceEnd) => void): void {
    this.end.on(listener);
  }
  pause(): void {
    this.paused = true;
    this.pauses += 1;
  }
  resume(): void {
    this.paused = false;
    this.resumes += 1;
  }
  close(): void {
    this.closedByCall = true;
    this.end.fire({ reason: 'Closed', error: false });
  }
  /** The far end produces output. */
  emit(text: string | Buffer, stream: OutputStream = 'stdout'): void {
    this.fan.emit(Buffer.isBuffer(text) ? text : Buffer.from(text), stream);
  }
  exit(end: SourceEnd): void {
    this.end.fire(end);
  }
}
