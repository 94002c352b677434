import { useState } from 'react';
import { useClient } from '../../hooks/useClient';
import { useServer } from '../../hooks/useServer';
import { useUi } from '../../ui-store';
import { ConfirmDialog } from '../ConfirmDialog';
import { ACTION_LABEL, confirmText } from './guest-labels';
import './proxmox.css';

/**
 * The one confirmation for the guest actions cards ask about (stop, reset, shutdown with its
 * timeout…). The task it starts shows on the guest's card as main follows it.
 */
export function GuestConfirm() {
  const ask = useUi((u) => u.guestAsk);
  const server = useServer(ask?.id);
  if (!ask || !server) return null;
  return <Dialog key={`${ask.id}-${ask.action}`} id={ask.id} name={server.name} action={ask.action} />;
}

function Dialog({ id, name, action }: { id: string; name: string; action: NonNullable<ReturnType<typeof useUi.getState>['guestAsk']>['action'] }) {
  const client = useClient();
  const [timeout, setTimeoutS] = useState(120);
  const [forceStop, setForceStop] = useState(false);
  const close = () => useUi.getState().askGuest(null);
  return (
    <ConfirmDialog
      title={`${ACTION_LABEL[action]} ${name}?`}
      confirmLabel={ACTION_LABEL[action]}
      onClose={close}
      onConfirm={async () => {
        await client.proxmox.guestAction({ guest: id, action, ...(action === 'shutdown' ? { timeout, forceStop } : {}) });
        close();
      }}
    >
      <p>{confirmText(action, name)}</p>
      {action === 'shutdown' && (
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
  );
}
