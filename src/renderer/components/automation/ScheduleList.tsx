import type { ScheduleTarget } from '../../../shared/contract/automation';
import { useRackdeck } from '../../store';
import { shortTime, type AutomationApi } from './useAutomation';

/** The saved schedules: what, on whom, when (and the cron it runs), next time; each removable. */
export function ScheduleList({ api }: { api: AutomationApi }) {
  const servers = useRackdeck((s) => s.servers);
  const label = (t: ScheduleTarget) => ('group' in t ? `group ${t.group}` : (servers[t.serverId]?.name ?? t.serverId));
  if (!api.schedules) return <div className="sk" style={{ height: 80 }} />;
  if (api.schedules.length === 0) return <p className="muted" data-testid="schedules-empty">No schedules yet.</p>;
  return (
    <table className="automation-table" data-testid="schedule-list">
      <thead>
        <tr>
          <th>Name</th>
          <th>Action</th>
          <th>Target</th>
          <th>When</th>
          <th>Next</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {api.schedules.map((s) => (
          <tr key={s.id} data-testid="schedule-row" data-id={s.id}>
            <td>{s.name ?? s.id}</td>
            <td>{s.action}</td>
            <td>{label(s.target)}</td>
            <td title={`cron ${s.cron}${s.timezone ? ` · ${s.timezone}` : ''}`}>{s.when}</td>
            <td className="nowrap">{s.enabled ? (s.nextAt !== undefined ? shortTime(s.nextAt) : '–') : 'off'}</td>
            <td>
              <button type="button" className="btn btn-ghost" data-testid="schedule-remove" onClick={() => void api.remove(s.id)}>
                Remove
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
