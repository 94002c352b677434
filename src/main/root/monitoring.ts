import { probeHost } from '../drivers/probe';
import { buildBackfill } from '../monitoring/io/backfill-series';
import { alertBookFile } from '../monitoring/io/alerts-file';
import { channelSecretsStore } from '../monitoring/io/channel-secrets';
import { sendChannel } from '../monitoring/io/channel-send';
import { HistoryHandle } from '../monitoring/io/history-handle';
import { sniffPort } from '../monitoring/io/sniff';
import type { MonitoringPorts, MonitoringTuning } from '../monitoring/ports';
import { MonitoringService } from '../monitoring/service';
import type { Core } from './core';

/** The monitoring's timing knobs, and any port a test brings of its own (the real adapter otherwise). */
export type MonitoringOptions = MonitoringTuning & Partial<MonitoringPorts>;

/**
 * Builds the monitoring on a core and attaches it to the engine's lifecycle: its loops run and
 * its history is written only while the engine runs.
 */
export function composeMonitoring(core: Core, options: MonitoringOptions = {}): MonitoringService {
  const { engine, home } = core;
  const { sshTimeoutMs, liveWindowMs, ...given } = options;
  // The engine's prober, so a test's simulated network is the one checked; behind a simulated
  // prober nothing is real to sniff, so sniffing is then off unless a test brings its own.
  const probe = given.probe ?? engine.prober;
  const ports: MonitoringPorts = {
    history: given.history ?? new HistoryHandle({ dir: HistoryHandle.dirOf(home), clock: engine.clock, log: engine.log }),
    alertsFile: given.alertsFile ?? alertBookFile(home),
    secrets: given.secrets ?? channelSecretsStore(home, core.encryptor),
    sendChannel: given.sendChannel ?? sendChannel,
    // The engine's own "this server's view changed" (the port power control uses): one patch.
    redrawCard: given.redrawCard ?? engine.powerHost().changed,
    probe,
    sniff: given.sniff ?? (probe === probeHost ? sniffPort : async () => ({})),
    buildBackfill: given.buildBackfill ?? buildBackfill,
  };
  const service = new MonitoringService(engine, { power: core.power, proxmox: core.proxmox }, ports, {
    ...(sshTimeoutMs !== undefined ? { sshTimeoutMs } : {}),
    ...(liveWindowMs !== undefined ? { liveWindowMs } : {}),
  });
  engine.attach(service);
  return service;
}
