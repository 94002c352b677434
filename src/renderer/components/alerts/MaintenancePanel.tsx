import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AlertPolicyView, MaintenanceWindow } from '../../../shared/contract/alert-policy';
import { RackdeckError } from '../../../shared/ipc';
import { useClient } from '../../hooks/useClient';
import { formatTimestamp } from '../../lib/time';
import { useRackdeck } from '../../store';
import './alerts.css';

const errorText = (e: unknown) => (e instanceof RackdeckError || e instanceof Error ? e.message : String(e));

function describe(w: MaintenanceWindow): string {
  const who = 'serverId' in w.target ? `server ${w.target.serverId}` : `group ${w.target.group}`;
  if (w.cron) return `${who} · "${w.cron}"${w.timezone ? ` (${w.timezone})` : ''} for ${w.durationMinutes} min`;
  return `${who} · ${formatTimestamp(w.start ?? 0)} → ${formatTimestamp(w.end ?? 0)}`;
}

/**
 * Maintenance windows (issue 18): one-off or recurring (a cron expression and a duration), for a
 * server or a group. Alerts raised inside one are kept but sent nowhere, and the card says so.
 */
export function MaintenancePanel() {
  const client = useClient();
  const all = useRackdeck((s) => s.servers);
  const servers = useMemo(() => Object.values(all).map((x) => ({ id: x.id, name: x.name })), [all]);
  const [policy, setPolicy] = useState<AlertPolicyView | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [form, setForm] = useState({ name: '', target: 'server', serverId: '', group: '', kind: 'oneoff', start: '', end: '', cron: '0 2 * * 0', duration: '120', timezone: '' });

  const reload = useCallback(() => client.alertPolicy.get({}).then(setPolicy, (e: unknown) => setError(errorText(e))), [client]);
  useEffect(() => void reload(), [reload]);

  const save = async (maintenance: MaintenanceWindow[]) => {
    setError(undefined);
    try {
      setPolicy(await client.alertPolicy.set({ maintenance }));
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };

  const add = async () => {
    if (!policy) return;
    const ids = new Set(policy.maintenance.map((w) => w.id));
    let n = policy.maintenance.length + 1;
    while (ids.has(`w${n}`)) n++;
    const target = form.target === 'server' ? { serverId: form.serverId || (servers[0]?.id ?? '') } : { group: form.group.trim() };
    const timing =
      form.kind === 'oneoff'
        ? { start: Date.parse(form.start), end: Date.parse(form.end) }
        : { cron: form.cron.trim(), durationMinutes: Number(form.duration), ...(form.timezone.trim() ? { timezone: form.timezone.trim() } : {}) };
    if (form.kind === 'oneoff' && (!Number.isFinite(timing.start) || !Number.isFinite(timing.end))) {
      setError('Give a start and an end.');
      return;
    }
    const window = { id: `w${n}`, name: form.name.trim() || 'Maintenance', target, ...timing } as MaintenanceWindow;
    if (await save([...policy.maintenance, window])) setForm({ ...form, name: '' });
  };

  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });
  const nameOf = (id: string) => servers.find((s) => s.id === id)?.name ?? id;

  return (
    <section className="maintenance-panel" data-testid="maintenance-panel">
      <h3>Maintenance windows</h3>
      {policy && Object.keys(policy.inMaintenance).length > 0 && (
        <p className="muted" data-testid="maintenance-now">
          In maintenance now: {Object.entries(policy.inMaintenance).map(([id, until]) => `${nameOf(id)} until ${formatTimestamp(until)}`).join(', ')}
        </p>
      )}
      {policy?.maintenance.length === 0 && <p className="muted">No window: every alert is sent.</p>}
      <ul className="channel-list">
        {policy?.maintenance.map((w) => (
          <li key={w.id} className="channel-item" data-testid="maintenance-item">
            <div className="channel-info">
              <strong>{w.name}</strong> <span className="muted">{describe(w)}</span>
            </div>
            <button type="button" className="btn btn-sm btn-danger" onClick={() => void save(policy.maintenance.filter((x) => x.id !== w.id))}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="channel-add">
        <label className="field">
          <span>Name</span>
          <input value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder="Disk swap" data-testid="maintenance-name" />
        </label>
        <label className="field">
          <span>For</span>
          <select value={form.target} onChange={(e) => set({ target: e.target.value })} data-testid="maintenance-target">
            <option value="server">a server</option>
            <option value="group">a group</option>
          </select>
        </label>
        {form.target === 'server' ? (
          <label className="field">
            <span>Server</span>
            <select value={form.serverId} onChange={(e) => set({ serverId: e.target.value })} data-testid="maintenance-server">
              {servers.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label className="field">
            <span>Group</span>
            <input value={form.group} onChange={(e) => set({ group: e.target.value })} data-testid="maintenance-group" />
          </label>
        )}
        <label className="field">
          <span>When</span>
          <select value={form.kind} onChange={(e) => set({ kind: e.target.value })} data-testid="maintenance-kind">
            <option value="oneoff">once</option>
            <option value="recurring">recurring (cron)</option>
          </select>
        </label>
        {form.kind === 'oneoff' ? (
          <>
            <label className="field">
              <span>From</span>
              <input type="datetime-local" value={form.start} onChange={(e) => set({ start: e.target.value })} data-testid="maintenance-start" />
            </label>
            <label className="field">
              <span>Until</span>
              <input type="datetime-local" value={form.end} onChange={(e) => set({ end: e.target.value })} data-testid="maintenance-end" />
            </label>
          </>
        ) : (
          <>
            <label className="field">
              <span>Cron (minute hour day month weekday)</span>
              <input value={form.cron} onChange={(e) => set({ cron: e.target.value })} data-testid="maintenance-cron" />
            </label>
            <label className="field">
              <span>Minutes</span>
              <input inputMode="numeric" value={form.duration} onChange={(e) => set({ duration: e.target.value })} />
            </label>
            <label className="field">
              <span>Time zone (optional)</span>
              <input value={form.timezone} onChange={(e) => set({ timezone: e.target.value })} placeholder="Europe/Berlin" />
            </label>
          </>
        )}
        <button type="button" className="btn btn-primary" onClick={() => void add()} data-testid="maintenance-save">
          Add window
        </button>
        {error && (
          <p className="form-error" role="alert" data-testid="maintenance-error">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
