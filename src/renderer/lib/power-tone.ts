import type { PowerState } from '../../shared/power';

/**
 * The colour family a power state is drawn in. Colour is never the only signal: every badge also
 * carries the state's words, so the UI reads the same to a colour-blind admin.
 */
export type PowerTone = 'on' | 'off' | 'asleep' | 'paused' | 'unknown' | 'failed' | 'busy';

export const POWER_TONES: Record<PowerState, PowerTone> = {
  on: 'on',
  off: 'off',
  stopped: 'off',
  suspended: 'asleep',
  paused: 'paused',
  unknown: 'unknown',
  init_failed: 'failed',
  waking: 'busy',
  suspending: 'busy',
  stopping: 'busy',
  rebooting: 'busy',
};
