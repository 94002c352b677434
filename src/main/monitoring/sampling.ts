import type { ProxmoxGuestInfo, ProxmoxNodeInfo } from '../../shared/contract/proxmox';
import type { MetricSample } from '../../shared/metrics';
import type { PowerState } from '../../shared/power';
import { mapLimit } from '../base/concurrency';
import type { ClusterRefresh } from '../proxmox/service';
import type { AlertDispatch } from './alert-dispatch';
import type { MonitoringContext } from './context';
import { backoffMs, metricsSourceOf } from './eligibility';
import { LiveBatcher } from './live-batcher';
import { METRICS_COMMAND, parseReadings, toSample, type HostReadings } from './metrics';
import { guestSample, nodeSample, type NetCounters } from './proxmox-figures';
import type { SampleListener } from './ports';

interface ProxmoxFigures {
  at: number;
  guest?: ProxmoxGuestInfo;
  node?: ProxmoxNodeInfo;
}

/** Power states in which a server runs (an init that failed still runs). */
export const UP: ReadonlySet<PowerState> = new Set(['on', 'init_failed']);

/**
 * Where the figures come from and where they go: one metrics pass reads SSH hosts (/proc, a few
 * at a time, backing off a host that fails) and records the latest Proxmox discovery figures;
 * agents' reports arrive between passes. Each sample is recorded once, in time order, into the
 * history, the live batch for the faces and the alert evaluator.
 */
export class Sampler {
  private readonly live: LiveBatcher;
  private readonly prevReadings = new Map<string, HostReadings>();
  private readonly failures = new Map<string, { count: number; until: number; message: string }>();
  private readonly latestSamples = new Map<string, MetricSample>();
  private readonly agentAt = new Map<string, number>();
  private readonly proxmoxFigures = new Map<string, ProxmoxFigures>();
  private readonly recordedAt = new Map<string, number>();
  private readonly netCounters = new Map<string, NetCounters>();
  private readonly sampleListeners = new Set<SampleListener>();

  constructor(
    private readonly ctx: MonitoringContext,
    private readonly alerts: AlertDispatch,
  ) {
    const { engine } = ctx;
    this.live = new LiveBatcher(engine.clock, ctx.tuning.liveWindowMs ?? 250, (batch) => engine.events.emit('metrics.live', batch));
  }

  /** One metrics pass: SSH hosts (bounded), then Proxmox figures; live figures go out as one batch. */
  async tick(): Promise<void> {
    const { engine } = this.ctx;
    const settings = this.ctx.settings();
    const now = engine.clock.now();
    const interval = settings.metricsIntervalMs;
    const ssh: string[] = [];
    const proxmox: string[] = [];
    for (const server of engine.servers()) {
      const v = engine.view(server.id);
      if (!v) continue;
      // A fresh agent report speaks for the server: no second source for the same figures.
      if ((this.agentAt.get(v.id) ?? -Infinity) > now - 2 * interval) continue;
      const source = metricsSourceOf(v);
      if (source.kind === 'ssh') {
        if ((this.failures.get(v.id)?.until ?? -Infinity) <= now) ssh.push(v.id);
      } else if (source.kind === 'proxmox') proxmox.push(v.id);
    }
    await mapLimit(ssh, settings.metricsConcurrency, (id) => this.pollHost(id));
    for (const id of proxmox) this.recordProxmox(id);
    this.live.flush();
  }

  /** An agent's report (the health seam `recordAgentSample`, wired by the composition root). */
  recordAgentSample(id: string, sample: MetricSample): void {
    if (!this.ctx.running() || !this.ctx.engine.find(id)) return;
    this.agentAt.set(id, sample.t);
    this.recordSample(id, sample);
    this.live.flush();
  }

  /** A power change: counters froze or restarted, and a server back up is polled again at once. */
  powerChanged(serverId: string, to: PowerState): void {
    // The next poll starts a new interval.
    if (to !== 'on') this.prevReadings.delete(serverId);
    if (UP.has(to)) this.failures.delete(serverId);
  }

  /** A cluster refresh: the newest figures of every bound guest and node, recorded at the next pass. */
  takeFigures(r: ClusterRefresh): void {
    if (!r.ok || !r.resources) return;
    const index = this.bindingIndex();
    for (const g of r.resources.guests) {
      const id = index.get(`${r.cluster}/${g.type}/${g.vmid}`);
      if (!id) continue;
      this.proxmoxFigures.set(id, { at: r.at, guest: g });
      // The first refresh sets the counters' baseline, so the first sample already has rates.
      if (!this.netCounters.has(id) && g.netin !== undefined && g.netout !== undefined) this.netCounters.set(id, { at: r.at, netin: g.netin, netout: g.netout });
    }
    for (const n of r.resources.nodes) {
      const id = index.get(`${r.cluster}/node/${n.name}`);
      if (id) this.proxmoxFigures.set(id, { at: r.at, node: n });
    }
  }

  /** Every sample recorded from now on, in the order recorded. */
  onSample(listener: SampleListener): () => void {
    this.sampleListeners.add(listener);
    return () => this.sampleListeners.delete(listener);
  }

  /** The newest sample taken while running, if any. */
  latest(id: string): MetricSample | undefined {
    return this.latestSamples.get(id);
  }

  /** A backfill gave the server history up to `at`: a Proxmox sample no newer is not recorded again. */
  noteRecorded(id: string, at: number): void {
    this.recordedAt.set(id, at);
  }

  flushLive(): void {
    this.live.flush();
  }

  forget(id: string): void {
    for (const map of [this.prevReadings, this.failures, this.latestSamples, this.agentAt, this.proxmoxFigures, this.recordedAt, this.netCounters] as Map<string, unknown>[]) map.delete(id);
  }

  private async pollHost(id: string): Promise<void> {
    const { engine } = this.ctx;
    try {
      const shell = await this.ctx.power.shellFor(id);
      const r = await shell.exec(METRICS_COMMAND, { timeoutMs: this.ctx.tuning.sshTimeoutMs ?? 15_000 });
      if (r.code !== 0) throw new Error(`the metrics command exited ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`);
      const readings = parseReadings(r.stdout);
      // The host may have gone to sleep while we read it: a late answer is not recorded.
      const view = engine.view(id);
      if (!view || view.power !== 'on') return;
      const sample = toSample(engine.clock.now(), readings, this.prevReadings.get(id));
      this.prevReadings.set(id, readings);
      this.failures.delete(id);
      this.recordSample(id, sample);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const count = (this.failures.get(id)?.count ?? 0) + 1;
      this.failures.set(id, { count, message, until: engine.clock.now() + backoffMs(count, this.ctx.settings().metricsIntervalMs) });
      if (count === 1) engine.log.warn(`metrics: reading ${id} failed: ${message}`);
    }
  }

  private recordProxmox(id: string): void {
    const figures = this.proxmoxFigures.get(id);
    if (!figures || figures.at <= (this.recordedAt.get(id) ?? -Infinity)) return;
    let sample: MetricSample | undefined;
    if (figures.guest) {
      const r = guestSample(figures.guest, figures.at, this.netCounters.get(id));
      if (r.counters) this.netCounters.set(id, r.counters);
      sample = r.sample;
    } else if (figures.node) sample = nodeSample(figures.node, figures.at);
    if (sample) this.recordSample(id, sample);
  }

  private recordSample(id: string, sample: MetricSample): void {
    const last = this.recordedAt.get(id);
    if (last !== undefined && sample.t <= last) return;
    this.recordedAt.set(id, sample.t);
    this.ctx.ports.history.write((h) => h.record(id, sample));
    for (const listener of this.sampleListeners) {
      try {
        listener(id, sample);
      } catch (error) {
        this.ctx.engine.log.warn('metrics: a sample listener failed', error);
      }
    }
    this.latestSamples.set(id, sample);
    this.live.add(id, sample);
    const name = this.ctx.engine.find(id)?.name ?? id;
    this.alerts.dispatch(this.alerts.evaluator.sample(id, name, sample));
  }

  /** Which server each Proxmox guest and node is, by cluster and vmid or node name. */
  private bindingIndex(): Map<string, string> {
    const index = new Map<string, string>();
    for (const s of this.ctx.engine.servers()) {
      const b = s.proxmox;
      if (!b) continue;
      if (b.type && b.vmid !== undefined) index.set(`${b.cluster}/${b.type}/${b.vmid}`, s.id);
      else if (s.kind === 'proxmox-node') index.set(`${b.cluster}/node/${b.node}`, s.id);
    }
    return index;
  }
}
