import type { MonitoringSettings } from '../../shared/contract/monitoring';
import type { Engine } from '../inventory/engine';
import type { MonitoringPorts, MonitoringTuning } from './ports';

/** What every part of the monitoring shares: the engine it listens to, its ports, its settings and whether it runs. */
export interface MonitoringContext {
  readonly engine: Engine;
  readonly ports: MonitoringPorts;
  readonly tuning: MonitoringTuning;
  /** The monitoring's settings as the engine holds them now (they change under it). */
  settings(): MonitoringSettings;
  /** Whether the engine runs: loops on, history owned, the engine's events listened to. */
  running(): boolean;
}
