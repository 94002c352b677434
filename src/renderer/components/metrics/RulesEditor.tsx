import { useEffect, useMemo, useState } from 'react';
import { ALERT_KIND_LABELS, ALERT_KINDS, alertRulesSchema, isThresholdKind, type AlertKind, type AlertRule, type AlertRuleInput } from '../../../shared/contract/monitoring';
import { RackdeckError } from '../../../shared/ipc';
import { useClient } from '../../hooks/useClient';
import { useRackdeck } from '../../store';
import type { ChannelView } from '../../../shared/contract/channels';
import { RuleRouting, routingInput, routingOf, type RoutingDraft } from '../alerts/RuleRouting';

/** A rule as the form holds it: numbers as typed, so a half-typed "1." is not lost. */
interface Draft {
  key: string;
  id: string;
  kind: AlertKind;
  name: string;
  enabled: boolean;
  threshold: string;
  forMinutes: string;
  hysteresis: string;
  throttleMinutes: string;
  severity: 'warning' | 'error';
  email: boolean;
  webhook: boolean;
  servers: string[];
  routing: RoutingDraft;
}

let keys = 0;
const toDraft = (r: AlertRule): Draft => ({
  key: `k${++keys}`,
  id: r.id,
  kind: r.kind,
  name: r.name,
  enabled: r.enabled,
  threshold: r.threshold === undefined ? '' : String(r.threshold),
  forMinutes: r.forMinutes === undefined ? '' : String(r.forMinutes),
  hysteresis: r.hysteresis === undefined ? '' : String(r.hysteresis),
  throttleMinutes: String(r.throttleMinutes),
  severity: r.severity,
  email: r.email,
  webhook: r.webhook,
  servers: r.servers,
  routing: routingOf(r),
});

const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

function toInput(d: Draft): AlertRuleInput {
  const threshold = isThresholdKind(d.kind);
  return {
    id: d.id,
    kind: d.kind,
    name: d.name,
    enabled: d.enabled,
    ...(threshold && num(d.threshold) !== undefined ? { threshold: num(d.threshold) } : {}),
    // For an event kind it is the grace: how long the condition lasts before it is an alert.
    ...(num(d.forMinutes) !== undefined ? { forMinutes: num(d.forMinutes) } : {}),
    ...(threshold && num(d.hysteresis) !== undefined ? { hysteresis: num(d.hysteresis) } : {}),
    throttleMinutes: num(d.throttleMinutes) ?? Number.NaN,
    severity: d.severity,
    email: d.email,
    webhook: d.webhook,
    servers: d.servers,
    ...routingInput(d.routing),
  };
}

function freshId(kind: AlertKind, taken: Set<string>): string {
  const base = kind.replace('_', '-');
  for (let i = 1; ; i++) {
    const id = i === 1 ? base : `${base}-${i}`;
    if (!taken.has(id)) return id;
  }
}

/** The rule editor: every rule on one card, checked as typed and again by main on save. */
export function RulesEditor() {
  const client = useClient();
  const all = useRackdeck((s) => s.servers);
  const servers = useMemo(() => Object.values(all).map((v) => ({ id: v.id, name: v.name })), [all]);
  const [drafts, setDrafts] = useState<Draft[] | undefined>(undefined);
  const [defaults, setDefaults] = useState<AlertRule[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [channels, setChannels] = useState<ChannelView[]>([]);
  useEffect(() => void client.channels.list({}).then(setChannels, () => setChannels([])), [client]);

  useEffect(() => {
    void client.alerts.rules({}).then((c) => {
      setDrafts(c.rules.map(toDraft));
      setDefaults(c.defaults);
    });
  }, [client]);

  const local = useMemo(() => {
    if (!drafts) return {};
    const parsed = alertRulesSchema.safeParse(drafts.map(toInput));
    const out: Record<string, string> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) out[issue.path.join('.')] ??= issue.message;
    return out;
  }, [drafts]);

  if (!drafts) return <div className="sk" style={{ height: 240 }} />;
  const shown = { ...local, ...errors };
  const err = (i: number, field: string) => shown[`${i}.${field}`];
  const update = (i: number, patch: Partial<Draft>) => {
    setStatus(undefined);
    setErrors({});
    setDrafts(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  };
  const add = () => {
    const id = freshId('cpu', new Set(drafts.map((d) => d.id)));
    setDrafts([...drafts, toDraft({ id, kind: 'cpu', name: 'New CPU rule', enabled: true, threshold: 90, forMinutes: 5, hysteresis: 5, throttleMinutes: 60, servers: [], severity: 'warning', email: true, webhook: true })]);
  };
  const save = () => {
    if (Object.keys(local).length > 0) {
      setStatus({ ok: false, text: 'Fix the fields marked in red first.' });
      return;
    }
    setSaving(true);
    client.alerts.setRules({ rules: drafts.map(toInput) }).then(
      (c) => {
        setSaving(false);
        setDrafts(c.rules.map(toDraft));
        setStatus({ ok: true, text: 'Rules saved. They apply from the next reading.' });
      },
      (e: unknown) => {
        setSaving(false);
        if (e instanceof RackdeckError && e.fields) setErrors(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k.replace(/^rules\./, ''), v])));
        setStatus({ ok: false, text: e instanceof Error ? e.message : String(e) });
      },
    );
  };

  return (
    <div className="rules" data-testid="rules-editor">
      <ul className="rule-list">
        {drafts.map((d, i) => {
          const threshold = isThresholdKind(d.kind);
          const clearAt = num(d.threshold) !== undefined ? (num(d.threshold) as number) - (num(d.hysteresis) ?? 0) : undefined;
          return (
            <li key={d.key} className="rule" data-enabled={d.enabled} data-testid="rule" data-rule-id={d.id}>
              <div className="rule-top">
                <label className="switch" title={d.enabled ? 'On' : 'Off'}>
                  <input type="checkbox" checked={d.enabled} onChange={(e) => update(i, { enabled: e.target.checked })} aria-label={`Rule ${d.name} on`} />
                  <span aria-hidden="true" />
                </label>
                <input className="rule-name" value={d.name} onChange={(e) => update(i, { name: e.target.value })} aria-label="Rule name" aria-invalid={Boolean(err(i, 'name'))} />
                <select value={d.kind} onChange={(e) => update(i, { kind: e.target.value as AlertKind })} aria-label="What it watches">
                  {ALERT_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {ALERT_KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
                <select value={d.severity} onChange={(e) => update(i, { severity: e.target.value as Draft['severity'] })} aria-label="Severity" data-severity={d.severity}>
                  <option value="warning">Warning</option>
                  <option value="error">Critical</option>
                </select>
                <button type="button" className="icon-btn" aria-label={`Delete rule ${d.name}`} onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}>
                  <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
                    <path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13" />
                  </svg>
                </button>
              </div>
              {threshold && (
                <p className="rule-sentence">
                  Fires at or above{' '}
                  <input className="num" inputMode="decimal" value={d.threshold} onChange={(e) => update(i, { threshold: e.target.value })} aria-label="Threshold, percent" aria-invalid={Boolean(err(i, 'threshold'))} data-testid="rule-threshold" /> % for{' '}
                  <input className="num" inputMode="decimal" value={d.forMinutes} onChange={(e) => update(i, { forMinutes: e.target.value })} aria-label="Duration, minutes" aria-invalid={Boolean(err(i, 'forMinutes'))} /> min, clears below{' '}
                  <input className="num" inputMode="decimal" value={d.hysteresis} onChange={(e) => update(i, { hysteresis: e.target.value })} aria-label="Hysteresis, points" aria-invalid={Boolean(err(i, 'hysteresis'))} /> points under it
                  {clearAt !== undefined && Number.isFinite(clearAt) && <span className="muted"> ({clearAt} %)</span>}
                </p>
              )}
              <p className="rule-sentence">
                At most one notification per{' '}
                <input className="num" inputMode="decimal" value={d.throttleMinutes} onChange={(e) => update(i, { throttleMinutes: e.target.value })} aria-label="Throttle, minutes" aria-invalid={Boolean(err(i, 'throttleMinutes'))} /> min per server, also by{' '}
                <label className="check">
                  <input type="checkbox" checked={d.email} onChange={(e) => update(i, { email: e.target.checked })} /> e-mail
                </label>{' '}
                <label className="check">
                  <input type="checkbox" checked={d.webhook} onChange={(e) => update(i, { webhook: e.target.checked })} /> webhook
                </label>
              </p>
              {!threshold && (
                <p className="rule-sentence">
                  Alerts once it has lasted{' '}
                  <input className="num" inputMode="decimal" value={d.forMinutes} onChange={(e) => update(i, { forMinutes: e.target.value })} placeholder="0" aria-label="Grace, minutes" aria-invalid={Boolean(err(i, 'forMinutes'))} data-testid="rule-grace" /> min
                </p>
              )}
              <RuleRouting value={d.routing} channels={channels} onChange={(routing) => update(i, { routing })} />
              <div className="rule-scope">
                <span className="muted">Applies to</span>
                {d.servers.length === 0 ? (
                  <span className="chip">all servers</span>
                ) : (
                  d.servers.map((id) => (
                    <span key={id} className="chip">
                      {servers.find((s) => s.id === id)?.name ?? id}
                      <button type="button" aria-label={`Remove ${id}`} onClick={() => update(i, { servers: d.servers.filter((x) => x !== id) })}>
                        ×
                      </button>
                    </span>
                  ))
                )}
                <select
                  value=""
                  aria-label="Limit to a server"
                  onChange={(e) => {
                    if (e.target.value) update(i, { servers: [...d.servers, e.target.value] });
                  }}
                >
                  <option value="">{d.servers.length ? 'add a server…' : 'only some servers…'}</option>
                  {servers
                    .filter((s) => !d.servers.includes(s.id))
                    .sort((a, b) => a.name.localeCompare(b.name))
                    .map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                </select>
              </div>
              {['id', 'name', 'threshold', 'forMinutes', 'hysteresis', 'throttleMinutes', 'servers'].map((f) =>
                err(i, f) ? (
                  <p key={f} className="field-error" role="alert" data-testid={`rule-error-${f}`}>
                    {err(i, f)}
                  </p>
                ) : null,
              )}
            </li>
          );
        })}
      </ul>
      <div className="rules-foot">
        <button type="button" className="btn btn-sm" onClick={add}>
          Add rule
        </button>
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => setDrafts(defaults.map(toDraft))}>
          Restore defaults
        </button>
        <span className="rules-status" data-ok={status?.ok} role="status">
          {status?.text}
        </span>
        <button type="button" className="btn btn-primary" disabled={saving} onClick={save} data-testid="rules-save">
          {saving ? 'Saving…' : 'Save rules'}
        </button>
      </div>
    </div>
  );
}
