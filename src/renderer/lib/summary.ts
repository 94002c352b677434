import type { PowerState } from '../../shared/power';
import { isTransitional } from '../../shared/power';

/** The buckets of the top bar's "5 on · 2 asleep · 1 down", in the order they are read. */
export type SummaryBucket = 'on' | 'busy' | 'asleep' | 'down' | 'failed' | 'unknown';

export const SUMMARY_LABELS: Record<SummaryBucket, string> = {
  on: 'on',
  busy: 'changing',
  asleep: 'asleep',
  down: 'down',
  failed: 'failed',
  unknown: 'unknown',
};

export function bucketOf(power: PowerState): SummaryBucket {
  if (isTransitional(power)) return 'busy';
  switch (power) {
    case 'on':
      return 'on';
    case 'suspended':
    case 'paused':
      return 'asleep';
    case 'off':
    case 'stopped':
      return 'down';
    case 'init_failed':
      return 'failed';
    default:
      return 'unknown';
  }
}

export type Summary = Record<SummaryBucket, number>;

export function summarise(powers: Iterable<PowerState>): Summary {
  const counts: Summary = { on: 0, busy: 0, asleep: 0, down: 0, failed: 0, unknown: 0 };
  for (const p of powers) counts[bucketOf(p)] += 1;
  return counts;
}
