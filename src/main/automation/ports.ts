import type { AutomationSettings } from '../../shared/contract/automation';
import type { Notice } from '../../shared/events';
import type { ActionInput, MetricSample } from '../../shared/metrics';
import type { PowerState } from '../../shared/power';
import type { DesiredPower, PowerAction, ServerConfig } from '../../shared/server';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';

/**
 * Everything the automation reaches, handed to it by the composition root: the engine's
 * inventory and clock, power control, a shell's `who`, the monitoring's figures and action log,
 * Proxmox's tasks. No I/O happens here but through these.
 */
export interface AutomationHost {
  clock: Clock;
  log: Logger;
  servers(): readonly ServerConfig[];
  /** By id or name. */
  find(ref: string): ServerConfig | undefined;
  power(id: string): { state: PowerState; since: number } | undefined;
  settings: { read(): AutomationSettings; write(next: AutomationSettings): void };
  /** Starts a power command (throws the controller's refusal). */
  run(id: string, action: PowerAction): void;
  setDesired(id: string, desired: DesiredPower | null): void;
  /** `who`'s output over the server's SSH (throws when it cannot be run). */
  who(id: string): Promise<string>;
  /** The latest figures the monitoring has of a server. */
  figures(id: string): Promise<MetricSample | undefined>;
  /** Object ids of the vzdump tasks running on a Proxmox node; undefined for any other server. */
  backups(server: ServerConfig): Promise<string[] | undefined>;
  logAction(entry: ActionInput): void;
  notify(notice: Omit<Notice, 'id' | 'at'>): void;
}

export interface AutomationTuning {
  /** How often due schedules are looked for (15 s). */
  tickMs?: number;
  /** How often idle servers are looked at (60 s). */
  idleCheckMs?: number;
  /** Figures older than this do not count (5 min). */
  figureMaxAgeMs?: number;
  /** A run time missed by more than this (the machine slept) is not run late (10 min). */
  graceMs?: number;
}
