import { useId, useState } from 'react';
import type { ProxmoxTask } from '../../../shared/contract/proxmox';
import { GUEST_ACTIONS, type GuestAction } from '../../../shared/contract/proxmox-data';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { ConfirmDialog } from '../ConfirmDialog';
import { Icon, iconClass, type IconName } from '../Icon';
import { Modal } from '../Modal';
import { ACTION_LABEL, confirmText, guestButtons, isDangerous, offerStopAfter } from './guest-labels';
import { TaskProgress } from './TaskProgress';
import './proxmox.css';

export const GUEST_ICONS: Record<GuestAction, IconName> = {
  start: 'play',
  resume: 'play',
  pause: 'pause',
  hibernate: 'snow',
  shutdown: 'power',
  reboot: 'reboot',
  stop: 'stop',
  reset: 'bolt',
};

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The tasks this view follows in the drawer; snapshot tasks are the snapshot section's. */
const OWN_TASKS = new Set<string>([...GUEST_ACTIONS, 'delete']);

/**
 * The buttons of a Proxmox guest: only the actions that exist for its type and present state
 * (main decides them; this only draws them), each asking first when it interrupts the guest.
 * The task an action starts is followed until it ends; a shutdown that fails is followed by
 * the offer to stop. A guest whose node is asleep can still be started: main wakes the node
 * (through its physical host) first.
 *
 * On a card (`compact`) start/resume is labelled and the rest are icons, and a task shows as one
 * line while it runs or when it failed; the drawer labels everything and shows the task's log.
 */
export function GuestActions({ server, compact = false }: { server: ServerView; compact?: boolean }) {
  const client = useClient();
  const px = server.proxmox;
  const [asking, setAsking] = useState<GuestAction | null>(null);
  const [task, setTask] = useState<ProxmoxTask | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [timeout, setTimeoutS] = useState(120);
  const [forceStop, setForceStop] = useState(false);
  const [deleting, setDeleting] = useState(false);
  if (!px || px.vmid === undefined) return null;
  const { buttons, wakesNode, note } = guestButtons(px, server.power);
  const actions = buttons.map((b) => b.action);
  // The task this view started, or the latest one main followed for this guest (started elsewhere, or later).
  const mine = px.task && (compact || OWN_TASKS.has(px.task.action)) ? px.task : undefined;
  const latest = mine && (!task || mine.startedAt > task.startedAt) ? mine : task;
  const started = task && latest?.upid === task.upid ? task : null;
  const showTask = latest && latest.upid !== dismissed && (!compact || latest.status === 'running' || latest.outcome === 'error' || latest.outcome === 'warnings');

  const run = async (action: GuestAction) => {
    setError(null);
    const t = await client.proxmox.guestAction({ guest: server.id, action, ...(action === 'shutdown' ? { timeout, forceStop } : {}) });
    setTask(t);
    setDismissed(null);
    setAsking(null);
  };
  const click = (action: GuestAction) => {
    if (confirmText(action, server.name)) setAsking(action);
    else run(action).catch((e: unknown) => setError(message(e)));
  };
  const primary = buttons.find((b) => b.primary);
  const rest = compact ? buttons.filter((b) => b !== primary) : buttons;

  return (
    <div className="px-actions" data-testid="guest-actions" data-compact={compact || undefined}>
      {(buttons.length > 0 || (!compact && note)) && (
        <div className="px-action-row" role="group" aria-label={`Actions for ${server.name}`}>
          {compact && primary && (
            <button
              type="button"
              className={`btn btn-sm pw-primary ${iconClass(GUEST_ICONS[primary.action])}`}
              data-action={primary.action}
              data-testid={`guest-action-${primary.action}`}
              title={wakesNode ? `Wakes node ${px.node} first` : undefined}
              onClick={() => click(primary.action)}
            >
              {primary.label}
            </button>
          )}
          {compact ? (
            <span className="pw-icons">
              {rest.map((b) => (
                <button
                  key={b.action}
                  type="button"
                  className={`icon-btn pw-icon ${iconClass(GUEST_ICONS[b.action])} ${isDangerous(b.action) ? 'pw-danger' : ''}`}
                  data-testid={`guest-action-${b.action}`}
                  aria-label={b.label}
                  title={confirmText(b.action, server.name) ? `${b.label}…` : b.label}
                  onClick={() => click(b.action)}
                />
              ))}
            </span>
          ) : (
            rest.map((b) => (
              <button
                key={b.action}
                type="button"
                className={`btn btn-sm ${isDangerous(b.action) ? 'btn-danger-ghost' : b.primary ? 'btn-primary' : ''}`}
                data-testid={`guest-action-${b.action}`}
                title={wakesNode && b.action === 'start' ? `Wakes node ${px.node} first` : undefined}
                onClick={() => click(b.action)}
              >
                <Icon name={GUEST_ICONS[b.action]} size={15} />
                {b.label}
                {confirmText(b.action, server.name) && '…'}
              </button>
            ))
          )}
          {!compact && px.status === 'stopped' && !px.lock && !px.template && (
            <button type="button" className="btn btn-sm btn-ghost btn-danger-ghost px-delete" data-testid="guest-delete" onClick={() => setDeleting(true)}>
              <Icon name="trash" size={15} /> Delete…
            </button>
          )}
        </div>
      )}
      {!compact && note && <p className="muted px-note">{note}</p>}
      {!compact && wakesNode && <p className="muted px-note">Node {px.node} is not running: starting it wakes the node first (through its physical host’s Wake-on-LAN).</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {showTask && latest && (
        <TaskProgress key={latest.upid} upid={latest.upid} compact={compact} {...(started ? { initial: started } : {})} onClose={() => setDismissed(latest.upid)} />
      )}
      {offerStopAfter(latest, actions) && latest?.upid !== dismissed && (
        <div className="px-offer" role="alert">
          <span>{server.name} did not shut down in time.</span>
          <button type="button" className="btn btn-sm btn-danger" data-testid="guest-stop-now" onClick={() => setAsking('stop')}>
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
      setError(message(e));
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
          <span>
            Type <strong className="mono">{name}</strong> to confirm
          </span>
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
