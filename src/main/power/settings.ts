import type { PowerAction, ServerConfig } from '../../shared/server';
import { DEFAULT_INIT_POLICY, type InitPolicy } from './init';
import { DEFAULT_TIMEOUTS, timeoutOf, timeoutsFor, type PowerTimeouts } from './machine';
import type { PowerTuning } from './ports';
import { DEFAULT_RECONCILE_POLICY, type ReconcilePolicy } from './reconcile';

/** How long one SSH or local power command may take before it counts as failed. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 20_000;

/** The tuning with every default filled in. */
export interface ControllerSettings {
  /** How often a transitional host is probed. */
  fastPollMs: number;
  reconcileMs: number;
  initMs: number;
  commandTimeoutMs: number;
  timeouts: PowerTimeouts;
  reconcilePolicy: ReconcilePolicy;
  initPolicy: InitPolicy;
}

export function settingsOf(tuning: PowerTuning): ControllerSettings {
  return {
    fastPollMs: tuning.fastPollMs ?? 1_000,
    reconcileMs: tuning.reconcileMs ?? 10_000,
    initMs: tuning.initMs ?? 3_600_000,
    commandTimeoutMs: tuning.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    timeouts: { ...DEFAULT_TIMEOUTS, ...tuning.timeouts },
    reconcilePolicy: { ...DEFAULT_RECONCILE_POLICY, ...tuning.reconcilePolicy },
    initPolicy: { ...DEFAULT_INIT_POLICY, ...tuning.initPolicy },
  };
}

/** The time a server's command gets to reach its target (its own settings over the defaults). */
export function budgetOf(settings: ControllerSettings, server: Pick<ServerConfig, 'powerControl'>, action: PowerAction): number {
  return timeoutOf(action, timeoutsFor(server.powerControl, settings.timeouts));
}
