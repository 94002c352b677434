import { useCallback, useEffect, useState } from 'react';
import { CHECK_KIND_LABELS, intervalOf, type CheckView } from '../../../shared/contract/checks';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { useTimeText } from '../../hooks/useNow';
import { formatDuration } from '../../lib/time';
import { CheckForm } from './CheckForm';
import './checks.css';

/**
 * The server's checks in the drawer: each with its state, since when, its last message and how
 * long it took; run one or all now, add, edit and remove. States move live with `checks.changed`.
 */
export function ChecksSection({ server }: { server: ServerView }) {
  const client = useClient();
  const [checks, setChecks] = useState<CheckView[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [editing, setEditing] = useState<CheckView | 'new' | undefined>(undefined);
  const [running, setRunning] = useState<Set<string>>(new Set());
  const [confirmRemove, setConfirmRemove] = useState<string | undefined>(undefined);

  const load = useCallback(() => client.checks.list({ server: server.id }).then(setChecks, (e: unknown) => setError(messageOf(e))), [client, server.id]);
  useEffect(() => {
    void load();
    return client.on('checks.changed', (v) => {
      if (v.serverId !== server.id) return;
      setChecks((list) => {
        if (!list) return list;
        const i = list.findIndex((c) => c.check.id === v.check.id);
        return i < 0 ? [...list, v] : list.map((c, j) => (j === i ? v : c));
      });
    });
  }, [client, load, server.id]);

  const run = async (id?: string) => {
    const key = id ?? '*';
    setRunning((r) => new Set(r).add(key));
    setError(undefined);
    try {
      const views = await client.checks.run({ server: server.id, ...(id ? { id } : {}) });
      setChecks((list) => list?.map((c) => views.find((v) => v.check.id === c.check.id) ?? c));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setRunning((r) => {
        const next = new Set(r);
        next.delete(key);
        return next;
      });
    }
  };

  const remove = async (id: string) => {
    setConfirmRemove(undefined);
    try {
      await client.checks.remove({ server: server.id, id });
      setChecks((list) => list?.filter((c) => c.check.id !== id));
    } catch (e) {
      setError(messageOf(e));
    }
  };

  if (!checks) return error ? <p className="form-error">{error}</p> : <div className="sk" style={{ height: 48 }} />;
  return (
    <div className="checks" data-testid="checks">
      {error && <p className="form-error" role="alert">{error}</p>}
      {checks.length === 0 && !editing && <p className="muted">No checks yet: ping, HTTP, DNS, disks, temperatures, backups…</p>}
      <ul className="check-list">
        {checks.map((v) =>
          editing !== 'new' && editing?.check.id === v.check.id ? (
            <li key={v.check.id} className="check-edit">
              <CheckForm server={server} existing={v} onDone={(saved) => { setEditing(undefined); if (saved) void load(); }} />
            </li>
          ) : (
            <li key={v.check.id} className="check-row" data-testid="check" data-check-id={v.check.id} data-state={v.check.enabled ? v.state.status : 'disabled'}>
              <span className="check-dot" aria-hidden="true" />
              <div className="check-main">
                <div className="check-head">
                  <span className="check-name" title={CHECK_KIND_LABELS[v.check.kind]}>{v.check.kind === 'dns' ? v.check.name : (v.check.name ?? v.check.id)}</span>
                  <span className="check-kind">{v.check.kind}</span>
                  <span className="check-status" data-testid="check-status">{v.check.enabled ? v.state.status : 'disabled'}</span>
                  {v.state.alerting && <span className="check-alert" title="Its alert is raised">alert</span>}
                </div>
                <p className="check-message" data-testid="check-message">{v.state.message}</p>
                <p className="check-meta muted">
                  every {intervalOf(v.check)} s
                  {v.state.lastRunAt !== undefined && (
                    <>
                      {' · '}
                      {v.state.status} <For since={v.state.since} />
                      {v.state.durationMs !== undefined && ` · took ${v.state.durationMs} ms`}
                    </>
                  )}
                </p>
              </div>
              <div className="check-actions">
                <button type="button" className="btn btn-sm" disabled={running.has(v.check.id) || running.has('*')} onClick={() => void run(v.check.id)} data-testid="check-run">
                  {running.has(v.check.id) ? 'Running…' : 'Run now'}
                </button>
                <button type="button" className="link" onClick={() => setEditing(v)} data-testid="check-edit">Edit</button>
                {confirmRemove === v.check.id ? (
                  <button type="button" className="link danger" onClick={() => void remove(v.check.id)} data-testid="check-remove-confirm">Remove it</button>
                ) : (
                  <button type="button" className="link" onClick={() => setConfirmRemove(v.check.id)} data-testid="check-remove">Remove</button>
                )}
              </div>
            </li>
          ),
        )}
      </ul>
      {editing === 'new' ? (
        <CheckForm server={server} onDone={(saved) => { setEditing(undefined); if (saved) void load(); }} />
      ) : (
        <div className="check-bar">
          <button type="button" className="btn btn-sm" onClick={() => setEditing('new')} data-testid="check-add">Add a check</button>
          {checks.length > 1 && (
            <button type="button" className="btn btn-sm" disabled={running.has('*')} onClick={() => void run()} data-testid="check-run-all">
              {running.has('*') ? 'Running…' : 'Run all'}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** "for 5 min", kept current. */
function For({ since }: { since: number }) {
  return <>{useTimeText((now) => `for ${formatDuration(Math.max(0, now - since))}`)}</>;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
