import type { WatchOptions } from '../../shared/contract/agents';

const MINUTE = 60_000;

/**
 * Defaults from the seed (stale after 5 minutes, 3 resets) made safe: auto-reset is opt-in per
 * server, and the cool-down is long enough for a guest to boot and send its first heartbeat.
 */
export const DEFAULT_WATCH: WatchOptions = {
  autoReset: false,
  maxAttempts: 3,
  windowMs: 60 * MINUTE,
  cooldownMs: 10 * MINUTE,
  staleMs: 5 * MINUTE,
};

export interface HealthThresholds {
  cpuPercent: number;
  memPercent: number;
}

export const DEFAULT_THRESHOLDS: HealthThresholds = { cpuPercent: 80, memPercent: 90 };

/** How long after a deliberate power action the watchdog keeps its hands off a guest. */
export const DELIBERATE_GRACE_MS = 15 * MINUTE;

export function watchOptions(stored: Partial<WatchOptions> | undefined): WatchOptions {
  return { ...DEFAULT_WATCH, ...(stored ?? {}) };
}
