import type { AlertConfigView, AlertKind, AlertRule, AlertView, ChannelTestResult, LiveMetric, MetricSeriesView, MonitoringSettings, MonitoringSettingsView, ServiceReport, UptimeSummary } from '../../shared/contract/monitoring';
import type { ActionFilter, ActionInput, ActionLogEntry, HistoryRange, MetricSample } from '../../shared/metrics';
import type { TimerHandle } from '../base/clock';
import { createLoop, type Loop } from '../base/loop';
import type { EnginePart } from '../health/hooks';
import type { Engine } from '../inventory/engine';
import { AlertDispatch } from './alert-dispatch';
import type { AlertEvaluator, ConditionInput } from './alerts/evaluator';
import type { MonitoringContext, MonitoringPeers } from './context';
import type { ChartSource, MonitoringPorts, MonitoringTuning, SampleListener } from './ports';
import { MonitoringQueries } from './queries';
import { Reactions } from './reactions';
import { Sampler } from './sampling';
import { ServiceChecks } from './service-checks';
import { maxGapFor, settingsView, tiersFor } from './settings';
import { SettingsWriter, type ChannelsInput, type SettingsPatch } from './settings-writer';
import { ChannelsWriter } from './channels-writer';
import type { AlertPolicyView, MaintenanceWindow, RuleOverrides } from '../../shared/contract/alert-policy';
import type { ChannelSave, ChannelTestReport, ChannelView } from '../../shared/contract/channels';

/** How often grace periods, escalations and digests are looked at (engine clock). */
const POLICY_INTERVAL_MS = 15_000;

/**
 * The monitoring capability (issue 6), an EnginePart: the metrics loop (SSH /proc for hosts,
 * discovery figures for Proxmox, agent reports), the history (metrics, power changes, the action
 * log), service checks, and the alert rules with their notifications. It listens to the engine
 * (patches, power actions, Proxmox refreshes and tasks, agent health) and decides nothing the
 * engine owns. This façade runs the loops and the lifecycle; each job is a part beside it
 * (sampling, reactions, alert dispatch, settings, queries, service checks), and every I/O comes
 * through the ports it is given.
 */
export class MonitoringService implements EnginePart {
  private readonly ctx: MonitoringContext;
  private readonly alerts: AlertDispatch;
  private readonly sampler: Sampler;
  private readonly reactions: Reactions;
  private readonly checks: ServiceChecks;
  private readonly queries: MonitoringQueries;
  private readonly settingsWriter: SettingsWriter;
  private readonly channelsWriter: ChannelsWriter;
  private policyLoop: Loop | undefined;
  private metricsLoop: Loop | undefined;
  private servicesLoop: Loop | undefined;
  private servicesStart: TimerHandle | undefined;
  private started = false;
  private readonly offs: Array<() => void> = [];

  constructor(
    private readonly engine: Engine,
    peers: MonitoringPeers,
    private readonly ports: MonitoringPorts,
    tuning: MonitoringTuning = {},
  ) {
    this.ctx = { engine, power: peers.power, proxmox: peers.proxmox, ports, tuning, settings: () => engine.settings.monitoring, running: () => this.started };
    this.alerts = new AlertDispatch(this.ctx);
    this.sampler = new Sampler(this.ctx, this.alerts);
    this.checks = new ServiceChecks(this.ctx);
    this.queries = new MonitoringQueries(this.ctx, this.sampler, this.alerts);
    this.settingsWriter = new SettingsWriter(this.ctx, this.alerts);
    this.channelsWriter = new ChannelsWriter(this.ctx, this.alerts);
    // A card's "in maintenance until …" is the core's (root/core.ts): every composition shows it.
    this.reactions = new Reactions(this.ctx, this.alerts, this.sampler, (id) => {
      this.checks.forget(id);
      this.queries.forget(id);
    });
    this.offs.push(...this.reactions.listen());
  }

  private get settings(): MonitoringSettings {
    return this.engine.settings.monitoring;
  }

  // ------------------------------------------------------------------ lifecycle

  start(): void {
    if (this.started) return;
    this.started = true;
    const s = this.settings;
    const { clock, log } = this.engine;
    this.openHistory(s, (error) => {
      log.error('history: could not be opened', error);
      this.engine.notify({ level: 'error', title: 'Metrics history is unavailable', body: error instanceof Error ? error.message : String(error) });
    });
    const now = clock.now();
    this.reactions.seed();
    const evaluator = this.alerts.evaluator;
    evaluator.setMaxGap(maxGapFor(s));
    // Rules or servers removed while Rackdeck was not running: their alerts end quietly.
    const known = new Set(this.engine.servers().map((x) => x.id));
    this.alerts.dispatch([...evaluator.setRules(s.alerts.rules, now), ...evaluator.book.retire((a) => a.serverId === undefined || known.has(a.serverId), now)]);
    this.metricsLoop = createLoop('metrics', s.metricsIntervalMs, () => this.tick(), { clock, log });
    this.servicesLoop = createLoop('service checks', s.serviceChecks.intervalMs, () => this.checkServices(), { clock, log });
    this.metricsLoop.start();
    this.policyLoop = createLoop('alert policy', POLICY_INTERVAL_MS, () => this.alerts.tick(), { clock, log });
    this.policyLoop.start();
    // The first service pass waits for the first status sweep: at start every server is still "unknown".
    if (s.serviceChecks.enabled) this.servicesStart = clock.setTimeout(() => this.servicesLoop?.start(), Math.min(s.serviceChecks.intervalMs, 15_000));
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.metricsLoop?.stop();
    this.servicesLoop?.stop();
    this.policyLoop?.stop();
    if (this.servicesStart !== undefined) this.engine.clock.clearTimeout(this.servicesStart);
    this.servicesStart = undefined;
    this.sampler.flushLive();
    this.alerts.saveNow();
    this.engine.finishAfterStop(this.alerts.channels.flushDigests(true));
    this.engine.finishAfterStop(this.ports.history.close());
  }

  /** Opens the owning history store; a file it had to set aside is told to the admin. */
  private openHistory(s: MonitoringSettings, onError: (error: unknown) => void): void {
    this.ports.history.open(tiersFor(s.retention), s.flushIntervalMs).then((store) => {
      for (const r of store.recoveries) this.engine.notify({ level: 'warning', title: 'A history file could not be read', body: `It was kept as ${r.backupPath} (${r.reason}); charts start again from now.` });
    }, onError);
  }

  // ------------------------------------------------------------------ figures

  /** One metrics pass: SSH hosts (bounded), then Proxmox figures; live figures go out as one batch. */
  tick(): Promise<void> {
    return this.sampler.tick();
  }

  /** An agent's report (the health seam `recordAgentSample`, wired by the composition root). */
  recordAgentSample(id: string, sample: MetricSample): void {
    this.sampler.recordAgentSample(id, sample);
  }

  /** Every sample recorded from now on (issue 19's remote history and Home Assistant). */
  onSample(listener: SampleListener): () => void {
    return this.sampler.onSample(listener);
  }

  /** Charts are read from `source` when it answers, from the local history otherwise. */
  useChartSource(source: ChartSource | undefined): void {
    this.queries.useChartSource(source);
  }

  series(ref: string, range: HistoryRange): Promise<MetricSeriesView> {
    return this.queries.series(ref, range);
  }

  latest(ids?: string[]): Promise<LiveMetric[]> {
    return this.queries.latest(ids);
  }

  uptime(ref: string): Promise<UptimeSummary> {
    return this.queries.uptime(ref);
  }

  /** An entry other capabilities write to the action log (schedules, idle auto-suspend: issue 17). */
  logAction(entry: ActionInput): void {
    if (this.started) this.ports.history.write((h) => h.logAction(entry));
  }

  actions(filter: ActionFilter): Promise<ActionLogEntry[]> {
    return this.queries.actions(filter);
  }

  actionsCsv(filter: ActionFilter): Promise<{ csv: string; filename: string; count: number }> {
    return this.queries.actionsCsv(filter);
  }

  /** For tests and the CLI: resolves once everything written so far is on disk. */
  flushHistory(): Promise<void> {
    return this.queries.flushHistory();
  }

  // ------------------------------------------------------------------ service checks

  services(ref: string, refresh = false): Promise<ServiceReport> {
    return this.checks.services(ref, refresh);
  }

  /** One pass over every server that can be checked, a few at a time. */
  checkServices(): Promise<void> {
    return this.checks.checkAll();
  }

  // ------------------------------------------------------------------ alerts

  listAlerts(filter: { state?: 'active' | 'all'; serverId?: string; limit?: number }): AlertView[] {
    return this.queries.listAlerts(filter);
  }

  ack(id: string, note?: string): AlertView {
    return this.alerts.ack(id, note);
  }

  ackAll(serverId?: string): number {
    return this.alerts.ackAll(serverId);
  }

  alertConfig(): AlertConfigView {
    return this.settingsWriter.alertConfig();
  }

  setRules(rules: AlertRule[]): AlertConfigView {
    return this.settingsWriter.setRules(rules);
  }

  setChannels(input: ChannelsInput): AlertConfigView {
    return this.settingsWriter.setChannels(input);
  }

  /** Another capability's condition (a check failing, issue 18) through the same rules, book and channels. */
  condition(kind: AlertKind, input: ConditionInput): void {
    this.alerts.condition(kind, input);
  }

  testChannel(channel: 'email' | 'webhook'): Promise<ChannelTestResult> {
    return this.alerts.testChannel(channel);
  }

  // ------------------------------------------------------------------ channels and policy (issue 18)

  channels(): ChannelView[] {
    return this.channelsWriter.list();
  }

  saveChannel(input: ChannelSave): ChannelView {
    return this.channelsWriter.save(input);
  }

  removeChannel(id: string): boolean {
    return this.channelsWriter.remove(id);
  }

  sendTest(id: string): Promise<ChannelTestReport> {
    return this.alerts.channels.test(id);
  }

  alertPolicy(): AlertPolicyView {
    return this.channelsWriter.policy();
  }

  setAlertPolicy(patch: { maintenance?: MaintenanceWindow[] | undefined; overrides?: RuleOverrides | undefined }): AlertPolicyView {
    return this.channelsWriter.setPolicy(patch);
  }

  /** Grace periods, escalations and digests now (the policy loop's pass; tests call it after moving the clock). */
  alertsTick(): Promise<void> {
    return this.alerts.tick();
  }

  /** For tests: the evaluator's view and the alert book. */
  get alertEvaluator(): AlertEvaluator {
    return this.alerts.evaluator;
  }

  // ------------------------------------------------------------------ settings

  settingsView(): MonitoringSettingsView {
    return settingsView(this.settings);
  }

  /** Saves the patch, then retimes the loops and, when retention or flushing changed, reopens the history. */
  updateSettings(patch: SettingsPatch): MonitoringSettingsView {
    const { before, applied, historyChanged } = this.settingsWriter.update(patch);
    this.metricsLoop?.setInterval(applied.metricsIntervalMs);
    this.servicesLoop?.setInterval(applied.serviceChecks.intervalMs);
    if (this.started && !applied.serviceChecks.enabled) this.servicesLoop?.stop();
    if (this.started && applied.serviceChecks.enabled && !before.serviceChecks.enabled) this.servicesLoop?.start();
    this.alerts.evaluator.setMaxGap(maxGapFor(applied));
    if (this.started && historyChanged) {
      // New ring sizes: the store is written, then read back into them.
      void this.ports.history.close();
      this.openHistory(applied, (e) => this.engine.log.error('history: reopen failed', e));
    }
    return settingsView(applied);
  }
}
