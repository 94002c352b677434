import type { ServerView } from '../../../shared/server';
import { useTimeText } from '../../hooks/useNow';
import { formatAgo, formatClock, formatTimestamp } from '../../lib/time';
import { POWER_LABELS } from '../../../shared/power';
import { DetailRow } from './DetailRow';

export function StatusSection({ server: s }: { server: ServerView }) {
  const since = useTimeText((now) => formatAgo(s.since, now));
  const seen = useTimeText((now) => (s.lastSeen === undefined ? 'never' : formatAgo(s.lastSeen, now)));
  return (
    <dl className="dlist">
      <DetailRow term={`${POWER_LABELS[s.power].replace('…', '')} since`}>
        <span title={formatTimestamp(s.since)}>
          {formatClock(s.since)} <span className="muted">· {since}</span>
        </span>
      </DetailRow>
      <DetailRow term="Last seen">
        <span title={s.lastSeen === undefined ? undefined : formatTimestamp(s.lastSeen)} data-testid="detail-last-seen">
          {s.lastSeen === undefined ? <span className="muted">never</span> : seen}
        </span>
      </DetailRow>
      {s.detail && (
        <DetailRow term="Detail">
          <span className="detail-text">{s.detail}</span>
        </DetailRow>
      )}
    </dl>
  );
}
