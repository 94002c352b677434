import type { HealthView } from '../../shared/contract/agents';
import {
  DEFAULT_ALERT_RULES,
  alertRulesSchema,
  monitoringSettingsSchema,
  type AlertConfigView,
  type AlertKind,
  type AlertRule,
  type AlertView,
  type ChannelTestResult,
  type EmailChannel,
  type LiveMetric,
  type MetricSeriesView,
  type MonitoringSettings,
  type MonitoringSettingsView,
  type ServiceReport,
  type UptimeSummary,
  type WebhookChannel,
} from '../../shared/contract/monitoring';
import type { ProxmoxGuestInfo, ProxmoxNodeInfo, ProxmoxTask } from '../../shared/contract/proxmox';
import type { ServersPatch } from '../../shared/events';
import { isGap, type ActionFace, type ActionFilter, type ActionInput, type ActionLogEntry, type HistoryRange, type MetricSample } from '../../shared/metrics';
import { isTransitional, type PowerState } from '../../shared/power';
import type { ServerConfig, ServerView } from '../../shared/server';
import type { TimerHandle } from '../base/clock';
import { mapLimit } from '../base/concurrency';
import type { Engine } from '../inventory/engine';
import { HandlerError, notFound } from '../base/errors';
import type { EnginePart } from '../health/hooks';
import { createLoop, type Loop } from '../base/loop';
import { METRICS_COMMAND, parseReadings, toSample, type HostReadings } from './metrics';
import type { PowerChange } from '../inventory/notices';
import type { PowerActionEvent } from '../power/controller';
import type { ClusterRefresh } from '../proxmox/service';
import { currentCall } from '../ipc/router';
import { probeHost, type Prober } from '../drivers/probe';
import { RRD_TIMEFRAMES, type RrdTimeframe } from '../drivers/proxmox/model/rrd';
import type { HistoryStore } from '../store/history';
import { faceOf, powerEntry, taskEntry, taskResult } from './action-entries';
import type { AlertBook, AlertChange } from './alerts/book';
import { AlertEvaluator, type ConditionInput } from './alerts/evaluator';
import { loadAlertBook, saveAlertBook } from './alerts-file';
import { buildBackfill, existingByStep, needsBackfill, type RrdFrame } from './backfill';
import { channelSecretsStore, type ChannelSecrets } from './channel-secrets';
import { sendEmail as smtpSend } from './channels/email';
import { outgoingOf, testAlert, type OutgoingAlert } from './channels/message';
import { sendWebhook as webhookSend } from './channels/webhook';
import { backoffMs, metricsSourceOf } from './eligibility';
import { HistoryHandle } from './history-handle';
import { LiveBatcher } from './live-batcher';
import { guestSample, nodeSample, type NetCounters } from './proxmox-figures';
import { ServiceChecker } from './services/checker';
import type { SniffResult } from './services/sniff';
import { maxGapFor, settingsView, tiersFor, wattsFor } from './settings';
import { uptimeSummary } from './uptime-summary';

export interface MonitoringOptions {
  home: string;
  /** Tests: a fake prober or sniffer for service checks. */
  probe?: Prober;
  sniff?: (host: string, port: number, timeoutMs: number) => Promise<SniffResult>;
  secrets?: ChannelSecrets;
  sendEmail?: typeof smtpSend;
  sendWebhook?: typeof webhookSend;
  /** How long one SSH metrics poll may take (default 15 s). */
  sshTimeoutMs?: number;
  /** Live figures are batched this long (default 250 ms). */
  liveWindowMs?: number;
}

/** Kinds whose notice the engine already raises itself (power, Proxmox, health): the alert adds e-mail, webhook and the list. */
const ENGINE_TELLS: ReadonlySet<AlertKind> = new Set(['wake_failed', 'task_failed', 'host_key', 'certificate', 'agent_stale']);
const DEFAULT_RULES = alertRulesSchema.parse(DEFAULT_ALERT_RULES);
const UP: ReadonlySet<PowerState> = new Set(['on', 'init_failed']);
const HOUR = 3_600_000;

interface ProxmoxFigures {
  at: number;
  guest?: ProxmoxGuestInfo;
  node?: ProxmoxNodeInfo;
}

/**
 * The monitoring capability (issue 6), an EnginePart: the metrics loop (SSH /proc for hosts,
 * discovery figures for Proxmox, agent reports), the history (metrics, power changes, the action
 * log), service checks, and the alert rules with their notifications. It listens to the engine
 * (patches, power actions, Proxmox refreshes and tasks, agent health) and decides nothing the
 * engine owns. Decisions are the pure modules beside it; this file sequences I/O.
 */
export class MonitoringService implements EnginePart {
  private readonly history: HistoryHandle;
  private readonly checker: ServiceChecker;
  private readonly live: LiveBatcher;
  private readonly secrets: ChannelSecrets;
  private bookImpl: AlertBook | undefined;
  private evaluatorImpl: AlertEvaluator | undefined;
  private metricsLoop: Loop | undefined;
  private servicesLoop: Loop | undefined;
  private servicesStart: TimerHandle | undefined;
  private started = false;

  private readonly prevReadings = new Map<string, HostReadings>();
  private readonly failures = new Map<string, { count: number; until: number; message: string }>();
  private readonly latestSamples = new Map<string, MetricSample>();
  private readonly agentAt = new Map<string, number>();
  private readonly proxmoxFigures = new Map<string, ProxmoxFigures>();
  private readonly recordedAt = new Map<string, number>();
  private readonly netCounters = new Map<string, NetCounters>();
  private readonly reports = new Map<string, ServiceReport>();
  private readonly hostKeys = new Set<string>();
  private readonly healthDown = new Set<string>();
  private readonly certificateBad = new Set<string>();
  private readonly actionFaces = new Map<string, ActionFace>();
  private readonly powerInFlight = new Set<string>();
  private readonly tasksSeen = new Map<string, 'running' | 'stopped'>();
  /** One backfill per server, shared by every request that arrives while it runs. */
  private readonly backfilled = new Map<string, Promise<boolean>>();
  private readonly channelErrors = new Map<string, number>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly offs: Array<() => void> = [];

  constructor(
    private readonly engine: Engine,
    private readonly options: MonitoringOptions,
  ) {
    this.history = new HistoryHandle({
      dir: HistoryHandle.dirOf(options.home),
      clock: engine.clock,
      log: engine.log,
      onRecoveries: (list) => {
        for (const r of list) engine.notify({ level: 'warning', title: 'A history file could not be read', body: `It was kept as ${r.backupPath} (${r.reason}); charts start again from now.` });
      },
    });
    this.secrets = options.secrets ?? channelSecretsStore(options.home);
    // The engine's prober, so a test's simulated network is the one checked; behind a simulated
    // prober nothing is real to sniff, so sniffing is then off unless a test brings its own.
    const probe = options.probe ?? engine.prober;
    const sniff = options.sniff ?? (probe === probeHost ? undefined : async () => ({}));
    this.checker = new ServiceChecker({ commonPorts: true, timeoutMs: 1500, probe, ...(sniff ? { sniff } : {}) });
    this.live = new LiveBatcher(engine.clock, options.liveWindowMs ?? 250, (batch) => engine.events.emit('metrics.live', batch));
    this.offs.push(
      engine.events.on('servers.patch', (p) => this.onPatch(p)),
      engine.onPowerChange((c) => this.onPowerChange(c)),
      engine.events.on('health.changed', (h) => this.onHealth(h)),
      engine.power.onAction((e) => this.onPowerAction(e)),
      engine.proxmox.onTask((t) => this.onTask(t)),
      engine.proxmox.onRefresh((r) => this.onRefresh(r)),
    );
  }

  private get settings(): MonitoringSettings {
    return this.engine.settings.monitoring;
  }

  private get book(): AlertBook {
    this.bookImpl ??= loadAlertBook(this.options.home, (m) => this.engine.log.warn(m), this.engine.clock.now());
    return this.bookImpl;
  }

  private get evaluator(): AlertEvaluator {
    this.evaluatorImpl ??= new AlertEvaluator(this.book, this.settings.alerts.rules, maxGapFor(this.settings));
    return this.evaluatorImpl;
  }

  // ------------------------------------------------------------------ lifecycle

  start(): void {
    if (this.started) return;
    this.started = true;
    const s = this.settings;
    void this.history.open(tiersFor(s.retention), s.flushIntervalMs).catch((error: unknown) => {
      this.engine.log.error('history: could not be opened', error);
      this.engine.notify({ level: 'error', title: 'Metrics history is unavailable', body: error instanceof Error ? error.message : String(error) });
    });
    const now = this.engine.clock.now();
    for (const s of this.engine.servers()) {
      const v = this.engine.view(s.id);
      if (!v) continue;
      if (v.power !== 'unknown') this.history.write((h) => h.recordPower(v.id, v.since, v.power));
      if (v.hostKey) this.hostKeys.add(v.id);
    }
    this.evaluator.setMaxGap(maxGapFor(this.settings));
    // Rules or servers removed while Rackdeck was not running: their alerts end quietly.
    const known = new Set(this.engine.servers().map((x) => x.id));
    this.dispatch([...this.evaluator.setRules(this.settings.alerts.rules, now), ...this.evaluator.book.retire((a) => a.serverId === undefined || known.has(a.serverId), now)]);
    this.metricsLoop = createLoop('metrics', s.metricsIntervalMs, () => this.tick(), { clock: this.engine.clock, log: this.engine.log });
    this.servicesLoop = createLoop('service checks', s.serviceChecks.intervalMs, () => this.checkServices(), { clock: this.engine.clock, log: this.engine.log });
    this.metricsLoop.start();
    // The first service pass waits for the first status sweep: at start every server is still "unknown".
    if (s.serviceChecks.enabled) this.servicesStart = this.engine.clock.setTimeout(() => this.servicesLoop?.start(), Math.min(s.serviceChecks.intervalMs, 15_000));
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.metricsLoop?.stop();
    this.servicesLoop?.stop();
    if (this.servicesStart !== undefined) this.engine.clock.clearTimeout(this.servicesStart);
    this.servicesStart = undefined;
    this.live.flush();
    this.saveNow();
    this.engine.finishAfterStop(this.history.close());
  }

  // ------------------------------------------------------------------ the metrics loop

  /** One metrics pass: SSH hosts (bounded), then Proxmox figures; live figures go out as one batch. */
  async tick(): Promise<void> {
    const now = this.engine.clock.now();
    const interval = this.settings.metricsIntervalMs;
    const ssh: string[] = [];
    const proxmox: string[] = [];
    for (const server of this.engine.servers()) {
      const v = this.engine.view(server.id);
      if (!v) continue;
      // A fresh agent report speaks for the server: no second source for the same figures.
      if ((this.agentAt.get(v.id) ?? -Infinity) > now - 2 * interval) continue;
      const source = metricsSourceOf(v);
      if (source.kind === 'ssh') {
        if ((this.failures.get(v.id)?.until ?? -Infinity) <= now) ssh.push(v.id);
      } else if (source.kind === 'proxmox') proxmox.push(v.id);
    }
    await mapLimit(ssh, this.settings.metricsConcurrency, (id) => this.pollHost(id));
    for (const id of proxmox) this.recordProxmox(id);
    this.live.flush();
  }

  private async pollHost(id: string): Promise<void> {
    try {
      const shell = await this.engine.power.shellFor(id);
      const r = await shell.exec(METRICS_COMMAND, { timeoutMs: this.options.sshTimeoutMs ?? 15_000 });
      if (r.code !== 0) throw new Error(`the metrics command exited ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`);
      const readings = parseReadings(r.stdout);
      // The host may have gone to sleep while we read it: a late answer is not recorded.
      const view = this.engine.view(id);
      if (!view || view.power !== 'on') return;
      const sample = toSample(this.engine.clock.now(), readings, this.prevReadings.get(id));
      this.prevReadings.set(id, readings);
      this.failures.delete(id);
      this.recordSample(id, sample);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const count = (this.failures.get(id)?.count ?? 0) + 1;
      this.failures.set(id, { count, message, until: this.engine.clock.now() + backoffMs(count, this.settings.metricsIntervalMs) });
      if (count === 1) this.engine.log.warn(`metrics: reading ${id} failed: ${message}`);
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

  /** An agent's report (engine.hooks.recordAgentSample). */
  recordAgentSample(id: string, sample: MetricSample): void {
    if (!this.started || !this.engine.find(id)) return;
    this.agentAt.set(id, sample.t);
    this.recordSample(id, sample);
    this.live.flush();
  }

  private recordSample(id: string, sample: MetricSample): void {
    const last = this.recordedAt.get(id);
    if (last !== undefined && sample.t <= last) return;
    this.recordedAt.set(id, sample.t);
    this.history.write((h) => h.record(id, sample));
    this.latestSamples.set(id, sample);
    this.live.add(id, sample);
    const name = this.engine.find(id)?.name ?? id;
    this.dispatch(this.evaluator.sample(id, name, sample));
  }

  // ------------------------------------------------------------------ what the engine tells

  private onPatch(patch: ServersPatch): void {
    if (!this.started) return;
    const now = this.engine.clock.now();
    for (const v of patch.upsert) {
      if (v.hostKey && !this.hostKeys.has(v.id)) {
        this.hostKeys.add(v.id);
        this.condition('host_key', { subject: v.id, serverId: v.id, serverName: v.name, active: true, at: now, title: `The SSH host key of ${v.name} changed`, body: `Expected ${v.hostKey.expected}, got ${v.hostKey.presented}. Rackdeck will not connect until the new key is accepted.` });
      } else if (!v.hostKey && this.hostKeys.delete(v.id)) {
        this.condition('host_key', { subject: v.id, serverId: v.id, serverName: v.name, active: false, at: now, title: `The SSH host key of ${v.name} is trusted again`, body: 'The key it presents is the pinned one.' });
      }
    }
    for (const id of patch.remove) this.forgetServer(id, now);
  }

  /** Every power change, as it happens: the uptime history, and whether a server went down. */
  private onPowerChange(c: PowerChange): void {
    if (!this.started) return;
    if (c.to !== 'unknown') this.history.write((h) => h.recordPower(c.serverId, c.at, c.to));
    // Counters froze or restarted: the next poll starts a new interval.
    if (c.to !== 'on') this.prevReadings.delete(c.serverId);
    if (UP.has(c.to)) this.failures.delete(c.serverId);
    const name = c.serverName;
    if (UP.has(c.from) && (c.to === 'off' || c.to === 'stopped')) {
      const detail = c.detail ? ` (${c.detail})` : '';
      // The engine already says "went down" for on → off; a guest stopping is news only here.
      this.condition('down', { subject: c.serverId, serverId: c.serverId, serverName: name, active: true, at: c.at, title: `${name} is down`, body: `It stopped answering${detail}.` }, c.to === 'off' && c.from === 'on');
    } else if (UP.has(c.to) || isTransitional(c.to)) {
      this.condition('down', { subject: c.serverId, serverId: c.serverId, serverName: name, active: false, at: c.at, title: `${name} is back`, body: `It is ${c.to === 'on' ? 'answering again' : c.to}.` });
    }
  }

  private onHealth(h: HealthView): void {
    if (!this.started) return;
    const name = this.engine.find(h.serverId)?.name ?? h.serverId;
    const now = this.engine.clock.now();
    if (h.state === 'down' && !this.healthDown.has(h.serverId)) {
      this.healthDown.add(h.serverId);
      this.condition('agent_stale', { subject: h.serverId, serverId: h.serverId, serverName: name, active: true, at: now, title: `${name} stopped reporting`, body: h.detail ?? 'No heartbeat from its agent.' });
    } else if ((h.state === 'healthy' || h.state === 'warning' || h.state === 'unknown') && this.healthDown.delete(h.serverId)) {
      this.condition('agent_stale', { subject: h.serverId, serverId: h.serverId, serverName: name, active: false, at: now, title: `${name} is reporting again`, body: 'Its agent sends heartbeats again.' });
    }
  }

  private onPowerAction(e: PowerActionEvent): void {
    if (!this.started) return;
    const server = this.engine.find(e.serverId);
    if (e.phase === 'started') {
      const face = faceOf(currentCall.getStore(), e.fromReconcile);
      this.actionFaces.set(e.serverId, face);
      this.powerInFlight.add(e.serverId);
      this.logAction(powerEntry(e, server, face));
      return;
    }
    this.powerInFlight.delete(e.serverId);
    const face = this.actionFaces.get(e.serverId) ?? 'engine';
    this.actionFaces.delete(e.serverId);
    this.logAction(powerEntry(e, server, face));
    if (e.action !== 'wake' || !server) return;
    const failed = e.outcome !== 'reached';
    this.condition('wake_failed', {
      subject: server.id,
      serverId: server.id,
      serverName: server.name,
      active: failed,
      at: e.at,
      title: failed ? `${server.name} did not wake` : `${server.name} woke`,
      body: failed ? (e.detail ?? (e.outcome === 'timeout' ? 'It did not answer in time after the wake request.' : 'The wake request failed.')) : 'It answered after the wake request.',
      repeats: true,
    });
  }

  private onTask(task: ProxmoxTask): void {
    if (!this.started) return;
    const seen = this.tasksSeen.get(task.upid);
    const status = task.status === 'stopped' || task.error ? 'stopped' : 'running';
    if (seen === status) return;
    this.tasksSeen.set(task.upid, status);
    if (this.tasksSeen.size > 2000) this.tasksSeen.delete(this.tasksSeen.keys().next().value as string);
    const server = task.serverId ? this.engine.find(task.serverId) : undefined;
    // A power command through Proxmox is logged as that command (its start and its result).
    const partOfPower = task.serverId !== undefined && this.powerInFlight.has(task.serverId);
    const now = this.engine.clock.now();
    if (!partOfPower) {
      if (!seen && status === 'stopped') this.logAction(taskEntry({ ...task, status: 'running', outcome: 'running' }, server?.name, faceOf(currentCall.getStore()), task.startedAt));
      this.logAction(taskEntry(task, server?.name, faceOf(currentCall.getStore()), status === 'stopped' ? (task.endedAt ?? now) : task.startedAt));
    }
    if (status !== 'stopped') return;
    const failed = taskResult(task) === 'failed';
    const subject = task.serverId ?? `cluster:${task.cluster}`;
    const name = server?.name ?? task.cluster;
    this.condition('task_failed', {
      subject,
      ...(server ? { serverId: server.id, serverName: server.name } : {}),
      active: failed,
      at: now,
      title: failed ? `${name}: ${task.action} failed` : `${name}: ${task.action} succeeded`,
      body: failed ? (task.error ?? task.exitstatus ?? 'The Proxmox task failed.') : 'The last task ended well.',
      repeats: true,
    });
  }

  private onRefresh(r: ClusterRefresh): void {
    if (!this.started) return;
    if (r.ok && r.resources) {
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
    const subject = `cluster:${r.cluster}`;
    if (!r.ok && r.error?.kind === 'certificate_mismatch') {
      if (this.certificateBad.has(r.cluster)) return;
      this.certificateBad.add(r.cluster);
      const fp = r.error.fingerprint ? ` It now presents ${r.error.fingerprint}.` : '';
      this.condition('certificate', { subject, active: true, at: r.at, title: `The certificate of Proxmox cluster ${r.cluster} changed`, body: `${r.error.message}${fp} Compare it with the node before trusting it.` });
    } else if (r.ok && this.certificateBad.delete(r.cluster)) {
      this.condition('certificate', { subject, active: false, at: r.at, title: `Proxmox cluster ${r.cluster} is trusted again`, body: 'Its certificate matches the pinned one.' });
    }
  }

  private bindingIndex(): Map<string, string> {
    const index = new Map<string, string>();
    for (const s of this.engine.servers()) {
      const b = s.proxmox;
      if (!b) continue;
      if (b.type && b.vmid !== undefined) index.set(`${b.cluster}/${b.type}/${b.vmid}`, s.id);
      else if (s.kind === 'proxmox-node') index.set(`${b.cluster}/node/${b.node}`, s.id);
    }
    return index;
  }

  private forgetServer(id: string, now: number): void {
    this.history.write((h) => h.removeServer(id));
    for (const map of [this.prevReadings, this.failures, this.latestSamples, this.agentAt, this.proxmoxFigures, this.recordedAt, this.netCounters, this.reports] as Map<string, unknown>[]) map.delete(id);
    this.hostKeys.delete(id);
    this.healthDown.delete(id);
    this.backfilled.delete(id);
    this.dispatch(this.evaluator.forgetServer(id, now));
  }

  private logAction(entry: ActionInput): void {
    this.history.write((h) => h.logAction(entry));
  }

  // ------------------------------------------------------------------ alerts

  private condition(kind: AlertKind, input: ConditionInput, engineTold = ENGINE_TELLS.has(kind)): void {
    this.dispatch(this.evaluator.condition(kind, input), engineTold);
  }

  private dispatch(changes: AlertChange[], engineTold?: boolean): void {
    if (changes.length === 0) return;
    for (const change of changes) {
      this.engine.events.emit('alerts.changed', change.alert);
      if (!change.notify || change.kind === 'acknowledged') continue;
      const a = change.alert;
      const told = engineTold ?? ENGINE_TELLS.has(a.kind);
      if (change.kind !== 'resolved' && !told) {
        this.engine.notify({ level: a.severity === 'error' ? 'error' : 'warning', title: a.title, body: a.body, ...(a.serverId ? { serverId: a.serverId } : {}) });
      }
      const rule = this.evaluator.currentRules.find((r) => r.id === a.ruleId);
      void this.sendChannels(outgoingOf(a, change.kind, change.message), rule);
    }
    this.saveSoon();
  }

  private async sendChannels(alert: OutgoingAlert, rule: AlertRule | undefined): Promise<void> {
    const { email, webhook } = this.settings.alerts;
    const jobs: Promise<void>[] = [];
    if (email.enabled && (rule?.email ?? true)) jobs.push(this.deliver('email', () => this.sendEmailNow(email, alert)));
    if (webhook.enabled && (rule?.webhook ?? true)) jobs.push(this.deliver('webhook', () => this.sendWebhookNow(webhook, alert)));
    await Promise.all(jobs);
  }

  private async deliver(channel: 'email' | 'webhook', send: () => Promise<string>): Promise<void> {
    try {
      await send();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.engine.log.warn(`alerts: the ${channel} could not be sent: ${message}`);
      const now = this.engine.clock.now();
      // Said once an hour, not once per alert: a broken mail server must not become a flood of its own.
      if (now - (this.channelErrors.get(channel) ?? -Infinity) >= HOUR) {
        this.channelErrors.set(channel, now);
        this.engine.notify({ level: 'warning', title: channel === 'email' ? 'An alert e-mail could not be sent' : 'An alert webhook could not be sent', body: message });
      }
    }
  }

  private sendEmailNow(channel: EmailChannel, alert: OutgoingAlert): Promise<string> {
    return (this.options.sendEmail ?? smtpSend)(channel, this.secrets.get('smtp.password'), alert);
  }

  private sendWebhookNow(channel: WebhookChannel, alert: OutgoingAlert): Promise<string> {
    const url = this.secrets.get('webhook.url');
    if (!url) return Promise.reject(new Error('no webhook URL is set'));
    return (this.options.sendWebhook ?? webhookSend)(channel, url, alert);
  }

  private saveSoon(): void {
    if (this.saveTimer !== undefined || !this.started) return;
    // Real time, not the engine's clock: this is about disk writes, and a fake clock must not hold them.
    this.saveTimer = setTimeout(() => this.saveNow(), 500);
    this.saveTimer.unref?.();
  }

  private saveNow(): void {
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.bookImpl) return;
    try {
      saveAlertBook(this.options.home, this.bookImpl);
    } catch (error) {
      this.engine.log.warn('alerts: could not be saved', error);
    }
  }

  listAlerts(filter: { state?: 'active' | 'all'; serverId?: string; limit?: number }): AlertView[] {
    return this.book.list(filter);
  }

  ack(id: string): AlertView {
    const change = this.book.acknowledge(id, this.engine.clock.now());
    if (!change) throw notFound(`Alert "${id}"`);
    this.engine.events.emit('alerts.changed', change.alert);
    this.saveSoon();
    if (!this.started) this.saveNow();
    return change.alert;
  }

  ackAll(serverId?: string): number {
    const changes = this.book.acknowledgeAll(this.engine.clock.now(), serverId);
    for (const c of changes) this.engine.events.emit('alerts.changed', c.alert);
    if (changes.length) {
      this.saveSoon();
      if (!this.started) this.saveNow();
    }
    return changes.length;
  }

  alertConfig(): AlertConfigView {
    const { rules, email, webhook } = this.settings.alerts;
    const url = this.secrets.has('webhook.url') ? this.secrets.get('webhook.url') : undefined;
    let urlHint: string | undefined;
    try {
      if (url) urlHint = `${new URL(url).origin}/…`;
    } catch {
      urlHint = undefined;
    }
    return {
      rules,
      email: { ...email, passwordSet: this.secrets.has('smtp.password') },
      webhook: { ...webhook, urlSet: url !== undefined, ...(urlHint ? { urlHint } : {}) },
      defaults: DEFAULT_RULES,
    };
  }

  setRules(rules: AlertRule[]): AlertConfigView {
    this.saveSettings({ ...this.settings, alerts: { ...this.settings.alerts, rules } });
    this.dispatch(this.evaluator.setRules(this.settings.alerts.rules, this.engine.clock.now()));
    return this.alertConfig();
  }

  setChannels(input: { email?: EmailChannel | undefined; password?: string | null | undefined; webhook?: WebhookChannel | undefined; url?: string | null | undefined }): AlertConfigView {
    if (input.webhook?.enabled && input.url === null) throw new HandlerError('bad_request', 'A webhook needs a URL', { url: 'required while the webhook is on' });
    if (input.webhook?.enabled && input.url === undefined && !this.secrets.has('webhook.url')) throw new HandlerError('bad_request', 'A webhook needs a URL', { url: 'required while the webhook is on' });
    if (input.webhook?.format === 'ntfy') {
      const url = input.url ?? this.secrets.get('webhook.url');
      if (url && new URL(url).pathname.split('/').filter(Boolean).length === 0) throw new HandlerError('bad_request', 'An ntfy URL names its topic', { url: 'like https://ntfy.sh/my-topic' });
    }
    if (input.password !== undefined) this.secrets.set('smtp.password', input.password);
    if (input.url !== undefined) this.secrets.set('webhook.url', input.url);
    const alerts = { ...this.settings.alerts, ...(input.email ? { email: input.email } : {}), ...(input.webhook ? { webhook: input.webhook } : {}) };
    this.saveSettings({ ...this.settings, alerts });
    return this.alertConfig();
  }

  async testChannel(channel: 'email' | 'webhook'): Promise<ChannelTestResult> {
    const alert = testAlert(this.engine.clock.now());
    try {
      const detail = channel === 'email' ? await this.sendEmailNow(this.settings.alerts.email, alert) : await this.sendWebhookNow(this.settings.alerts.webhook, alert);
      return { ok: true, detail };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  // ------------------------------------------------------------------ settings

  settingsView(): MonitoringSettingsView {
    return settingsView(this.settings);
  }

  updateSettings(patch: {
    metricsIntervalMs?: number | undefined;
    metricsConcurrency?: number | undefined;
    flushIntervalMs?: number | undefined;
    retention?: Partial<MonitoringSettings['retention']> | undefined;
    serviceChecks?: Partial<MonitoringSettings['serviceChecks']> | undefined;
    energy?: { default?: MonitoringSettings['energy']['default'] | undefined; servers?: Record<string, MonitoringSettings['energy']['default'] | null> | undefined } | undefined;
  }): MonitoringSettingsView {
    const s = this.settings;
    const servers = { ...s.energy.servers };
    for (const [id, w] of Object.entries(patch.energy?.servers ?? {})) {
      if (!this.engine.find(id)) throw new HandlerError('bad_request', `No server "${id}"`, { [`energy.servers.${id}`]: 'no such server' });
      if (w === null) delete servers[id];
      else servers[id] = w;
    }
    const next: MonitoringSettings = {
      ...s,
      ...(patch.metricsIntervalMs !== undefined ? { metricsIntervalMs: patch.metricsIntervalMs } : {}),
      ...(patch.metricsConcurrency !== undefined ? { metricsConcurrency: patch.metricsConcurrency } : {}),
      ...(patch.flushIntervalMs !== undefined ? { flushIntervalMs: patch.flushIntervalMs } : {}),
      retention: { ...s.retention, ...definedOnly(patch.retention ?? {}) },
      serviceChecks: { ...s.serviceChecks, ...definedOnly(patch.serviceChecks ?? {}) },
      energy: { default: patch.energy?.default ?? s.energy.default, servers },
    };
    const historyChanged = JSON.stringify(next.retention) !== JSON.stringify(s.retention) || next.flushIntervalMs !== s.flushIntervalMs;
    this.saveSettings(next);
    const applied = this.settings;
    this.metricsLoop?.setInterval(applied.metricsIntervalMs);
    this.servicesLoop?.setInterval(applied.serviceChecks.intervalMs);
    if (this.started && !applied.serviceChecks.enabled) this.servicesLoop?.stop();
    if (this.started && applied.serviceChecks.enabled && !s.serviceChecks.enabled) this.servicesLoop?.start();
    this.evaluator.setMaxGap(maxGapFor(applied));
    if (this.started && historyChanged) {
      // New ring sizes: the store is written, then read back into them.
      void this.history.close();
      void this.history.open(tiersFor(applied.retention), applied.flushIntervalMs).catch((e: unknown) => this.engine.log.error('history: reopen failed', e));
    }
    return settingsView(applied);
  }

  private saveSettings(next: MonitoringSettings): void {
    const parsed = monitoringSettingsSchema.safeParse(next);
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[issue.path.join('.')] ??= issue.message;
      throw new HandlerError('bad_request', `Invalid settings: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ')}`, fields);
    }
    this.engine.updateSettings({ monitoring: parsed.data });
  }

  // ------------------------------------------------------------------ queries

  private store(): Promise<HistoryStore> {
    return this.history.read(tiersFor(this.settings.retention));
  }

  async series(ref: string, range: HistoryRange): Promise<MetricSeriesView> {
    const server = this.engine.get(ref);
    const store = await this.store();
    let backfilled = false;
    if (this.started && server.proxmox) {
      let pending = this.backfilled.get(server.id);
      if (!pending) {
        pending = this.backfill(server, store).catch((error: unknown) => {
          this.engine.log.warn(`metrics: could not fill ${server.name}'s history from Proxmox`, error);
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

  /** The first view of a Proxmox node's or guest's chart: older history from rrddata, merged under what was recorded. */
  private async backfill(server: ServerConfig, store: HistoryStore): Promise<boolean> {
    const b = server.proxmox;
    if (!b) return false;
    const now = this.engine.clock.now();
    if (!needsBackfill(store.query(server.id, 'week').points, now)) return false;
    const guest = b.type && b.vmid !== undefined ? { node: b.node, type: b.type, vmid: b.vmid } : undefined;
    if (!guest && server.kind !== 'proxmox-node') return false;
    const client = this.engine.proxmox.openClient(b.cluster);
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
    const at = this.engine.clock.now();
    const existing = existingByStep((['hour', 'day', 'week', 'month', 'year'] as const).map((r) => store.query(server.id, r)));
    const last = store.lastSampleAt(server.id);
    const series = buildBackfill({
      tiers: tiersFor(this.settings.retention),
      kind: guest ? 'guest' : 'node',
      frames,
      existing,
      ...(last !== undefined ? { existingLast: last } : {}),
      sampleIntervalMs: this.settings.metricsIntervalMs,
      now: at,
    });
    if (!Number.isFinite(series.last)) return false;
    store.importSeries(server.id, series);
    if (last === undefined) this.recordedAt.set(server.id, series.last);
    void store.compact().catch((e: unknown) => this.engine.log.warn('history: writing the backfill failed', e));
    return true;
  }

  async latest(ids?: string[]): Promise<LiveMetric[]> {
    const store = await this.store();
    const wanted = ids ?? this.engine.servers().map((s) => s.id);
    const out: LiveMetric[] = [];
    for (const id of wanted) {
      const series = store.query(id, 'hour');
      const spark: Array<[number, number | null]> = series.points.map((p) => (isGap(p) ? [p.t, null] : [p.t, p.avg.cpu ?? null]));
      let sample = this.latestSamples.get(id);
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
    const server = this.engine.get(ref);
    const store = await this.store();
    const { watts, custom } = wattsFor(this.settings, server.id);
    return uptimeSummary(server.id, store.powerChanges(server.id), this.engine.clock.now(), watts, custom);
  }

  async actions(filter: ActionFilter): Promise<ActionLogEntry[]> {
    return (await this.store()).actions(filter);
  }

  async actionsCsv(filter: ActionFilter): Promise<{ csv: string; filename: string; count: number }> {
    const store = await this.store();
    const count = store.actions(filter).length;
    const stamp = new Date(this.engine.clock.now()).toISOString().slice(0, 16).replace(/[:T]/g, '-');
    return { csv: store.actionsCsv(filter), filename: `rackdeck-actions-${stamp}.csv`, count };
  }

  // ------------------------------------------------------------------ service checks

  async services(ref: string, refresh = false): Promise<ServiceReport> {
    const server = this.engine.get(ref);
    const view = this.engine.view(server.id);
    const known = this.reports.get(server.id);
    const why = this.uncheckable(server, view);
    if (why) return { ...(known ?? { serverId: server.id, services: [] }), note: why };
    const stale = !known || this.engine.clock.now() - (known.checkedAt ?? 0) > this.settings.serviceChecks.intervalMs;
    if (refresh || stale) return this.checkOne(server);
    return known;
  }

  /** One pass over every server that can be checked, a few at a time. */
  async checkServices(): Promise<void> {
    if (!this.settings.serviceChecks.enabled) return;
    const targets = this.engine.servers().filter((s) => !this.uncheckable(s, this.engine.view(s.id)));
    await mapLimit(targets, 8, (s) => this.checkOne(s).then(() => undefined));
  }

  private async checkOne(server: ServerConfig): Promise<ServiceReport> {
    const sc = this.settings.serviceChecks;
    this.checker.configure({ commonPorts: sc.commonPorts, timeoutMs: sc.timeoutMs });
    const report = await this.checker.check({ id: server.id, address: server.address, ports: server.ports }, () => this.engine.clock.now());
    this.reports.set(server.id, report);
    return report;
  }

  private uncheckable(server: ServerConfig, view: ServerView | undefined): string | undefined {
    if (!this.settings.serviceChecks.enabled) return 'Service checks are turned off.';
    if (!view) return 'Unknown server.';
    if (!UP.has(view.power)) return `It is ${view.power.replace('_', ' ')}: services are checked while it runs.`;
    // A guest with no address of its own carries its node's: checking it would show the node's services.
    const parent = server.parentId ? this.engine.find(server.parentId) : undefined;
    if (parent && parent.address === server.address && (server.kind === 'vm' || server.kind === 'lxc')) return 'It has no address of its own yet.';
    return undefined;
  }

  /** For tests: the evaluator's view and the alert book. */
  get alertEvaluator(): AlertEvaluator {
    return this.evaluator;
  }

  /** For tests and the CLI: resolves once everything written so far is on disk. */
  async flushHistory(): Promise<void> {
    if (!this.history.isOpen) return;
    const store = await this.store();
    await store.flush();
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
