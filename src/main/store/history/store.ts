import fs from 'node:fs/promises';
import path from 'node:path';
import {
  RANGE_SPAN_MS,
  actionFilterSchema,
  actionInputSchema,
  metricSampleSchema,
  type ActionFilter,
  type ActionInput,
  type ActionLogEntry,
  type HistoryRange,
  type MetricSeries,
  type MetricSample,
  type PowerTransition,
  type UptimeReport,
  type WattageProfile,
} from '../../../shared/metrics';
import { POWER_STATES, type PowerState } from '../../../shared/power';
import { systemClock, type Clock, type TimerHandle } from '../../base/clock';
import { silentLogger, type Logger } from '../../base/logger';
import type { JsonLoad, Recovery } from '../atomic-file';
import { DEFAULT_ACTION_LIMIT, actionsToCsv, filterActions } from './action-log';
import { ACTIONS_FILE, JOURNAL_FILE, encodeShard, readActions, readShard, removeStagedWrites, serverIdSchema, writeActions, writeShard } from './files';
import { appendJournal, journalLine, readJournal, resetJournal } from './journal';
import { DEFAULT_POWER_LIMITS, type PowerLogLimits } from './power-log';
import { SHARD_FILE, shardFileName } from './shard-key';
import { SeriesEncoder } from './series-bytes';
import { ByteSink } from './byte-sink';
import { HistoryState } from './state';
import { DEFAULT_TIERS, createSeries, queryRange, validateTiers, type Series, type TierSpec } from './tiers';
import { accountUptime } from './uptime';

export interface HistoryOptions {
  /** Folder of the history files, e.g. `<home>/history`. */
  dir: string;
  clock?: Clock;
  logger?: Logger;
  /** Retention: the round-robin tiers, finest first (default: a day of minutes, a week of half hours, a month of 3 h, a year of days). */
  tiers?: readonly TierSpec[];
  /** Servers are spread over this many files (default 16). */
  shardCount?: number;
  /** How often new records are appended to the journal (default 60 s): the most a crash can lose. */
  flushIntervalMs?: number;
  /** How often the shard files are rewritten and the journal emptied (default 1 h). */
  compactIntervalMs?: number;
  actionLimit?: number;
  power?: PowerLogLimits;
  /** Wait for journal appends to reach the disk (default true). */
  durable?: boolean;
}

/** A history file that could not be read: where it was kept (it is never overwritten) and why. */
export type HistoryRecovery = Recovery;

export interface FlushResult {
  journalRecords: number;
  compacted: boolean;
  shardsWritten: number;
  shardsDeleted: number;
}

/**
 * Metrics history, power changes and the action log of every server, kept on disk under `dir`:
 * `shard-NN.json` hold the consolidated tiers, `actions.json` the action log (both written
 * atomically, see files.ts), and `journal.ndjson` what happened since they were last written.
 * Loops call `record`, `recordPower` and `logAction`; charts call `query`. A file that cannot be
 * read is renamed aside and reported in `recoveries`, and the store goes on without it.
 */
export class HistoryStore {
  readonly recoveries: HistoryRecovery[] = [];
  /** Journal lines that were not valid on replay (a crash cuts the last one). */
  journalSkipped = 0;

  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly tiers: readonly TierSpec[];
  private readonly shardCount: number;
  private readonly flushIntervalMs: number;
  private readonly compactIntervalMs: number;
  private readonly durable: boolean;
  private readonly state: HistoryState;
  private readonly emptySeries: Series;
  /** Keeps the encoded text of unchanged blocks of buckets between compactions. */
  readonly encoder = new SeriesEncoder();
  /**
   * The sinks shards are encoded into, in turn, each until its shard is on disk: four shards are
   * written at once (libuv's four threads), so their fsyncs overlap rather than wait for each
   * other (with two, the hourly compaction took ~15 % longer). They hold what was encoded now
   * and refer to the kept text (a few hundred kB each), and are kept between compactions: new
   * buffers cost more in zeroing and page faults than encoding what changed.
   */
  private readonly sinks: ByteSink[] = [];
  private pending: string[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private flushing = false;
  private timer: TimerHandle | undefined;
  private lastCompaction = 0;
  private lastBreath = 0;
  private closed = false;

  private constructor(
    readonly dir: string,
    options: HistoryOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.tiers = options.tiers ?? DEFAULT_TIERS;
    validateTiers(this.tiers);
    this.shardCount = options.shardCount ?? 16;
    if (!Number.isInteger(this.shardCount) || this.shardCount < 1 || this.shardCount > 1024) throw new RangeError('shardCount is 1 to 1024');
    this.flushIntervalMs = options.flushIntervalMs ?? 60_000;
    this.compactIntervalMs = options.compactIntervalMs ?? 3_600_000;
    this.durable = options.durable ?? true;
    this.state = new HistoryState({
      tiers: this.tiers,
      shardCount: this.shardCount,
      actionLimit: options.actionLimit ?? DEFAULT_ACTION_LIMIT,
      power: options.power ?? DEFAULT_POWER_LIMITS,
    });
    this.emptySeries = createSeries(this.tiers);
  }

  static async open(options: HistoryOptions): Promise<HistoryStore> {
    const store = new HistoryStore(path.resolve(options.dir), options);
    await store.load();
    store.schedule();
    return store;
  }

  // ---- recording -------------------------------------------------------------------------

  /** Adds a metrics sample; false when it was refused (invalid, or not newer than the last one). */
  record(serverId: string, sample: MetricSample): boolean {
    if (this.closed || !serverIdSchema.safeParse(serverId).success) return false;
    const parsed = metricSampleSchema.safeParse(sample);
    if (!parsed.success || !this.state.applySample(serverId, parsed.data)) return false;
    this.pending.push(journalLine({ k: 's', id: serverId, s: parsed.data }));
    return true;
  }

  /** Notes a power state the engine observed; only changes are kept. */
  recordPower(serverId: string, at: number, state: PowerState): boolean {
    if (this.closed || !serverIdSchema.safeParse(serverId).success || !(POWER_STATES as readonly string[]).includes(state)) return false;
    if (!this.state.applyPower(serverId, at, state, this.clock.now())) return false;
    this.pending.push(journalLine({ k: 'p', id: serverId, at, state }));
    return true;
  }

  logAction(input: ActionInput): ActionLogEntry {
    if (this.closed) throw new Error('the history store is closed');
    const entry = this.state.appendAction(actionInputSchema.parse(input));
    this.pending.push(journalLine({ k: 'a', a: entry }));
    return entry;
  }

  /** Forgets a server's metrics and power history (it was removed from the inventory); its actions stay in the log. */
  removeServer(serverId: string): void {
    if (this.closed || !this.state.servers.has(serverId)) return;
    this.state.applyRemove(serverId);
    this.pending.push(journalLine({ k: 'x', id: serverId }));
  }

  /**
   * Puts a whole series in place, e.g. history imported from Proxmox's rrddata. Not journaled:
   * it is written at the next compaction (call `compact()` to make it durable at once).
   */
  importSeries(serverId: string, series: Series): void {
    serverIdSchema.parse(serverId);
    const same = series.tiers.length === this.tiers.length && series.tiers.every((t, i) => t.step === this.tiers[i]?.step && t.size === this.tiers[i]?.size);
    if (!same) throw new RangeError('an imported series must use the store\'s tiers');
    this.state.setSeries(serverId, series);
  }

  // ---- reading ---------------------------------------------------------------------------

  query(serverId: string, range: HistoryRange): MetricSeries {
    const now = this.clock.now();
    const series = this.state.servers.get(serverId)?.series ?? this.emptySeries;
    const { step, points } = queryRange(series, range, now);
    return { serverId, range, step, from: now - RANGE_SPAN_MS[range], to: now, points };
  }

  uptime(serverId: string, from: number, to: number, watts?: WattageProfile): UptimeReport {
    return accountUptime(serverId, this.state.servers.get(serverId)?.power ?? [], from, to, watts);
  }

  powerChanges(serverId: string): PowerTransition[] {
    return [...(this.state.servers.get(serverId)?.power ?? [])];
  }

  actions(filter: ActionFilter = {}): ActionLogEntry[] {
    return filterActions(this.state.actionLog.entries, actionFilterSchema.parse(filter));
  }

  actionsCsv(filter: ActionFilter = {}): string {
    return actionsToCsv(this.actions(filter));
  }

  /** When the server's last sample was taken, if any. */
  lastSampleAt(serverId: string): number | undefined {
    const last = this.state.servers.get(serverId)?.series.last;
    return last !== undefined && Number.isFinite(last) ? last : undefined;
  }

  serverIds(): string[] {
    return [...this.state.servers.keys()];
  }

  stats(): { servers: number; dirtyShards: number; pendingRecords: number } {
    return { servers: this.state.servers.size, dirtyShards: this.state.dirty.size, pendingRecords: this.pending.length };
  }

  // ---- persistence -----------------------------------------------------------------------

  /** Appends what is new to the journal, and compacts when the compaction interval has passed. */
  flush(): Promise<FlushResult> {
    return this.serialize(() => this.doFlush(false));
  }

  /** Rewrites every shard that changed and empties the journal. */
  compact(): Promise<FlushResult> {
    return this.serialize(() => this.doFlush(true));
  }

  /** Resolves once every flush started so far (by the timer too) has finished. */
  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  /** Stops the flush timer and writes everything; the store accepts nothing afterwards. */
  async close(): Promise<void> {
    if (this.closed) return this.chain.then(() => undefined);
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.serialize(() => this.doFlush(true));
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.clock.setTimeout(() => {
      this.schedule();
      // A slow disk must not pile flushes up behind each other.
      if (this.flushing) return;
      this.flushing = true;
      this.flush()
        .catch((error: unknown) => this.logger.error(`history: flush failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => (this.flushing = false));
    }, this.flushIntervalMs);
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async doFlush(forceCompaction: boolean): Promise<FlushResult> {
    const result: FlushResult = { journalRecords: 0, compacted: false, shardsWritten: 0, shardsDeleted: 0 };
    const compactNow = forceCompaction || this.clock.now() - this.lastCompaction >= this.compactIntervalMs;
    if (this.pending.length > 0) {
      const lines = this.pending;
      this.pending = [];
      try {
        await appendJournal(this.path(JOURNAL_FILE), lines.join(''), this.durable && !compactNow);
      } catch (error) {
        this.pending = lines.concat(this.pending);
        throw error;
      }
      result.journalRecords = lines.length;
    }
    if (compactNow) await this.doCompact(result);
    return result;
  }

  private async doCompact(result: FlushResult): Promise<void> {
    const now = this.clock.now();
    const state = this.state;
    state.pruneExpired(now);
    const shards = [...state.dirty].sort((a, b) => a - b);
    state.dirty.clear();
    const members = state.byShard();
    // Each shard's write (to disk, fsync, rename) runs while the next ones are encoded.
    const writes: Array<Promise<void>> = [];
    const writing: Array<Promise<void> | undefined> = [];
    try {
      for (const index of shards) {
        const file = this.path(shardFileName(index));
        const list = members.get(index);
        if (!list) {
          writes.push(handled(fs.rm(file, { force: true })));
          result.shardsDeleted++;
        } else {
          const turn = result.shardsWritten % SHARDS_IN_FLIGHT;
          // Its sink is free once the write from SHARDS_IN_FLIGHT shards ago is done.
          await writing[turn];
          const sink = (this.sinks[turn] ??= new ByteSink(4096, true));
          const chunks = await encodeShard(list, this.encoder, () => this.breathe(), sink);
          const write = handled(writeShard(file, chunks));
          writing[turn] = write;
          writes.push(write);
          result.shardsWritten++;
        }
      }
      await settleAll(writes);
      if (state.actionsDirty) {
        state.actionsDirty = false;
        await writeActions(this.path(ACTIONS_FILE), state.actionLog);
      }
    } catch (error) {
      // Which writes landed is not worth tracking: rewriting a shard again is harmless.
      await Promise.allSettled(writes);
      for (const index of shards) state.dirty.add(index);
      state.actionsDirty = true;
      throw error;
    }
    // Every record in the journal is now in the files; new ones wait in `pending`.
    await resetJournal(this.path(JOURNAL_FILE));
    this.lastCompaction = now;
    result.compacted = true;
  }

  /**
   * Encoding a big lab takes a few hundred ms of CPU; giving the event loop a turn every few ms
   * keeps IPC, probes and timers responsive meanwhile. What arrives in between is safe: it is
   * either in the file being built or waiting in `pending` for the journal.
   */
  private async breathe(): Promise<void> {
    const now = performance.now();
    if (now - this.lastBreath < 4) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastBreath = performance.now();
  }

  private async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const names = (await fs.readdir(this.dir)).sort();
    await removeStagedWrites(this.dir, names);
    for (const name of names) {
      const m = SHARD_FILE.exec(name);
      if (!m) continue;
      const file = this.path(name);
      const loaded = this.settle(file, await readShard(file, this.tiers, this.shardCount, this.clock.now()));
      if (loaded) this.state.adoptShard(Number(m[1]), loaded);
    }
    const actions = this.settle(this.path(ACTIONS_FILE), await readActions(this.path(ACTIONS_FILE), this.clock.now()));
    if (actions) this.state.actionLog = actions;
    const replay = await readJournal(this.path(JOURNAL_FILE));
    for (const record of replay.records) this.state.replay(record, this.clock.now());
    this.journalSkipped = replay.skipped;
    if (replay.skipped > 0) this.logger.warn(`history: ${replay.skipped} journal line(s) could not be read and were skipped`);
    this.lastCompaction = this.clock.now();
  }

  /** The value of a file read at load; a file set aside is reported, and the store goes on without it. */
  private settle<T>(file: string, loaded: JsonLoad<T>): T | undefined {
    if (loaded.kind === 'ok') return loaded.value;
    if (loaded.kind === 'set-aside') {
      const { reason, backupPath } = loaded.recovery;
      this.recoveries.push(loaded.recovery);
      this.logger.warn(`history: ${path.basename(file)} could not be read (${reason}); kept as ${path.basename(backupPath)}, going on without it`);
    }
    return undefined;
  }

  private path(name: string): string {
    return path.join(this.dir, name);
  }
}

/** Shards written at once, at most: as many as libuv has threads (more only wait in its queue, each holding a sink). */
const SHARDS_IN_FLIGHT = 4;

/** The promise, marked handled at once: it is awaited only after the shards after it are encoded. */
function handled(write: Promise<void>): Promise<void> {
  write.catch(() => undefined);
  return write;
}

/** Waits for every write; throws the first failure. */
async function settleAll(writes: ReadonlyArray<Promise<void>>): Promise<void> {
  for (const result of await Promise.allSettled(writes)) if (result.status === 'rejected') throw result.reason instanceof Error ? result.reason : new Error(String(result.reason));
}
