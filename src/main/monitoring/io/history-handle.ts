import path from 'node:path';
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { HistoryStore, type TierSpec } from '../../store/history';
import type { HistoryPort } from '../ports';

/**
 * The history store as the monitoring uses it. While the engine runs, one store owns the files:
 * opened at start (writes made meanwhile wait in a queue), flushed on its interval, closed and
 * written at stop. When the engine does not run (a CLI command reading a chart), a store is
 * opened for reading only: it never flushes or compacts, so it cannot race the process that
 * owns the files.
 */
const NEVER = 2_147_483_647;
const QUEUE_LIMIT = 100_000;

export interface HistoryHandleOptions {
  dir: string;
  clock: Clock;
  log: Logger;
}

export class HistoryHandle implements HistoryPort {
  private writer: HistoryStore | undefined;
  private opening: Promise<HistoryStore> | undefined;
  private reader: Promise<HistoryStore> | undefined;
  private closing: Promise<void> = Promise.resolve();
  private queue: Array<(store: HistoryStore) => void> = [];

  constructor(private readonly options: HistoryHandleOptions) {}

  static dirOf(home: string): string {
    return path.join(home, 'history');
  }

  /** Opens the owning store (once); resolves when it is loaded and the queued writes are applied. */
  open(tiers: readonly TierSpec[], flushIntervalMs: number): Promise<HistoryStore> {
    if (this.opening) return this.opening;
    const { dir, clock, log } = this.options;
    // After a close (a reopen with new retention), the new store reads what the old one wrote.
    this.opening = this.closing.then(() => HistoryStore.open({ dir, clock, logger: log, tiers, flushIntervalMs })).then(
      (store) => {
        this.writer = store;
        const queued = this.queue;
        this.queue = [];
        for (const fn of queued) this.apply(store, fn);
        return store;
      },
      (error: unknown) => {
        this.opening = undefined;
        this.queue = [];
        throw error;
      },
    );
    return this.opening;
  }

  get isOpen(): boolean {
    return this.writer !== undefined;
  }

  /** Applies a write now, or once the owning store is open; dropped when none is being opened. */
  write(fn: (store: HistoryStore) => void): void {
    if (this.writer) return this.apply(this.writer, fn);
    if (this.opening && this.queue.length < QUEUE_LIMIT) this.queue.push(fn);
  }

  /** The owning store when there is one, else a read-only one. */
  read(tiers: readonly TierSpec[]): Promise<HistoryStore> {
    if (this.opening) return this.opening;
    const { dir, clock, log } = this.options;
    this.reader ??= HistoryStore.open({ dir, clock, logger: log, tiers, flushIntervalMs: NEVER, compactIntervalMs: Number.MAX_SAFE_INTEGER });
    return this.reader;
  }

  /** Writes everything and lets go of the files. */
  close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    this.writer = undefined;
    this.queue = [];
    if (!opening) return this.closing;
    this.closing = opening
      .then(
        (store) => store.close(),
        () => undefined,
      )
      .catch((error: unknown) => this.options.log.error('history: the last write failed', error));
    return this.closing;
  }

  private apply(store: HistoryStore, fn: (store: HistoryStore) => void): void {
    try {
      fn(store);
    } catch (error) {
      this.options.log.warn('history: a write failed', error);
    }
  }
}
