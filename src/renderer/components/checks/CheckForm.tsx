import { useState } from 'react';
import { CHECK_KIND_LABELS, CHECK_KINDS, type CheckKind, type CheckView } from '../../../shared/contract/checks';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { draftOf, fieldsFor, specOf, type Draft } from './check-fields';

/** Adds a check, or edits one (its kind and id stay): the kind's own fields, judged by the contract's schema. */
export function CheckForm({ server, existing, onDone }: { server: ServerView; existing?: CheckView; onDone: (saved: boolean) => void }) {
  const client = useClient();
  const [kind, setKind] = useState<CheckKind>(existing?.check.kind ?? (server.proxmox ? 'backup' : 'ping'));
  const [draft, setDraft] = useState<Draft>(() => draftOf(kind, existing?.check));
  const [enabled, setEnabled] = useState(existing?.check.enabled ?? true);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const changeKind = (k: CheckKind) => {
    setKind(k);
    setDraft(draftOf(k));
    setError(undefined);
  };

  const save = async () => {
    const r = specOf(kind, draft);
    if (!r.ok) return setError(r.error);
    setBusy(true);
    setError(undefined);
    try {
      const check = { ...r.spec, enabled };
      if (existing) await client.checks.update({ server: server.id, id: existing.check.id, check });
      else await client.checks.add({ server: server.id, check });
      onDone(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <form
      className="check-form"
      data-testid="check-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="field">
        <label htmlFor="check-kind">Kind</label>
        <select id="check-kind" value={kind} disabled={existing !== undefined} onChange={(e) => changeKind(e.target.value as CheckKind)} data-testid="check-kind">
          {CHECK_KINDS.map((k) => (
            <option key={k} value={k}>
              {CHECK_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="check-fields">
        {fieldsFor(kind).map((f) => {
          const id = `check-${f.key}`;
          const value = draft[f.key];
          if (f.type === 'bool') {
            return (
              <label key={f.key} className="check-bool">
                <input type="checkbox" checked={value === true} onChange={(e) => setDraft({ ...draft, [f.key]: e.target.checked })} data-testid={id} /> {f.label}
              </label>
            );
          }
          return (
            <div key={f.key} className="field">
              <label htmlFor={id}>{f.label}</label>
              {f.type === 'select' ? (
                <select id={id} value={String(value)} onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })} data-testid={id}>
                  {f.options?.map((o) => <option key={o}>{o}</option>)}
                </select>
              ) : (
                <input id={id} inputMode={f.type === 'number' ? 'numeric' : undefined} value={String(value ?? '')} placeholder={f.placeholder} onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })} data-testid={id} />
              )}
            </div>
          );
        })}
        <label className="check-bool">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="check-enabled" /> Enabled
        </label>
      </div>
      {error && <p className="form-error" role="alert" data-testid="check-form-error">{error}</p>}
      <div className="check-bar">
        <button type="submit" className="btn btn-sm btn-primary" disabled={busy} data-testid="check-save">
          {existing ? 'Save' : 'Add'}
        </button>
        <button type="button" className="btn btn-sm" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
