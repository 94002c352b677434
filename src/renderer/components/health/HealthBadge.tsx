import { memo } from 'react';
import type { HealthView } from '../../../shared/contract/agents';
import { HEALTH_LABELS, type HealthState } from '../../../shared/health-labels';
import type { PowerTone } from '../../lib/power-tone';

/** Health drawn in the power badge's colour families, so the card reads as one language. */
export const HEALTH_TONES: Record<HealthState, PowerTone> = {
  unknown: 'unknown',
  healthy: 'on',
  warning: 'busy',
  down: 'failed',
  reset_pending: 'busy',
  reset_failed: 'failed',
};

/** The agent's verdict in colour AND words; the tooltip says why. */
export const HealthBadge = memo(function HealthBadge({ health }: { health: Pick<HealthView, 'state' | 'detail'> | undefined }) {
  const state = health?.state ?? 'unknown';
  return (
    <span className="badge" data-tone={HEALTH_TONES[state]} data-health={state} data-testid="health-badge" title={health?.detail}>
      <span className="badge-dot" aria-hidden="true" />
      {HEALTH_LABELS[state]}
    </span>
  );
});
