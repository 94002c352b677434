import type { MonitoringSettings } from '../../shared/contract/monitoring';
import type { Engine } from '../inventory/engine';
import type { PowerController } from '../power/controller';
import type { ProxmoxService } from '../proxmox/service';
import type { MonitoringPorts, MonitoringTuning } from './ports';

/** What the monitoring uses of power control: SSH shells for metrics, and the actions it logs. */
export type MonitoringPower = Pick<PowerController, 'shellFor' | 'onAction'>;

/** What the monitoring uses of Proxmox: RRD backfill clients, and the tasks and refreshes it logs. */
export type MonitoringProxmox = Pick<ProxmoxService, 'openClient' | 'onTask' | 'onRefresh'>;

/** The capabilities the monitoring listens to, handed in by the composition root. */
export interface MonitoringPeers {
  power: MonitoringPower;
  proxmox: MonitoringProxmox;
}

/** What every part of the monitoring shares: the engine it listens to, its ports, its settings and whether it runs. */
export interface MonitoringContext {
  readonly engine: Engine;
  readonly power: MonitoringPower;
  readonly proxmox: MonitoringProxmox;
  readonly ports: MonitoringPorts;
  readonly tuning: MonitoringTuning;
  /** The monitoring's settings as the engine holds them now (they change under it). */
  settings(): MonitoringSettings;
  /** Whether the engine runs: loops on, history owned, the engine's events listened to. */
  running(): boolean;
}
