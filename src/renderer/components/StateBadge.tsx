import { memo } from 'react';
import { POWER_LABELS, type PowerState } from '../../shared/power';
import { POWER_TONES } from '../lib/power-tone';

/** The power state in colour AND words; transitional states pulse gently. `label` says more where it can (a guest "Hibernated"). */
export const StateBadge = memo(function StateBadge({ power, label }: { power: PowerState; label?: string | undefined }) {
  return (
    <span className="badge" data-tone={POWER_TONES[power]} data-testid="state-badge">
      <span className="badge-dot" aria-hidden="true" />
      {label ?? POWER_LABELS[power]}
    </span>
  );
});
