import { useId, useState } from 'react';
import type { GuestAction, ProxmoxTask } from '../../../shared/contract/proxmox';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { ConfirmDialog } from '../ConfirmDialog';
import { Modal } from '../Modal';
import { ACTION_LABEL, confirmText, isDangerous, offerStopAfter } from './guest-labels';
import { TaskProgress } from './TaskProgress';
import './proxmox.css';

/**
 * The buttons of a Proxmox guest: only the actions that exist for its type and present state
 * (main decides them; this only draws them), each asking first when it interrupts the guest.
 * The task an action starts is shown with its log until it ends; a shutdown that fails is
 * followed by the offer to stop.
 */
export function GuestActions({ server }: { server: ServerView }) {
  const client = useClient();
  const px = server.proxmox;
  const [asking, setAsking] = useState<GuestAction | null>(null);
  const [task, setTask] = useState<ProxmoxTask | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [timeout, setTimeoutS] = useState(120);
  const [forceStop, setForceStop] = useState(false);
  const [deleting, setDeleting] = useState(false);
  if (!px || px.vmid === undefined) return null;
  const actions = (px.actions ?? []) as GuestAction[];
  // The task this card started, or the latest one main followed for this guest (started elsewhere).
  const latest = task ?? px.task ?? null;

  const run = async (action: GuestAction) => {
    setError(null);
    const started = await client.proxmox.guestAction({ guest: server.id, action, ...(action === 'shutdown' ? { timeout, forceStop } : {}) });
    setTask(started);
    setAsking(null);
  };
  const click = (action: GuestAction) => {
    if (confirmText(action, server.name)) setAsking(action);
    else run(action).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  return (
    <div className="px-actions" data-testid="guest-actions">
      <div className="px-action-row" role="group" aria-label={`Actions for ${server.name}`}>
        {actions.length === 0 && <span className="muted">{px.template ? 'A template cannot run.' : px.lock ? `Locked (${px.lock}): no action until it ends.` : px.nodeStatus !== 'online' ? `Node ${px.node} is ${px.nodeStatus ?? 'unknown'}.` : 'No action available now.'}</span>}
        {actions.map((a) => (
          <button key={a} type="button" className={`btn ${isDangerous(a) ? 'btn-danger-ghost' : a === 'start' || a === 'resume' ? 'btn-primary' : ''}`} data-testid={`guest-action-${a}`} onClick={() => click(a)}>
            {ACTION_LABEL[a]}
          </button>
        ))}
        {px.status === 'stopped' && !px.lock && (
          <button type="button" className="btn btn-ghost btn-danger-ghost" data-testid="guest-delete" onClick={() => setDeleting(true)}>
            Delete…
          </button>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {latest && <TaskProgress key={latest.upid} upid={latest.upid} {...(task ? { initial: task } : {})} onClose={() => setTask(null)} />}
      {offerStopAfter(latest, actions) && (
        <div className="px-offer" role="alert">
          <span>{server.name} did not shut down in time.</span>
          <button type="button" className="btn btn-danger" data-testid="guest-stop-now" onClick={() => setAsking('stop')}>
            Stop it now…
          </button>
        </div>
      )}
      {asking && (
        <ConfirmDialog title={`${ACTION_LABEL[asking]} ${server.name}?`} confirmLabel={ACTION_LABEL[asking]} onConfirm={() => run(asking)} onClose={() => setAsking(null)}>
          <p>{confirmText(asking, server.name)}</p>
          {asking === 'shutdown' && (
            <div className="px-shutdown-options">
              <label>
                Wait up to{' '}
                <input type="number" min={1} max={3600} value={timeout} data-testid="shutdown-timeout" onChange={(e) => setTimeoutS(Math.max(1, Math.min(3600, Number(e.target.value) || 1)))} /> seconds
              </label>
              <label>
                <input type="checkbox" checked={forceStop} data-testid="shutdown-force" onChange={(e) => setForceStop(e.target.checked)} /> then stop it if it is still running
              </label>
            </div>
          )}
        </ConfirmDialog>
      )}
      {deleting && <DeleteGuestDialog server={server} onClose={() => setDeleting(false)} onStarted={(t) => setTask(t)} />}
    </div>
  );
}

/** Deleting a guest destroys its disks: the admin types its name to confirm, and main checks it again. */
export function DeleteGuestDialog(props: { server: ServerView; onClose: () => void; onStarted: (task: ProxmoxTask) => void }) {
  const client = useClient();
  const titleId = useId();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = props.server.proxmox?.guestName ?? props.server.name;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onStarted(await client.proxmox.deleteGuest({ guest: props.server.id, confirmName: typed }));
      props.onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <Modal titleId={titleId} onClose={props.onClose} className="confirm" testId="delete-guest-dialog" role="alertdialog">
      <h2 id={titleId}>Delete {name}?</h2>
      <div className="confirm-body">
        <p>
          This destroys {props.server.kind === 'lxc' ? 'container' : 'VM'} {props.server.proxmox?.vmid} and its disks on {props.server.proxmox?.node}. It cannot be undone.
        </p>
        <label className="field">
          Type <strong>{name}</strong> to confirm
          <input value={typed} autoComplete="off" spellCheck={false} data-testid="delete-confirm-name" onChange={(e) => setTyped(e.target.value)} />
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={props.onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" data-testid="delete-confirm" disabled={busy || typed !== name} onClick={() => void submit()}>
          {busy ? 'Deleting…' : 'Delete'}
        </button>
      </div>
    </Modal>
  );
}
