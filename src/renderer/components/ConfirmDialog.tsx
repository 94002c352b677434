import { useId, useState, type ReactNode } from 'react';
import { isCancelled } from '../../shared/ipc';
import { useDialogSignal } from '../hooks/useDialogSignal';
import { Modal } from './Modal';

/**
 * Asks before something that cannot be undone; shows the engine's error in place if it fails.
 * `onConfirm` gets a signal that aborts when the dialog closes: calls made with it are cancelled.
 */
export function ConfirmDialog(props: { title: string; children: ReactNode; confirmLabel: string; onConfirm: (signal: AbortSignal) => Promise<void>; onClose: () => void }) {
  const titleId = useId();
  const signal = useDialogSignal();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm(signal());
    } catch (e) {
      if (isCancelled(e)) return;
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <Modal titleId={titleId} onClose={props.onClose} className="confirm" testId="confirm-dialog" role="alertdialog">
      <h2 id={titleId}>{props.title}</h2>
      <div className="confirm-body">{props.children}</div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={props.onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" data-testid="confirm" disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Working…' : props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
