import { useRackdeck } from '../../store';
import { shortTime, type AutomationApi } from './useAutomation';

/** The next 24 hours: what the schedules will do, and what ran or was skipped (with why) in the last 24. */
export function NextDay({ api }: { api: AutomationApi }) {
  const servers = useRackdeck((s) => s.servers);
  const names = (ids: string[]) => ids.map((id) => servers[id]?.name ?? id).join(', ');
  const view = api.next;
  if (!view) return <div className="sk" style={{ height: 120 }} />;
  return (
    <div className="next-day" data-testid="next-day">
      <h3>Next 24 h</h3>
      {view.upcoming.length === 0 ? (
        <p className="muted">Nothing scheduled.</p>
      ) : (
        <ul className="automation-timeline">
          {view.upcoming.map((u) => (
            <li key={`${u.scheduleId}-${u.at}`} data-testid="next-item">
              <span className="mono nowrap">{shortTime(u.at)}</span> <strong>{u.action}</strong> {names(u.serverIds) || '(nobody)'}
              {u.scheduleName && <span className="muted"> · {u.scheduleName}</span>}
              {u.note && <span className="muted"> · {u.note}</span>}
            </li>
          ))}
        </ul>
      )}
      <h3>Last 24 h</h3>
      {view.recent.length === 0 ? (
        <p className="muted">Nothing ran yet.</p>
      ) : (
        <ul className="automation-timeline">
          {view.recent.map((r, i) => (
            <li key={`${r.at}-${r.serverId}-${i}`} data-testid="recent-item" data-outcome={r.outcome}>
              <span className="mono nowrap">{shortTime(r.at)}</span> <strong>{r.outcome}</strong> {r.action} {r.serverName}
              <span className="muted"> · {r.source === 'idle' ? 'idle auto-suspend' : (r.scheduleName ?? r.scheduleId)}</span>
              {r.reason && <div className="muted">{r.reason}</div>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
