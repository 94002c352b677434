import type { AlertView, LiveMetric, MetricSeriesView, UptimeSummary } from '../../shared/contract/monitoring';
import type { ServerConfig } from '../../shared/server';
import { isGap, type ActionFilter, type ActionLogEntry, type HistoryRange } from '../../shared/metrics';
import type { RrdTimeframe } from '../drivers/proxmox/model/rrd';
import type { HistoryStore } from '../store/history';
import type { AlertDispatch } from './alert-dispatch';
import { existingByStep, needsBackfill, RRD_TIMEFRAMES, type RrdFrame } from './backfill';
import type { MonitoringContext } from './context';
import type { ChartSource } from './ports';
import type { Sampler } from './sampling';
import { tiersFor, wattsFor } from './settings';
import { uptimeSummary } from './uptime-summary';

/**
 * What the faces read: charts (a Proxmox server's first chart is filled from Proxmox's own
 * history), the latest figures with their sparklines, uptime and energy, the action log and the
 * alerts. While the engine does not run, the history is read from a read-only store.
 */
export class MonitoringQueries {
  /** One backfill per server, shared by every request that arrives while it runs. */
  private readonly backfilled = new Map<string, Promise<boolean>>();
  /** A remote history the charts are read from when it answers (issue 19). */
  private chartSource: ChartSource | undefined;

  constructor(
    private readonly ctx: MonitoringContext,
    private readonly sampler: Sampler,
    private readonly alerts: AlertDispatch,
  ) {}

  useChartSource(source: ChartSource | undefined): void {
    this.chartSource = source;
  }

  async series(ref: string, range: HistoryRange): Promise<MetricSeriesView> {
    const { engine } = this.ctx;
    const server = engine.get(ref);
    const remote = await this.chartSource?.(server.id, range).catch(() => undefined);
    if (remote) return remote;
    const store = await this.store();
    let backfilled = false;
    if (this.ctx.running() && server.proxmox) {
      let pending = this.backfilled.get(server.id);
      if (!pending) {
        pending = this.backfill(server, store).catch((error: unknown) => {
          engine.log.warn(`metrics: could not fill ${server.name}'s history from Proxmox`, error);
          return false;
        });
        this.backfilled.set(server.id, pending);
        backfilled = await pending;
      } else {
        // A chart asked while the first backfill runs: answer once it has landed, not before.
        await pending;
      }
    }
    return { ...store.query(server.id, range), ...(backfilled ? { backfilled: true } : {}) };
  }

  async latest(ids?: string[]): Promise<LiveMetric[]> {
    const store = await this.store();
    const wanted = ids ?? this.ctx.engine.servers().map((s) => s.id);
    const out: LiveMetric[] = [];
    for (const id of wanted) {
      const series = store.query(id, 'hour');
      const spark: Array<[number, number | null]> = series.points.map((p) => (isGap(p) ? [p.t, null] : [p.t, p.avg.cpu ?? null]));
      let sample = this.sampler.latest(id);
      if (!sample) {
        const last = [...series.points].reverse().find((p) => !isGap(p));
        if (last && !isGap(last)) sample = { t: last.t, ...last.avg };
      }
      if (!sample) continue;
      out.push({ serverId: id, sample, ...(spark.some(([, v]) => v !== null) ? { spark } : {}) });
    }
    return out;
  }

  async uptime(ref: string): Promise<UptimeSummary> {
    const server = this.ctx.engine.get(ref);
    const store = await this.store();
    const { watts, custom } = wattsFor(this.ctx.settings(), server.id);
    return uptimeSummary(server.id, store.powerChanges(server.id), this.ctx.engine.clock.now(), watts, custom, (from, to) => store.uptime(server.id, from, to, watts));
  }

  async actions(filter: ActionFilter): Promise<ActionLogEntry[]> {
    return (await this.store()).actions(filter);
  }

  async actionsCsv(filter: ActionFilter): Promise<{ csv: string; filename: string; count: number }> {
    const store = await this.store();
    const count = store.actions(filter).length;
    const stamp = new Date(this.ctx.engine.clock.now()).toISOString().slice(0, 16).replace(/[:T]/g, '-');
    return { csv: store.actionsCsv(filter), filename: `rackdeck-actions-${stamp}.csv`, count };
  }

  listAlerts(filter: { state?: 'active' | 'all'; serverId?: string; limit?: number }): AlertView[] {
    return this.alerts.book.list(filter);
  }

  /** Resolves once everything written so far is on disk. */
  async flushHistory(): Promise<void> {
    if (!this.ctx.ports.history.isOpen) return;
    const store = await this.store();
    await store.flush();
  }

  forget(id: string): void {
    this.backfilled.delete(id);
  }

  private store(): Promise<HistoryStore> {
    return this.ctx.ports.history.read(tiersFor(this.ctx.settings().retention));
  }

  /** The first view of a Proxmox node's or guest's chart: older history from rrddata, merged under what was recorded. */
  private async backfill(server: ServerConfig, store: HistoryStore): Promise<boolean> {
    const b = server.proxmox;
    if (!b) return false;
    const { engine, ports } = this.ctx;
    const now = engine.clock.now();
    if (!needsBackfill(store.query(server.id, 'week').points, now)) return false;
    const guest = b.type && b.vmid !== undefined ? { node: b.node, type: b.type, vmid: b.vmid } : undefined;
    if (!guest && server.kind !== 'proxmox-node') return false;
    const client = this.ctx.proxmox.openClient(b.cluster);
    let frames: Partial<Record<RrdTimeframe, RrdFrame>>;
    try {
      const fetchFrame = async (tf: RrdTimeframe): Promise<[RrdTimeframe, RrdFrame]> => {
        const [avg, max] = await Promise.all(guest ? [client.guestRrd(guest, tf, 'AVERAGE'), client.guestRrd(guest, tf, 'MAX')] : [client.nodeRrd(b.node, tf, 'AVERAGE'), client.nodeRrd(b.node, tf, 'MAX')]);
        return [tf, { avg, max }];
      };
      frames = Object.fromEntries(await Promise.all(RRD_TIMEFRAMES.map(fetchFrame)));
    } finally {
      client.close();
    }
    // From here on synchronous: no sample can slip in between reading what is stored and replacing it.
    const settings = this.ctx.settings();
    const at = engine.clock.now();
    const existing = existingByStep((['hour', 'day', 'week', 'month', 'year'] as const).map((r) => store.query(server.id, r)));
    const last = store.lastSampleAt(server.id);
    const series = ports.buildBackfill({
      tiers: tiersFor(settings.retention),
      kind: guest ? 'guest' : 'node',
      frames,
      existing,
      ...(last !== undefined ? { existingLast: last } : {}),
      sampleIntervalMs: settings.metricsIntervalMs,
      now: at,
    });
    if (!Number.isFinite(series.last)) return false;
    store.importSeries(server.id, series);
    if (last === undefined) this.sampler.noteRecorded(server.id, series.last);
    void store.compact().catch((e: unknown) => engine.log.warn('history: writing the backfill failed', e));
    return true;
  }
}
