import type { ActionInput, ActionLogEntry, MetricSample, PowerTransition } from '../../../shared/metrics';
import type { PowerState } from '../../../shared/power';
import { appendAction, emptyActionLog, type ActionLog } from './action-log';
import type { JournalRecord } from './journal';
import { appendTransition, prune as prunePower, type PowerLogLimits } from './power-log';
import { shardOf } from './shard-key';
import { addSample, createSeries, type Series, type TierSpec } from './tiers';

export interface ServerHistory {
  shard: number;
  series: Series;
  power: PowerTransition[];
}

interface HistoryLimits {
  tiers: readonly TierSpec[];
  shardCount: number;
  actionLimit: number;
  power: PowerLogLimits;
}

/**
 * What the history store holds in memory, and which of its files are out of date: every
 * server's tiers and power changes, the action log. No I/O here: the store journals each change
 * and writes the shards marked dirty at compaction; replaying the journal through the same
 * methods rebuilds the same state.
 */
export class HistoryState {
  readonly servers = new Map<string, ServerHistory>();
  /** Shards whose file no longer matches memory. */
  readonly dirty = new Set<number>();
  actionLog: ActionLog = emptyActionLog();
  actionsDirty = false;

  /**
   * The series of every server without a sample yet (one known only by its power changes, as
   * most are when no metrics are gathered): the tiers' bucket numbers alone are ~19 kB a server,
   * 19 MB resident for 1 000 servers with nothing to chart. Shared, so never written to: a
   * server gets a series of its own with its first sample.
   */
  private readonly blank: Series;

  constructor(private readonly limits: HistoryLimits) {
    this.blank = createSeries(limits.tiers);
  }

  /** False when refused: not newer than the server's last sample, or nothing in it to keep. */
  applySample(serverId: string, sample: MetricSample): boolean {
    const h = this.servers.get(serverId);
    if (h && sample.t <= h.series.last) return false;
    const entry = h ?? this.entry(serverId);
    const wasBlank = entry.series === this.blank;
    if (wasBlank) entry.series = createSeries(this.limits.tiers);
    if (!addSample(entry.series, sample)) {
      if (!h) this.servers.delete(serverId);
      else if (wasBlank) entry.series = this.blank;
      return false;
    }
    this.dirty.add(entry.shard);
    return true;
  }

  applyPower(serverId: string, at: number, state: PowerState, now: number): boolean {
    const entry = this.entry(serverId);
    if (!appendTransition(entry.power, at, state, now, this.limits.power)) return false;
    this.dirty.add(entry.shard);
    return true;
  }

  applyRemove(serverId: string): void {
    const h = this.servers.get(serverId);
    if (!h) return;
    this.servers.delete(serverId);
    this.dirty.add(h.shard);
  }

  appendAction(input: ActionInput): ActionLogEntry {
    const entry = appendAction(this.actionLog, input, this.limits.actionLimit);
    this.actionsDirty = true;
    return entry;
  }

  setSeries(serverId: string, series: Series): void {
    const entry = this.entry(serverId);
    entry.series = series;
    this.dirty.add(entry.shard);
  }

  /** Takes in the servers read from shard file `index`. */
  adoptShard(index: number, loaded: ReadonlyArray<[string, ServerHistory]>): void {
    for (const [id, h] of loaded) {
      // A server saved with power changes only comes back sharing the blank series, as it was.
      if (isBlank(h.series)) h.series = this.blank;
      const existing = this.servers.get(id);
      // Written under another shard count, or present twice: settle it at the next compaction.
      if (h.shard !== index || existing) this.dirty.add(index).add(h.shard);
      if (!existing || existing.series.last < h.series.last) this.servers.set(id, h);
    }
  }

  replay(record: JournalRecord, now: number): void {
    switch (record.k) {
      case 's':
        this.applySample(record.id, record.s);
        break;
      case 'p':
        this.applyPower(record.id, record.at, record.state, now);
        break;
      case 'x':
        this.applyRemove(record.id);
        break;
      case 'a': {
        // Ids make replay idempotent: an entry already in actions.json is not added twice.
        const log = this.actionLog;
        if (record.a.id >= log.nextId) {
          log.entries.push(record.a);
          log.nextId = record.a.id + 1;
          if (log.entries.length > this.limits.actionLimit) log.entries.splice(0, log.entries.length - this.limits.actionLimit);
          this.actionsDirty = true;
        }
        break;
      }
    }
  }

  /** Drops servers with nothing left to show: no sample within the coarsest tier, no power change within retention. */
  pruneExpired(now: number): void {
    const reach = Math.max(...this.limits.tiers.map((t) => t.step * t.size));
    for (const [id, h] of this.servers) {
      prunePower(h.power, now, this.limits.power);
      const lastPower = h.power[h.power.length - 1]?.at ?? -Infinity;
      if (h.series.last < now - reach && lastPower < now - this.limits.power.retentionMs) this.applyRemove(id);
    }
  }

  /** The servers of each shard. */
  byShard(): Map<number, Array<[string, ServerHistory]>> {
    const members = new Map<number, Array<[string, ServerHistory]>>();
    for (const entry of this.servers) {
      const list = members.get(entry[1].shard);
      if (list) list.push(entry);
      else members.set(entry[1].shard, [entry]);
    }
    return members;
  }

  private entry(serverId: string): ServerHistory {
    let h = this.servers.get(serverId);
    if (!h) {
      h = { shard: shardOf(serverId, this.limits.shardCount), series: this.blank, power: [] };
      this.servers.set(serverId, h);
    }
    return h;
  }
}

/** A series that never took a sample: nothing closed, nothing open. */
function isBlank(series: Series): boolean {
  return series.last === -Infinity && series.tiers.every((t) => t.open.slot < 0 && t.avg.every((col) => col === undefined));
}
