import type { RemoteWriteSettings, RemoteWriteStatus } from '../../../shared/contract/integrations';
import type { HistoryRange, MetricSample, MetricSeries } from '../../../shared/metrics';
import type { Clock, TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { RemoteStore, Spool } from '../ports';
import type { TimeSeries } from './encode';
import { loadEncoder } from './load-encoder';
import { chartPlan, chartQueries, mergeSeries, sampleCount, toMetricSeries, toTimeSeries } from './model';

export interface RemoteHistoryDeps {
  store: RemoteStore;
  spool: Spool;
  clock: Clock;
  log: Logger;
  settings: RemoteWriteSettings;
  /** The local history's bucket widths, so a remote chart has the same buckets. */
  steps(): readonly number[];
}

/** A batch goes out early once this many samples wait. */
const BATCH_SAMPLES = 5_000;
/** Never wait longer than this between tries while the store is down. */
const MAX_RETRY_MS = 60_000;

type Outcome = 'ok' | 'refused' | 'retry';

/**
 * Every sample also goes to a Prometheus-compatible store. Samples wait in memory for the next
 * flush (or a full batch); a batch the store cannot take now is written to the disk buffer and
 * sent, oldest first, once it answers again, so a store that is down loses nothing until the
 * buffer's bound (then the oldest batches go, and are counted). A batch the store refuses for
 * good (a 4xx: too old, malformed) is dropped and counted rather than retried forever.
 */
export class RemoteHistory {
  private pending: TimeSeries[] = [];
  private timer: TimerHandle | undefined;
  /** Flushes run one after another; `queued` is the one not yet started, which a new call joins. */
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private running = false;
  private failures = 0;
  private loaded: Promise<void> | undefined;
  private readonly status: RemoteWriteStatus;
  private chartErrorLogged = false;

  constructor(private readonly deps: RemoteHistoryDeps) {
    const { settings } = deps;
    this.status = { enabled: true, state: 'ok', ...(settings.writeUrl ? { url: settings.writeUrl } : {}), readCharts: settings.readCharts, sent: 0, pending: 0, bufferBytes: 0, dropped: 0 };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loaded = this.deps.spool.load().catch((error: unknown) => this.deps.log.warn('remote history: the disk buffer could not be read', error));
    this.schedule(this.deps.settings.flushIntervalMs);
  }

  /** Stops the timer and puts what waits in memory into the disk buffer: the next start sends it. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
    await this.loaded;
    await this.spoolPending();
  }

  record(serverId: string, sample: MetricSample): void {
    if (!this.running) return;
    this.pending.push(...toTimeSeries(this.deps.settings.instance, serverId, sample));
    if (sampleCount(this.pending) >= BATCH_SAMPLES) void this.flush();
  }

  /** Sends the disk buffer (oldest first), then what waits in memory: resolves once everything recorded before the call was sent or buffered. */
  flush(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = undefined;
      return this.doFlush();
    });
    this.queued = next;
    this.chain = next.catch((error: unknown) => this.deps.log.error('remote history: a flush failed', error));
    return this.chain;
  }

  view(): RemoteWriteStatus {
    const disk = this.deps.spool.stats();
    return { ...this.status, pending: disk.samples + sampleCount(this.pending), bufferBytes: disk.bytes };
  }

  /** A chart from the store; undefined when charts are not read from it or it did not answer. */
  async chart(serverId: string, range: HistoryRange): Promise<MetricSeries | undefined> {
    if (!this.deps.settings.readCharts) return undefined;
    const plan = chartPlan(range, this.deps.clock.now(), this.deps.steps());
    const q = chartQueries(this.deps.settings.instance, serverId, plan);
    try {
      const [avg, max] = await Promise.all([this.deps.store.queryRange(q.avg, q.startSec, q.endSec, q.stepSec), this.deps.store.queryRange(q.max, q.startSec, q.endSec, q.stepSec)]);
      this.chartErrorLogged = false;
      return toMetricSeries(serverId, plan, avg, max);
    } catch (error) {
      if (!this.chartErrorLogged) this.deps.log.warn(`remote history: charts come from the local history while the store does not answer (${error instanceof Error ? error.message : String(error)})`);
      this.chartErrorLogged = true;
      return undefined;
    }
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      void this.flush().finally(() => this.schedule(this.nextDelay()));
    }, ms);
  }

  private nextDelay(): number {
    const interval = this.deps.settings.flushIntervalMs;
    if (this.failures === 0) return interval;
    return Math.min(interval * 2 ** Math.min(this.failures - 1, 10), Math.max(interval, MAX_RETRY_MS));
  }

  private async doFlush(): Promise<void> {
    await this.loaded;
    const { spool } = this.deps;
    // Older batches first: a Prometheus receiver refuses samples older than ones it already has.
    for (let batch = await spool.oldest(); batch; batch = await spool.oldest()) {
      const outcome = await this.send(batch.body, batch.samples);
      if (outcome === 'retry') {
        await this.spoolPending();
        return;
      }
      await spool.remove(batch.id);
    }
    if (this.pending.length === 0) return;
    const series = mergeSeries(this.pending);
    this.pending = [];
    const body = (await loadEncoder()).encodeWriteRequest(series);
    if ((await this.send(body, sampleCount(series))) === 'retry') await this.keep(body, sampleCount(series));
  }

  private async spoolPending(): Promise<void> {
    if (this.pending.length === 0) return;
    const series = mergeSeries(this.pending);
    this.pending = [];
    await this.keep((await loadEncoder()).encodeWriteRequest(series), sampleCount(series));
  }

  /** Into the disk buffer, trimmed to its bound; a batch that cannot be written is counted as lost. */
  private async keep(body: Uint8Array, samples: number): Promise<void> {
    try {
      await this.deps.spool.push(body, samples);
      const dropped = await this.deps.spool.trim(this.deps.settings.bufferMaxMb * 1024 * 1024);
      if (dropped > 0) {
        this.status.dropped += dropped;
        this.deps.log.warn(`remote history: the disk buffer is full; the oldest ${dropped} samples were given up`);
      }
    } catch (error) {
      this.status.dropped += samples;
      this.deps.log.error('remote history: could not write the disk buffer', error);
    }
  }

  private async send(body: Uint8Array, samples: number): Promise<Outcome> {
    try {
      const answer = await this.deps.store.write(body);
      if (answer.status >= 200 && answer.status < 300) {
        this.status.sent += samples;
        this.status.lastSentAt = this.deps.clock.now();
        this.status.state = 'ok';
        delete this.status.lastError;
        this.failures = 0;
        return 'ok';
      }
      if (answer.status === 429 || answer.status >= 500) return this.failed(`the store answered ${answer.status}: ${answer.message}`);
      this.status.dropped += samples;
      this.status.lastError = `the store refused ${samples} samples (${answer.status}): ${answer.message}`;
      this.deps.log.warn(`remote history: ${this.status.lastError}`);
      return 'refused';
    } catch (error) {
      return this.failed(error instanceof Error ? error.message : String(error));
    }
  }

  private failed(reason: string): Outcome {
    if (this.failures === 0) this.deps.log.warn(`remote history: cannot write (${reason}); samples wait in the disk buffer`);
    this.failures++;
    this.status.state = 'failing';
    this.status.lastError = reason;
    return 'retry';
  }
}
