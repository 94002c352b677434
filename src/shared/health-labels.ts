/*
 * A server's agent health in words, without zod: the card's badge shows it at the page's first
 * paint, whose bundle holds no schemas (issue 16). contract/agents.ts holds the same for main and
 * the CLI; tests/power/power-actions.test.ts holds them to one answer until the contract re-exports these.
 */
export const HEALTH_STATES = ['unknown', 'healthy', 'warning', 'down', 'reset_pending', 'reset_failed'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** The same words on the card, in the panel and in the CLI. */
export const HEALTH_LABELS: Record<HealthState, string> = {
  unknown: 'No agent',
  healthy: 'Healthy',
  warning: 'Warning',
  down: 'Down',
  reset_pending: 'Reset pending',
  reset_failed: 'Reset failed',
};
