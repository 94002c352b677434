import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AlertPolicyView, RuleOverride, RuleOverrides } from '../../../shared/contract/alert-policy';
import type { AlertRule } from '../../../shared/contract/monitoring';
import { RackdeckError } from '../../../shared/ipc';
import { useClient } from '../../hooks/useClient';
import { useRackdeck } from '../../store';
import './alerts.css';

const errorText = (e: unknown) => (e instanceof RackdeckError || e instanceof Error ? e.message : String(e));

function describe(o: RuleOverride): string {
  return [o.enabled === false ? 'off' : o.enabled === true ? 'on' : '', o.threshold !== undefined ? `at ${o.threshold} %` : '', o.forMinutes !== undefined ? `after ${o.forMinutes} min` : ''].filter(Boolean).join(', ');
}

/** Per-server overrides of a rule (issue 18): a threshold, a grace, or the rule off for one server. */
export function OverridesPanel() {
  const client = useClient();
  const all = useRackdeck((s) => s.servers);
  const servers = useMemo(() => Object.values(all).map((x) => ({ id: x.id, name: x.name })), [all]);
  const [rules, setRules] = useState<AlertRule[]>([]);
  const [overrides, setOverrides] = useState<RuleOverrides>({});
  const [error, setError] = useState<string | undefined>(undefined);
  const [form, setForm] = useState({ serverId: '', ruleId: '', threshold: '', forMinutes: '', state: '' });

  const adopt = (p: AlertPolicyView) => setOverrides(p.overrides);
  const reload = useCallback(() => {
    void client.alertPolicy.get({}).then(adopt, (e: unknown) => setError(errorText(e)));
    void client.alerts.rules({}).then((c) => setRules(c.rules), (e: unknown) => setError(errorText(e)));
  }, [client]);
  useEffect(reload, [reload]);

  const save = async (next: RuleOverrides) => {
    setError(undefined);
    try {
      adopt(await client.alertPolicy.set({ overrides: next }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  const add = () => {
    const serverId = form.serverId || servers[0]?.id;
    const ruleId = form.ruleId || rules[0]?.id;
    if (!serverId || !ruleId) return;
    const o: RuleOverride = {
      ...(form.threshold.trim() ? { threshold: Number(form.threshold) } : {}),
      ...(form.forMinutes.trim() ? { forMinutes: Number(form.forMinutes) } : {}),
      ...(form.state ? { enabled: form.state === 'on' } : {}),
    };
    void save({ ...overrides, [serverId]: { ...overrides[serverId], [ruleId]: o } });
  };

  const remove = (serverId: string, ruleId: string) => {
    const rest = { ...overrides[serverId] };
    delete rest[ruleId];
    const next = { ...overrides };
    if (Object.keys(rest).length) next[serverId] = rest;
    else delete next[serverId];
    void save(next);
  };

  const entries = Object.entries(overrides).flatMap(([serverId, byRule]) => Object.entries(byRule).map(([ruleId, o]) => ({ serverId, ruleId, o })));
  const nameOf = (id: string) => servers.find((s) => s.id === id)?.name ?? id;
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });

  return (
    <section className="maintenance-panel" data-testid="overrides-panel">
      <h3>Per-server overrides</h3>
      {entries.length === 0 && <p className="muted">Every rule applies to every server as written.</p>}
      <ul className="channel-list">
        {entries.map(({ serverId, ruleId, o }) => (
          <li key={`${serverId}|${ruleId}`} className="channel-item" data-testid="override-item">
            <div className="channel-info">
              <strong>{nameOf(serverId)}</strong> <span className="muted">· {rules.find((r) => r.id === ruleId)?.name ?? ruleId} · {describe(o) || 'as written'}</span>
            </div>
            <button type="button" className="btn btn-sm btn-danger" onClick={() => remove(serverId, ruleId)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="channel-add">
        <label className="field">
          <span>Server</span>
          <select value={form.serverId} onChange={(e) => set({ serverId: e.target.value })} data-testid="override-server">
            {servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Rule</span>
          <select value={form.ruleId} onChange={(e) => set({ ruleId: e.target.value })} data-testid="override-rule">
            {rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Threshold, % (optional)</span>
          <input inputMode="decimal" value={form.threshold} onChange={(e) => set({ threshold: e.target.value })} data-testid="override-threshold" />
        </label>
        <label className="field">
          <span>For / grace, min (optional)</span>
          <input inputMode="decimal" value={form.forMinutes} onChange={(e) => set({ forMinutes: e.target.value })} />
        </label>
        <label className="field">
          <span>State</span>
          <select value={form.state} onChange={(e) => set({ state: e.target.value })}>
            <option value="">as the rule</option>
            <option value="off">off for this server</option>
            <option value="on">on for this server</option>
          </select>
        </label>
        <button type="button" className="btn btn-primary" onClick={add} data-testid="override-save">
          Save override
        </button>
        {error && (
          <p className="form-error" role="alert" data-testid="override-error">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
