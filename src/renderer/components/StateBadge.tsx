import { memo } from 'react';
import { POWER_LABELS, type PowerState } from '../../shared/power';
import { POWER_TONES } from '../lib/power-tone';

/** The power state in colour AND words; transitional states pulse gently. */
export const StateBadge = memo(function StateBadge({ power }: { power: PowerState }) {
  return (
    <span className="badge" data-tone={POWER_TONES[power]} data-testid="state-badge">
      <span className="badge-dot" aria-hidden="true" />
      {POWER_LABELS[power]}
    </span>
  );
});
