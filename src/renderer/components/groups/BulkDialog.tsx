import { useEffect, useId, useState } from 'react';
import { BULK_VERB, type BulkPlanView, type BulkRunView } from '../../../shared/contract/groups';
import { isCancelled } from '../../../shared/ipc';
import { useClient } from '../../hooks/useClient';
import { useDialogSignal } from '../../hooks/useDialogSignal';
import { Modal } from '../Modal';
import { useGroupFilter, type BulkAsk } from './filter-store';

/**
 * The confirmation of a bulk action: what will happen (who, in which order, how far apart, who
 * is skipped and why), asked from the engine's plan before anything is sent; then the run's
 * progress as each command goes out, with a Stop while it lasts.
 */
export function BulkDialog() {
  const ask = useGroupFilter((f) => f.bulk);
  return ask ? <BulkConfirm key={`${ask.action}:${ask.group ?? ''}:${ask.tag ?? ''}`} ask={ask} /> : null;
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(2))} s`;

function BulkConfirm({ ask }: { ask: BulkAsk }) {
  const client = useClient();
  const signal = useDialogSignal();
  const titleId = useId();
  const [plan, setPlan] = useState<BulkPlanView | null>(null);
  const [run, setRun] = useState<BulkRunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const target = { ...(ask.group !== undefined ? { group: ask.group } : {}), ...(ask.tag !== undefined ? { tag: ask.tag } : {}) };
  const what = [ask.group !== undefined ? `group ${ask.group}` : '', ask.tag !== undefined ? `tag #${ask.tag}` : ''].filter(Boolean).join(' and ');
  const verb = BULK_VERB[ask.action];
  const close = () => useGroupFilter.getState().askBulk(null);

  useEffect(() => {
    client.bulk.plan({ action: ask.action, target }, { signal: signal() }).then(setPlan, (e: unknown) => {
      if (!isCancelled(e)) setError(e instanceof Error ? e.message : String(e));
    });
    // The plan is asked once per dialog: its key remounts it for another action or target.
  }, []);

  useEffect(() => {
    if (!run) return;
    return client.on('bulk.run', (view) => {
      if (view.id === run.id) setRun(view);
    });
  }, [client, run?.id]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setRun(await client.bulk.run({ action: ask.action, target }, { signal: signal() }));
    } catch (e) {
      if (!isCancelled(e)) setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const stop = async () => {
    if (run) setRun(await client.bulk.cancel({ id: run.id }));
  };
  const shown = run?.plan ?? plan;
  const status = new Map((run?.results ?? []).map((r) => [r.serverId, r]));
  const names = new Map((shown?.steps ?? []).map((s) => [s.serverId, s.name]));

  return (
    <Modal titleId={titleId} onClose={close} className="confirm bulk-modal" testId="bulk-dialog" role="alertdialog">
      <h2 id={titleId}>
        {verb} {what}?
      </h2>
      <div className="confirm-body" data-testid="bulk-plan" data-state={run?.state}>
        {!shown && !error && <p>Working out what will happen…</p>}
        {shown && shown.steps.length === 0 && <p>Nothing to do: every server selected is skipped.</p>}
        {shown && shown.steps.length > 0 && (
          <>
            <p>
              {verb} {shown.steps.length} server{shown.steps.length === 1 ? '' : 's'}
              {shown.spacingMs > 0 ? `, one every ${seconds(shown.spacingMs)} so they do not all draw their startup current at once, parents first` : ''}:
            </p>
            <ol className="bulk-steps">
              {shown.steps.map((s) => {
                const r = status.get(s.serverId);
                return (
                  <li key={s.serverId} data-testid="bulk-step" data-server-id={s.serverId} data-status={r?.status}>
                    <span className="bulk-offset">+{seconds(s.offsetMs)}</span>
                    <span className="bulk-name">{s.name}</span>
                    {s.via === 'proxmox' && <small>in its cluster's bulk call</small>}
                    {s.addedFor && <small>parent of {s.addedFor}</small>}
                    {s.after && <small>after {s.after.map((id) => names.get(id) ?? id).join(', ')}</small>}
                    {r && r.status !== 'pending' && <span className={`bulk-status bulk-${r.status}`}>{r.status}{r.error ? `: ${r.error}` : ''}</span>}
                  </li>
                );
              })}
            </ol>
          </>
        )}
        {shown && shown.skipped.length > 0 && (
          <>
            <p>Skipped:</p>
            <ul className="bulk-skipped">
              {shown.skipped.map((s) => (
                <li key={s.serverId} data-testid="bulk-skipped" data-server-id={s.serverId}>
                  <span className="bulk-name">{s.name}</span> {s.reason}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="modal-actions">
        {run?.state === 'running' ? (
          <button type="button" className="btn" data-testid="bulk-stop" onClick={() => void stop()}>
            Stop
          </button>
        ) : (
          <button type="button" className="btn" onClick={close} autoFocus>
            {run ? 'Close' : 'Cancel'}
          </button>
        )}
        {!run && (
          <button type="button" className={ask.action === 'wake' ? 'btn btn-primary' : 'btn btn-danger'} data-testid="bulk-confirm" disabled={busy || !plan || plan.steps.length === 0} onClick={() => void start()}>
            {busy ? 'Starting…' : `${verb} ${plan?.steps.length ?? ''}`}
          </button>
        )}
      </div>
    </Modal>
  );
}
