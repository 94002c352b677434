import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  RANGE_SPAN_MS,
  actionFilterSchema,
  actionInputSchema,
  metricSampleSchema,
  type ActionFilter,
  type ActionInput,
  type ActionLogEntry,
  type HistoryRange,
  type MetricSample,
  type MetricSeries,
  type PowerTransition,
  type UptimeReport,
  type WattageProfile,
} from '../../../shared/metrics';
import { POWER_STATES, type PowerState } from '../../../shared/power';
import { systemClock, type Clock, type TimerHandle } from '../../base/clock';
import { silentLogger, type Logger } from '../../base/logger';
import { DEFAULT_ACTION_LIMIT, actionsToCsv, appendAction, emptyActionLog, filterActions, type ActionLog } from './action-log';
import { appendJournal, journalLine, readJournal, resetJournal, type JournalRecord } from './journal';
import { JsonFile } from './json-file';
import { DEFAULT_POWER_LIMITS, appendTransition, prune as prunePower, type PowerLogLimits } from './power-log';
import { decodeSeries, encodeSeries } from './series-codec';
import { SHARD_FILE, shardFileName, shardOf } from './shard-key';
import { DEFAULT_TIERS, addSample, createSeries, queryRange, validateTiers, type Series, type TierSpec } from './tiers';
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

export interface HistoryRecovery {
  file: string;
  /** Where the unreadable file was moved; it is never overwritten. */
  backupPath: string;
  reason: string;
}

export interface FlushResult {
  journalRecords: number;
  compacted: boolean;
  shardsWritten: number;
  shardsDeleted: number;
}

interface ServerHistory {
  shard: number;
  series: Series;
  power: PowerTransition[];
}

const serverIdSchema = z.string().min(1).max(200);
const powerEntrySchema = z.tuple([z.number().finite(), z.enum(POWER_STATES)]);
const shardDocSchema = z
  .object({
    format: z.literal('rackdeck-history'),
    version: z.literal(1),
    servers: z.record(serverIdSchema, z.object({ series: z.unknown(), power: z.array(powerEntrySchema).optional() }).strict()),
  })
  .strict();
const actionEntrySchema = actionInputSchema.extend({ id: z.number().int().min(1) });
const actionsDocSchema = z
  .object({ format: z.literal('rackdeck-actions'), version: z.literal(1), nextId: z.number().int().min(1), entries: z.array(actionEntrySchema) })
  .strict();

const JOURNAL = 'journal.ndjson';
const ACTIONS = 'actions.json';

/**
 * Metrics history, power changes and the action log of every server, kept on disk under `dir`:
 * `shard-NN.json` (lowdb, written atomically) hold the consolidated tiers, `actions.json` the
 * action log, and `journal.ndjson` what happened since they were last written. Loops call
 * `record`, `recordPower` and `logAction`; charts call `query`. A file that cannot be read is
 * renamed aside and reported in `recoveries`, and the store goes on without it.
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
  private readonly actionLimit: number;
  private readonly powerLimits: PowerLogLimits;
  private readonly durable: boolean;
  private readonly servers = new Map<string, ServerHistory>();
  private readonly dirty = new Set<number>();
  private readonly files = new Map<string, JsonFile>();
  private readonly emptySeries: Series;
  private actionLog: ActionLog = emptyActionLog();
  private actionsDirty = false;
  private pending: string[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private flushing = false;
  private timer: TimerHandle | undefined;
  private lastCompaction = 0;
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
    this.actionLimit = options.actionLimit ?? DEFAULT_ACTION_LIMIT;
    this.powerLimits = options.power ?? DEFAULT_POWER_LIMITS;
    this.durable = options.durable ?? true;
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
    if (!parsed.success || !this.applySample(serverId, parsed.data)) return false;
    this.pending.push(journalLine({ k: 's', id: serverId, s: parsed.data }));
    return true;
  }

  /** Notes a power state the engine observed; only changes are kept. */
  recordPower(serverId: string, at: number, state: PowerState): boolean {
    if (this.closed || !serverIdSchema.safeParse(serverId).success || !(POWER_STATES as readonly string[]).includes(state)) return false;
    if (!this.applyPower(serverId, at, state)) return false;
    this.pending.push(journalLine({ k: 'p', id: serverId, at, state }));
    return true;
  }

  logAction(input: ActionInput): ActionLogEntry {
    if (this.closed) throw new Error('the history store is closed');
    const entry = appendAction(this.actionLog, actionInputSchema.parse(input), this.actionLimit);
    this.actionsDirty = true;
    this.pending.push(journalLine({ k: 'a', a: entry }));
    return entry;
  }

  /** Forgets a server's metrics and power history (it was removed from the inventory); its actions stay in the log. */
  removeServer(serverId: string): void {
    if (this.closed || !this.servers.has(serverId)) return;
    this.applyRemove(serverId);
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
    this.entry(serverId).series = series;
    this.dirty.add(shardOf(serverId, this.shardCount));
  }

  // ---- reading ---------------------------------------------------------------------------

  query(serverId: string, range: HistoryRange): MetricSeries {
    const now = this.clock.now();
    const series = this.servers.get(serverId)?.series ?? this.emptySeries;
    const { step, points } = queryRange(series, range, now);
    return { serverId, range, step, from: now - RANGE_SPAN_MS[range], to: now, points };
  }

  uptime(serverId: string, from: number, to: number, watts?: WattageProfile): UptimeReport {
    return accountUptime(serverId, this.servers.get(serverId)?.power ?? [], from, to, watts);
  }

  powerChanges(serverId: string): PowerTransition[] {
    return [...(this.servers.get(serverId)?.power ?? [])];
  }

  actions(filter: ActionFilter = {}): ActionLogEntry[] {
    return filterActions(this.actionLog.entries, actionFilterSchema.parse(filter));
  }

  actionsCsv(filter: ActionFilter = {}): string {
    return actionsToCsv(this.actions(filter));
  }

  /** When the server's last sample was taken, if any. */
  lastSampleAt(serverId: string): number | undefined {
    const last = this.servers.get(serverId)?.series.last;
    return last !== undefined && Number.isFinite(last) ? last : undefined;
  }

  serverIds(): string[] {
    return [...this.servers.keys()];
  }

  stats(): { servers: number; dirtyShards: number; pendingRecords: number } {
    return { servers: this.servers.size, dirtyShards: this.dirty.size, pendingRecords: this.pending.length };
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
        .catch((error: unknown) => this.logger.error(`history: flush failed: ${message(error)}`))
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
        await appendJournal(this.path(JOURNAL), lines.join(''), this.durable && !compactNow);
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
    this.pruneExpired(now);
    const shards = [...this.dirty].sort((a, b) => a - b);
    this.dirty.clear();
    const members = new Map<number, Array<[string, ServerHistory]>>();
    for (const entry of this.servers) {
      const list = members.get(entry[1].shard);
      if (list) list.push(entry);
      else members.set(entry[1].shard, [entry]);
    }
    let done = 0;
    try {
      for (const index of shards) {
        const file = this.path(shardFileName(index));
        const list = members.get(index);
        if (!list) {
          await fs.rm(file, { force: true });
          result.shardsDeleted++;
        } else {
          const servers: Record<string, { series: unknown; power: Array<[number, PowerState]> }> = {};
          for (const [id, h] of list) {
            servers[id] = { series: encodeSeries(h.series), power: h.power.map((p) => [p.at, p.state]) };
            await this.breathe();
          }
          await this.file(file).write({ format: 'rackdeck-history', version: 1, servers });
          result.shardsWritten++;
        }
        done++;
      }
      if (this.actionsDirty) {
        this.actionsDirty = false;
        const { nextId, entries } = this.actionLog;
        await this.file(this.path(ACTIONS)).write({ format: 'rackdeck-actions', version: 1, nextId, entries });
      }
    } catch (error) {
      for (const index of shards.slice(done)) this.dirty.add(index);
      this.actionsDirty = true;
      throw error;
    }
    // Every record in the journal is now in the files; new ones wait in `pending`.
    await resetJournal(this.path(JOURNAL));
    this.lastCompaction = now;
    result.compacted = true;
  }

  private lastBreath = 0;

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
    const names = await fs.readdir(this.dir);
    for (const name of names) {
      // A staged write that a crash interrupted: the file it was meant to replace is intact.
      if (/^\.(?:shard-\d+|actions)\.json\.tmp$/.test(name)) await fs.rm(this.path(name), { force: true });
    }
    for (const name of names.sort()) {
      const m = SHARD_FILE.exec(name);
      if (m) await this.loadShard(Number(m[1]), this.path(name));
    }
    await this.loadActions();
    const replay = await readJournal(this.path(JOURNAL));
    for (const record of replay.records) this.replay(record);
    this.journalSkipped = replay.skipped;
    if (replay.skipped > 0) this.logger.warn(`history: ${replay.skipped} journal line(s) could not be read and were skipped`);
    this.lastCompaction = this.clock.now();
  }

  private async loadShard(index: number, file: string): Promise<void> {
    let loaded: Array<[string, ServerHistory]>;
    try {
      const doc = shardDocSchema.parse(await this.file(file).read());
      loaded = Object.entries(doc.servers).map(([id, entry]) => {
        const power = (entry.power ?? []).map(([at, state]) => ({ at, state })).sort((a, b) => a.at - b.at);
        return [id, { shard: shardOf(id, this.shardCount), series: decodeSeries(entry.series, this.tiers), power }];
      });
    } catch (error) {
      await this.setAside(file, error);
      return;
    }
    for (const [id, h] of loaded) {
      const existing = this.servers.get(id);
      // Written under another shard count, or present twice: settle it at the next compaction.
      if (h.shard !== index || existing) this.dirty.add(index).add(h.shard);
      if (!existing || existing.series.last < h.series.last) this.servers.set(id, h);
    }
  }

  private async loadActions(): Promise<void> {
    const file = this.path(ACTIONS);
    try {
      const raw = await this.file(file).read();
      if (raw === undefined) return;
      const doc = actionsDocSchema.parse(raw);
      this.actionLog = { nextId: doc.nextId, entries: doc.entries };
    } catch (error) {
      await this.setAside(file, error);
    }
  }

  private async setAside(file: string, error: unknown): Promise<void> {
    const reason = message(error);
    const backupPath = await JsonFile.setAside(file, this.clock.now());
    this.recoveries.push({ file, backupPath, reason });
    this.logger.warn(`history: ${path.basename(file)} could not be read (${reason}); kept as ${path.basename(backupPath)}, going on without it`);
  }

  private replay(record: JournalRecord): void {
    switch (record.k) {
      case 's':
        this.applySample(record.id, record.s);
        break;
      case 'p':
        this.applyPower(record.id, record.at, record.state);
        break;
      case 'x':
        if (this.servers.has(record.id)) this.applyRemove(record.id);
        break;
      case 'a':
        // Ids make replay idempotent: an entry already in actions.json is not added twice.
        if (record.a.id >= this.actionLog.nextId) {
          this.actionLog.entries.push(record.a);
          this.actionLog.nextId = record.a.id + 1;
          if (this.actionLog.entries.length > this.actionLimit) this.actionLog.entries.splice(0, this.actionLog.entries.length - this.actionLimit);
          this.actionsDirty = true;
        }
        break;
    }
  }

  private applySample(serverId: string, sample: MetricSample): boolean {
    const h = this.servers.get(serverId);
    if (h && sample.t <= h.series.last) return false;
    const entry = h ?? this.entry(serverId);
    if (!addSample(entry.series, sample)) {
      if (!h) this.servers.delete(serverId);
      return false;
    }
    this.dirty.add(entry.shard);
    return true;
  }

  private applyPower(serverId: string, at: number, state: PowerState): boolean {
    const entry = this.entry(serverId);
    if (!appendTransition(entry.power, at, state, this.clock.now(), this.powerLimits)) return false;
    this.dirty.add(entry.shard);
    return true;
  }

  private applyRemove(serverId: string): void {
    const h = this.servers.get(serverId);
    if (!h) return;
    this.servers.delete(serverId);
    this.dirty.add(h.shard);
  }

  /** Drops servers with nothing left to show: no sample within the coarsest tier, no power change within retention. */
  private pruneExpired(now: number): void {
    const reach = Math.max(...this.tiers.map((t) => t.step * t.size));
    for (const [id, h] of this.servers) {
      prunePower(h.power, now, this.powerLimits);
      const lastPower = h.power[h.power.length - 1]?.at ?? -Infinity;
      if (h.series.last < now - reach && lastPower < now - this.powerLimits.retentionMs) this.applyRemove(id);
    }
  }

  private entry(serverId: string): ServerHistory {
    let h = this.servers.get(serverId);
    if (!h) {
      h = { shard: shardOf(serverId, this.shardCount), series: createSeries(this.tiers), power: [] };
      this.servers.set(serverId, h);
    }
    return h;
  }

  private file(file: string): JsonFile {
    let f = this.files.get(file);
    if (!f) {
      f = new JsonFile(file);
      this.files.set(file, f);
    }
    return f;
  }

  private path(name: string): string {
    return path.join(this.dir, name);
  }
}

function message(error: unknown): string {
  if (error instanceof z.ZodError) return error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}
