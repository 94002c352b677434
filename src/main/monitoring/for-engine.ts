import { probeHost } from '../drivers/probe';
import type { Engine } from '../inventory/engine';
import { buildBackfill } from './io/backfill-series';
import { alertBookFile } from './io/alerts-file';
import { channelSecretsStore } from './io/channel-secrets';
import { sendEmail } from './io/email';
import { HistoryHandle } from './io/history-handle';
import { sniffPort } from './io/sniff';
import { sendWebhook } from './io/webhook';
import type { MonitoringPorts, MonitoringTuning } from './ports';
import { MonitoringService } from './service';

/** Where the monitoring keeps its files, its timing knobs, and any port a test brings of its own. */
export type MonitoringOptions = { home: string } & MonitoringTuning & Partial<MonitoringPorts>;

const services = new WeakMap<Engine, MonitoringService>();

/**
 * The one MonitoringService of an engine, created on first use and attached to the engine's
 * lifecycle: its loops run and its history is written only while the engine runs. Agent
 * reports reach it through `engine.hooks.recordAgentSample`.
 */
export function monitoringServiceFor(engine: Engine, options: MonitoringOptions): MonitoringService {
  const existing = services.get(engine);
  if (existing) return existing;
  const { home, sshTimeoutMs, liveWindowMs, ...given } = options;
  const service = new MonitoringService(engine, monitoringPorts(engine, home, given), {
    ...(sshTimeoutMs !== undefined ? { sshTimeoutMs } : {}),
    ...(liveWindowMs !== undefined ? { liveWindowMs } : {}),
  });
  engine.hooks.recordAgentSample ??= (id, sample) => service.recordAgentSample(id, sample);
  engine.attach(service);
  services.set(engine, service);
  return service;
}

/** The real adapters under `home`, except those given. */
function monitoringPorts(engine: Engine, home: string, given: Partial<MonitoringPorts>): MonitoringPorts {
  // The engine's prober, so a test's simulated network is the one checked; behind a simulated
  // prober nothing is real to sniff, so sniffing is then off unless a test brings its own.
  const probe = given.probe ?? engine.prober;
  return {
    history: given.history ?? new HistoryHandle({ dir: HistoryHandle.dirOf(home), clock: engine.clock, log: engine.log }),
    alertsFile: given.alertsFile ?? alertBookFile(home),
    secrets: given.secrets ?? channelSecretsStore(home),
    sendEmail: given.sendEmail ?? sendEmail,
    sendWebhook: given.sendWebhook ?? sendWebhook,
    probe,
    sniff: given.sniff ?? (probe === probeHost ? sniffPort : async () => ({})),
    buildBackfill: given.buildBackfill ?? buildBackfill,
  };
}

/** The service if one was created (tests reach it to drive a tick by hand). */
export function monitoringOf(engine: Engine): MonitoringService | undefined {
  return services.get(engine);
}
