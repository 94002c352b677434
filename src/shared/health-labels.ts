/*
 * A server's agent health in words, without zod: the card's badge shows it at the page's first
 * paint, whose bundle holds no schemas (issue 16). contract/agents.ts re-exports these for main
 * and the CLI, so the card, the panel and the CLI say the same words.
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
