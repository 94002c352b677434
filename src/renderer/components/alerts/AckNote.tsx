import { useState } from 'react';
import type { AlertView } from '../../../shared/contract/monitoring';
import { useClient } from '../../hooks/useClient';
import { useAlerts } from '../metrics/alerts-store';
import './alerts.css';

/**
 * An acknowledgement's note: shown once written, and written (acknowledging the alert if it was
 * not yet) from a small inline field.
 */
export function AckNote({ alert: a }: { alert: AlertView }) {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState(a.ackNote ?? '');
  const [error, setError] = useState<string | undefined>(undefined);
  const save = () =>
    client.alerts.ack({ id: a.id, note: note.trim() }).then(
      (x) => {
        useAlerts.getState().upsert(x);
        setOpen(false);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  if (open) {
    return (
      <span className="ack-note-edit">
        <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} placeholder="What is being done, until when" aria-label="Acknowledgement note" data-testid="ack-note-input" />
        <button type="button" className="btn btn-sm" disabled={!note.trim()} onClick={() => void save()} data-testid="ack-note-save">
          Save
        </button>
        {error && <span className="form-error">{error}</span>}
      </span>
    );
  }
  return (
    <>
      {a.ackNote && (
        <span className="ack-note" data-testid="ack-note">
          “{a.ackNote}”
        </span>
      )}
      {a.state === 'active' && (
        <button type="button" className="link" onClick={() => setOpen(true)} data-testid="ack-note-open">
          {a.ackNote ? 'edit note' : a.acknowledgedAt !== undefined ? 'add a note' : 'acknowledge with a note'}
        </button>
      )}
    </>
  );
}
