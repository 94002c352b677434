import { useState, type MouseEvent } from 'react';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';

/**
 * The Cancel button beside a running transition: what `rackdeck cancel` does. The transition
 * ends at once (a command not yet sent is not sent); the reconcile loop holds the server's
 * desired state until it is set again, and the card says so.
 */
export function CancelTransition({ server }: { server: ServerView }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = (event: MouseEvent) => {
    event.stopPropagation();
    setBusy(true);
    setError(null);
    client.power.cancel({ id: server.id }).then(
      () => setBusy(false),
      (e: unknown) => {
        setBusy(false);
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };
  return (
    <>
      <button type="button" className="btn btn-sm pw-cancel" data-testid="power-cancel" disabled={busy} onClick={cancel} title={`Stop ${server.name}'s ${server.transition?.action ?? 'transition'}`}>
        Cancel
      </button>
      {error && (
        <span className="pw-hint" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
