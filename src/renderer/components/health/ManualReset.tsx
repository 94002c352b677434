import { useState } from 'react';
import { ConfirmDialog } from '../ConfirmDialog';
import { useClient } from '../../hooks/useClient';

/** A reset asked for by a person: a reason is required (it goes in the history) and confirmed. */
export function ManualReset({ serverId, serverName, disabled }: { serverId: string; serverName: string; disabled?: boolean }) {
  const client = useClient();
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const valid = reason.trim().length >= 3;
  return (
    <div className="hp-manual">
      <label htmlFor={`reset-reason-${serverId}`}>Reset by hand</label>
      <div className="hp-row">
        <input
          id={`reset-reason-${serverId}`}
          value={reason}
          maxLength={200}
          placeholder="Why: console frozen, no SSH…"
          onChange={(e) => setReason(e.target.value)}
          className="hp-reason"
          data-testid="reset-reason"
        />
        <button type="button" className="btn btn-sm btn-danger-ghost" disabled={!valid || disabled} onClick={() => setAsking(true)} data-testid="reset-now">
          Reset…
        </button>
      </div>
      {outcome && <p className="muted">{outcome}</p>}
      {asking && (
        <ConfirmDialog
          title={`Reset ${serverName}?`}
          confirmLabel="Reset now"
          onClose={() => setAsking(false)}
          onConfirm={async () => {
            const r = await client.agents.reset({ id: serverId, reason: reason.trim() });
            setAsking(false);
            setReason('');
            setOutcome(r.ok ? `Reset sent: ${r.taskStatus}.` : `The reset failed: ${r.taskStatus}`);
          }}
        >
          <p>
            A reset is a hard power cycle through Proxmox, like pressing the reset button: unsaved work in the guest is lost. It is recorded with your reason:
          </p>
          <blockquote>{reason.trim()}</blockquote>
        </ConfirmDialog>
      )}
    </div>
  );
}
