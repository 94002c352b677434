/**
 * Power states as docs/ARCHITECTURE.md names them. The settled states are what a probe or Proxmox can
 * observe; the transitional ones are set by a command and held until the target is observed
 * or a timeout reverts them.
 */
export const SETTLED_STATES = ['on', 'off', 'suspended', 'stopped', 'paused', 'unknown', 'init_failed'] as const;
export const TRANSITIONAL_STATES = ['waking', 'suspending', 'stopping', 'rebooting'] as const;
export const POWER_STATES = [...SETTLED_STATES, ...TRANSITIONAL_STATES] as const;

export type SettledState = (typeof SETTLED_STATES)[number];
export type TransitionalState = (typeof TRANSITIONAL_STATES)[number];
export type PowerState = (typeof POWER_STATES)[number];

/** What Rackdeck can ask of a server's power (issue 4): Wake-on-LAN, SSH power commands. */
export const POWER_ACTIONS = ['wake', 'suspend', 'hibernate', 'shutdown', 'reboot'] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

export function isTransitional(state: PowerState): state is TransitionalState {
  return (TRANSITIONAL_STATES as readonly string[]).includes(state);
}

/** Human words for a state, shared by the cards, the tray and the CLI so they never disagree. */
export const POWER_LABELS: Record<PowerState, string> = {
  on: 'On',
  off: 'Off',
  suspended: 'Suspended',
  stopped: 'Stopped',
  paused: 'Paused',
  unknown: 'Unknown',
  init_failed: 'Init failed',
  waking: 'Waking…',
  suspending: 'Suspending…',
  stopping: 'Stopping…',
  rebooting: 'Rebooting…',
};
