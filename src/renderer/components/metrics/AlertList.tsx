import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AlertView } from '../../../shared/contract/monitoring';
import { useClient } from '../../hooks/useClient';
import { useTimeText } from '../../hooks/useNow';
import { formatAgo, formatClock, formatTimestamp } from '../../lib/time';
import { useUi } from '../../ui-store';
import { needsAttention, useAlerts } from './alerts-store';
import { AckNote } from '../alerts/AckNote';

function AlertRow({ alert: a, onOpenServer }: { alert: AlertView; onOpenServer(id: string): void }) {
  const client = useClient();
  const ago = useTimeText((now) => formatAgo(a.startedAt, now));
  const [busy, setBusy] = useState(false);
  const state = a.state === 'resolved' ? 'resolved' : a.acknowledgedAt !== undefined ? 'acknowledged' : 'active';
  return (
    <li className="alert-row" data-severity={a.severity} data-state={state} data-testid="alert-row" data-kind={a.kind}>
      <div className="alert-main">
        <div className="alert-title">
          <strong>{a.title}</strong>
          <span className="alert-state" data-state={state}>
            {state === 'active' ? 'Active' : state === 'acknowledged' ? 'Acknowledged' : 'Resolved'}
          </span>
        </div>
        <p className="alert-body">{a.body}</p>
        <p className="alert-meta">
          <span title={formatTimestamp(a.startedAt)}>{formatClock(a.startedAt)} · {ago}</span>
          <span className="sep">·</span>
          <span>{a.ruleName}</span>
          {a.serverId && (
            <>
              <span className="sep">·</span>
              <button type="button" className="link" onClick={() => onOpenServer(a.serverId as string)}>
                {a.serverName ?? a.serverId}
              </button>
            </>
          )}
          {a.state === 'active' && a.notifiedAt === undefined && !a.silenced && (
            <>
              <span className="sep">·</span>
              <span title="Another notification of this rule for this server went out within its throttle time">not notified (throttled)</span>
            </>
          )}
          {a.silenced && (
            <>
              <span className="sep">·</span>
              <span title="Raised during a maintenance window: kept, not sent">silenced (maintenance)</span>
            </>
          )}
          <span className="sep">·</span>
          <AckNote alert={a} />
          {a.resolvedAt !== undefined && (
            <>
              <span className="sep">·</span>
              <span>resolved {formatClock(a.resolvedAt)}</span>
            </>
          )}
        </p>
      </div>
      {state === 'active' && (
        <button
          type="button"
          className="btn btn-sm"
          disabled={busy}
          data-testid="alert-ack"
          onClick={() => {
            setBusy(true);
            client.alerts.ack({ id: a.id }).then(
              (x) => useAlerts.getState().upsert(x),
              () => setBusy(false),
            );
          }}
        >
          Acknowledge
        </button>
      )}
    </li>
  );
}

/** Active alerts first, newest first; resolved ones below, on request. */
export function AlertList({ onClose }: { onClose(): void }) {
  const client = useClient();
  const [showAll, setShowAll] = useState(false);
  const alerts = useAlerts(useShallow((s) => Object.values(s.alerts)));
  const sorted = useMemo(() => [...alerts].sort((a, b) => Number(b.state === 'active') - Number(a.state === 'active') || b.startedAt - a.startedAt), [alerts]);
  const visible = showAll ? sorted : sorted.filter((a) => a.state === 'active');
  const pending = alerts.filter(needsAttention).length;
  const openServer = (id: string) => {
    useUi.getState().select(id);
    onClose();
  };
  return (
    <div className="alert-list" data-testid="alert-list">
      <div className="alerts-toolbar">
        <div className="seg" role="tablist" aria-label="Which alerts">
          <button type="button" role="tab" className="seg-btn" aria-selected={!showAll} onClick={() => setShowAll(false)}>
            Active ({alerts.filter((a) => a.state === 'active').length})
          </button>
          <button type="button" role="tab" className="seg-btn" aria-selected={showAll} onClick={() => setShowAll(true)}>
            All ({alerts.length})
          </button>
        </div>
        <button type="button" className="btn btn-sm" disabled={pending === 0} onClick={() => void client.alerts.ackAll({})} data-testid="alert-ack-all">
          Acknowledge all
        </button>
      </div>
      {visible.length === 0 ? (
        <div className="alerts-empty">
          <strong>{showAll ? 'No alerts yet.' : 'All quiet.'}</strong>
          <span>{showAll ? 'Alerts appear here when a rule fires.' : 'No alert is active. Rules keep watching in the background.'}</span>
        </div>
      ) : (
        <ul className="alert-rows">
          {visible.map((a) => (
            <AlertRow key={a.id} alert={a} onOpenServer={openServer} />
          ))}
        </ul>
      )}
    </div>
  );
}
