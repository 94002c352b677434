import { useTimeText } from '../../hooks/useNow';
import { formatClock } from '../../lib/time';
import './alerts.css';

/** "In maintenance until 14:00" on a card while a window silences the server's alerts. */
export function MaintenanceChip({ until }: { until: number | undefined }) {
  const text = useTimeText((now) => (until !== undefined && until > now ? `In maintenance until ${formatClock(until, now)}` : ''));
  if (!text) return null;
  return (
    <p className="maintenance-chip" data-testid="card-maintenance" title="Alerts about this server are kept but not sent">
      {text}
    </p>
  );
}
