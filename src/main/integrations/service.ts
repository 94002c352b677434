import type { IntegrationName, IntegrationSecret, IntegrationsSettings, IntegrationsSettingsView, IntegrationsStatus, IntegrationTestResult, SetIntegrationsParsed } from '../../shared/contract/integrations';
import type { HistoryRange, MetricSample, MetricSeries } from '../../shared/metrics';
import type { DesiredPower, PowerAction, ServerView } from '../../shared/server';
import type { AlertView } from '../../shared/contract/monitoring';
import { loopTimings } from '../base/loop';
import type { Engine } from '../inventory/engine';
import { MqttBridge } from './mqtt/bridge';
import type { IntegrationsPorts, MetricsListener, ScrapeHandler } from './ports';
import { PrometheusExporter } from './prometheus/exporter';
import { RemoteHistory } from './remote-write/writer';
import { applyEdit, missingFor, queryUrlOf, settingsView } from './settings';
import { testMqtt, testRemote } from './testing';

/** What the integrations use of the other capabilities, handed in by the composition root. */
export interface IntegrationsPeers {
  power: { run(id: string, action: PowerAction): unknown; setDesired(id: string, desired: DesiredPower | null): unknown };
  alerts(): AlertView[];
  /** The local history's bucket widths (remote charts use the same). */
  historySteps(): readonly number[];
  version: string;
}

/**
 * The integrations capability (issue 19), an engine part: the Prometheus exporter (and its
 * loopback listener), the Home Assistant bridge over MQTT and the remote history. Each runs
 * while the engine runs and its settings enable it; a settings change restarts only the
 * integration it touched. Every I/O comes through the ports it is given.
 */
export class IntegrationsService {
  readonly exporter: PrometheusExporter;
  private running = false;
  private bridge: MqttBridge | undefined;
  private remote: RemoteHistory | undefined;
  private listener: { server?: MetricsListener; error?: string; opening?: Promise<void> } = {};
  private readonly latest = new Map<string, MetricSample>();
  private readonly offs: Array<() => void> = [];
  /** Restarts in flight, so a stop waits for them. */
  private work: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: Engine,
    private readonly peers: IntegrationsPeers,
    private readonly ports: IntegrationsPorts,
  ) {
    this.exporter = new PrometheusExporter({
      settings: () => this.settings.prometheus,
      token: () => this.ports.secrets.get('scrapeToken'),
      snapshot: () => ({
        now: engine.clock.now(),
        version: peers.version,
        startedAt: engine.startTime,
        servers: this.views(),
        latest: this.latest,
        alerts: peers.alerts(),
        loops: loopTimings(),
        ...(this.remote ? { remote: this.remote.view() } : {}),
        ...(this.bridge ? { mqtt: { connected: this.bridge.view().state === 'connected', commands: this.bridge.view().commands } } : {}),
      }),
      render: ports.renderExposition,
      allowMatcher: ports.allowMatcher,
      now: () => engine.clock.now(),
    });
    engine.onForget((id) => {
      this.latest.delete(id);
      this.bridge?.forget(id);
    });
  }

  private get settings(): IntegrationsSettings {
    return this.engine.settings.integrations;
  }

  /** /metrics for the web face's route and the loopback listener. */
  get scrape(): ScrapeHandler {
    return this.exporter.handle;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.offs.push(this.engine.events.on('servers.patch', (patch) => this.bridge?.serversChanged(patch)));
    for (const name of ['prometheus', 'mqtt', 'remoteWrite'] as const) this.restart(name);
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const off of this.offs.splice(0)) off();
    const parts = this.work.then(() => Promise.all([this.stopPart('prometheus'), this.stopPart('mqtt'), this.stopPart('remoteWrite')]));
    this.engine.finishAfterStop(parts.catch((error: unknown) => this.engine.log.warn('integrations: stopping failed', error)));
  }

  /** A sample the monitoring recorded: the exporter's latest figures, Home Assistant's sensors, the remote history. */
  sample(serverId: string, sample: MetricSample): void {
    this.latest.set(serverId, sample);
    this.bridge?.sample(serverId, sample);
    this.remote?.record(serverId, sample);
  }

  /** A chart from the remote store, when it is the one charts are read from. */
  chart(serverId: string, range: HistoryRange): Promise<MetricSeries | undefined> {
    return this.remote?.chart(serverId, range) ?? Promise.resolve(undefined);
  }

  /** For tests and the CLI: sends what the remote history holds now. */
  flushRemote(): Promise<void> {
    return this.remote?.flush() ?? Promise.resolve();
  }

  status(): IntegrationsStatus {
    const s = this.settings;
    const listener = { ...(this.listener.server ? { url: this.listener.server.url } : {}), ...(this.listener.error ? { error: this.listener.error } : {}) };
    const mqtt = this.bridge?.view() ?? { enabled: s.mqtt.enabled, state: 'off' as const, devices: 0, commands: 0 };
    const remote = this.remote?.view() ?? { enabled: s.remoteWrite.enabled, state: 'off' as const, readCharts: s.remoteWrite.readCharts, sent: 0, pending: 0, bufferBytes: 0, dropped: 0 };
    const missingMqtt = missingFor('mqtt', s);
    const missingRemote = missingFor('remoteWrite', s);
    return {
      prometheus: this.exporter.view(listener),
      mqtt: missingMqtt ? { ...mqtt, error: missingMqtt } : mqtt,
      remoteWrite: missingRemote ? { ...remote, lastError: missingRemote } : remote,
    };
  }

  settingsView(): IntegrationsSettingsView {
    return settingsView(this.settings, (n) => this.ports.secrets.has(n));
  }

  /** Saves the sections and secrets given, then restarts the integrations they touch. */
  updateSettings(input: SetIntegrationsParsed): IntegrationsSettingsView {
    const { next, changed } = applyEdit(this.settings, input);
    for (const [name, value] of Object.entries(input.secrets ?? {}) as Array<[IntegrationSecret, string | null | undefined]>) if (value !== undefined) this.ports.secrets.set(name, value);
    this.engine.updateSettings({ integrations: next });
    for (const name of changed) this.restart(name);
    return this.settingsView();
  }

  async test(name: IntegrationName): Promise<IntegrationTestResult> {
    const s = this.settings;
    const missing = missingFor(name, { ...s, mqtt: { ...s.mqtt, enabled: true }, remoteWrite: { ...s.remoteWrite, enabled: true } });
    if (missing) return { ok: false, detail: missing };
    if (name === 'prometheus') {
      const { body } = await this.exporter.render();
      const series = body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
      const view = this.status().prometheus;
      const warnings = [!s.prometheus.enabled ? 'the exporter is off' : '', view.protection === 'none' ? 'no scrape token or allowed address is set, so every scrape is refused' : '', view.listenerError ?? ''].filter(Boolean);
      return { ok: warnings.length === 0, detail: `${series} series, ${body.length} bytes${view.listener ? `, served at ${view.listener}metrics` : ''}${warnings.length ? `; but ${warnings.join('; ')}` : ''}.` };
    }
    if (name === 'mqtt') return testMqtt(this.ports.connectMqtt, s.mqtt, this.ports.secrets.get('mqttPassword'));
    return testRemote(this.ports.openRemoteStore(this.remoteOptions()), this.engine.clock.now());
  }

  /** Every server's view (not the engine's snapshot: that would flush its patch batch early). */
  private views(): ServerView[] {
    return this.engine.servers().flatMap((s) => this.engine.view(s.id) ?? []);
  }

  private remoteOptions() {
    const r = this.settings.remoteWrite;
    const writeUrl = r.writeUrl ?? '';
    return { writeUrl, queryUrl: queryUrlOf(writeUrl, r.queryUrl), username: r.username, password: this.ports.secrets.get('remotePassword'), token: this.ports.secrets.get('remoteToken') };
  }

  private restart(name: IntegrationName): void {
    this.work = this.work
      .then(() => this.stopPart(name))
      .then(() => {
        if (this.running) return this.startPart(name);
      })
      .catch((error: unknown) => this.engine.log.warn(`integrations: restarting ${name} failed`, error));
  }

  private async startPart(name: IntegrationName): Promise<void> {
    const s = this.settings;
    if (missingFor(name, s)) return;
    if (name === 'prometheus') {
      const l = s.prometheus.listener;
      if (!s.prometheus.enabled || !l) return;
      try {
        this.listener = { server: await this.ports.openListener(l.host, l.port, this.exporter.handle) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.listener = { error: `The /metrics listener on ${l.host}:${l.port} could not start: ${message}` };
        this.engine.notify({ level: 'warning', title: 'Prometheus listener not started', body: this.listener.error ?? message });
      }
    } else if (name === 'mqtt' && s.mqtt.enabled) {
      const bridge = new MqttBridge(
        {
          servers: () => this.views(),
          view: (id) => this.engine.view(id),
          run: (id, action) => void this.peers.power.run(id, action),
          setDesired: (id, desired) => void this.peers.power.setDesired(id, desired),
          connect: this.ports.connectMqtt,
          log: this.engine.log,
          now: () => this.engine.clock.now(),
          version: this.peers.version,
        },
        s.mqtt,
        this.ports.secrets.get('mqttPassword'),
      );
      for (const [id, sample] of this.latest) bridge.sample(id, sample);
      this.bridge = bridge;
      bridge.start();
    } else if (name === 'remoteWrite' && s.remoteWrite.enabled) {
      this.remote = new RemoteHistory({
        store: this.ports.openRemoteStore(this.remoteOptions()),
        spool: this.ports.spool,
        clock: this.engine.clock,
        log: this.engine.log,
        settings: s.remoteWrite,
        steps: this.peers.historySteps,
      });
      this.remote.start();
    }
  }

  private async stopPart(name: IntegrationName): Promise<void> {
    if (name === 'prometheus') {
      const server = this.listener.server;
      this.listener = {};
      await server?.close();
    } else if (name === 'mqtt') {
      const bridge = this.bridge;
      this.bridge = undefined;
      await bridge?.stop();
    } else {
      const remote = this.remote;
      this.remote = undefined;
      await remote?.stop();
    }
  }
}
