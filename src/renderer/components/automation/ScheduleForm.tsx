import { useMemo, useState, type FormEvent } from 'react';
import { SCHEDULE_ACTIONS, type ScheduleAction } from '../../../shared/contract/automation';
import { useRackdeck } from '../../store';
import type { AutomationApi } from './useAutomation';

const ACTION_LABELS: Record<ScheduleAction, string> = {
  wake: 'Wake',
  suspend: 'Suspend',
  hibernate: 'Hibernate',
  shutdown: 'Shut down',
  'desired-on': 'Keep on (desired state)',
  'desired-off': 'Keep off (desired state)',
  'desired-suspended': 'Keep suspended (desired state)',
  'desired-clear': 'Clear the desired state',
};

/** A new schedule: a server or a group, an action, a time as cron or "weekdays 07:00", and what skips a power-down. */
export function ScheduleForm({ api }: { api: AutomationApi }) {
  const all = useRackdeck((s) => s.servers);
  const servers = useMemo(() => Object.values(all).map((v) => ({ id: v.id, name: v.name })).sort((a, b) => a.name.localeCompare(b.name)), [all]);
  const [kind, setKind] = useState<'server' | 'group'>('server');
  const [serverId, setServerId] = useState('');
  const [group, setGroup] = useState('');
  const [action, setAction] = useState<ScheduleAction>('suspend');
  const [when, setWhen] = useState('daily 23:30');
  const [timezone, setTimezone] = useState('');
  const [name, setName] = useState('');
  const [logins, setLogins] = useState(true);
  const [guests, setGuests] = useState(true);
  const [backups, setBackups] = useState(true);
  const [cpu, setCpu] = useState('');
  const [net, setNet] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const target = kind === 'group' ? { group: group.trim() } : { serverId: serverId || servers[0]?.id || '' };
    const ok = await api.add({
      target,
      action,
      when,
      ...(timezone.trim() ? { timezone: timezone.trim() } : {}),
      ...(name.trim() ? { name: name.trim() } : {}),
      conditions: { sshLogins: logins, guestsRunning: guests, backupRunning: backups, ...(cpu !== '' ? { cpuAbovePct: Number(cpu) } : {}), ...(net !== '' ? { netAboveMbps: Number(net) } : {}) },
    });
    setBusy(false);
    if (ok) setName('');
  };

  return (
    <form className="automation-form" data-testid="schedule-form" onSubmit={(e) => void submit(e)}>
      <div className="automation-row">
        <label>
          Target
          <select value={kind} onChange={(e) => setKind(e.target.value as 'server' | 'group')} data-testid="schedule-target-kind">
            <option value="server">A server</option>
            <option value="group">A group</option>
          </select>
        </label>
        {kind === 'server' ? (
          <label>
            Server
            <select value={serverId || servers[0]?.id || ''} onChange={(e) => setServerId(e.target.value)} data-testid="schedule-server">
              {servers.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            Group
            <input value={group} onChange={(e) => setGroup(e.target.value)} placeholder="storage" data-testid="schedule-group" />
          </label>
        )}
        <label>
          Action
          <select value={action} onChange={(e) => setAction(e.target.value as ScheduleAction)} data-testid="schedule-action">
            {SCHEDULE_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="automation-row">
        <label>
          When
          <input value={when} onChange={(e) => setWhen(e.target.value)} placeholder='weekdays 07:00, sat,sun 09:00 or "30 23 * * *"' data-testid="schedule-when" />
        </label>
        <label>
          Time zone
          <input value={timezone} onChange={(e) => setTimezone(e.target.value)} placeholder="this machine's" data-testid="schedule-tz" />
        </label>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Night" data-testid="schedule-name" />
        </label>
      </div>
      <fieldset className="automation-row">
        <legend>Skip a power-down while…</legend>
        <label className="check">
          <input type="checkbox" checked={logins} onChange={(e) => setLogins(e.target.checked)} /> someone is logged in over SSH
        </label>
        <label className="check">
          <input type="checkbox" checked={guests} onChange={(e) => setGuests(e.target.checked)} /> a guest runs
        </label>
        <label className="check">
          <input type="checkbox" checked={backups} onChange={(e) => setBackups(e.target.checked)} /> a backup runs
        </label>
        <label>
          CPU above %
          <input type="number" min={0} max={100} value={cpu} onChange={(e) => setCpu(e.target.value)} placeholder="–" />
        </label>
        <label>
          Network above Mb/s
          <input type="number" min={0} value={net} onChange={(e) => setNet(e.target.value)} placeholder="–" />
        </label>
      </fieldset>
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="schedule-add">
        Add schedule
      </button>
    </form>
  );
}
