import { memo, useState, type MouseEvent } from 'react';
import { RackdeckError } from '../../../shared/ipc';
import { POWER_LABELS } from '../../../shared/power';
import type { PowerAction, ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { useTimeText } from '../../hooks/useNow';
import { formatDuration } from '../../lib/time';
import { ConfirmDialog } from '../ConfirmDialog';
import { confirmText, powerButtons, transitionProgress } from './power-view';
import './power.css';

interface Asking {
  action: PowerAction;
  /** Why main asked for confirmation (running children), when it was main that asked. */
  reason?: string;
}

/**
 * A card's power buttons: Wake, Suspend, Hibernate, Shut down, Reboot, enabled by what main says
 * the server can do and its present state. Destructive ones ask first, and so does anything main
 * refuses until confirmed (a parent with running children). While a command lasts, its progress
 * and elapsed time; after a failure, what happened and what to try.
 */
export const PowerActions = memo(function PowerActions({ server }: { server: ServerView }) {
  const client = useClient();
  const [asking, setAsking] = useState<Asking | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Proxmox guests have their own actions (GuestActions).
  if (server.proxmox?.vmid !== undefined) return null;
  const buttons = powerButtons(server);

  const send = async (action: PowerAction, confirm: boolean) => {
    setError(null);
    try {
      await client.power.run({ id: server.id, action, ...(confirm ? { confirm: true } : {}) });
      setAsking(null);
    } catch (e) {
      if (!confirm && e instanceof RackdeckError && e.fields?.confirm === 'required') {
        setAsking({ action, reason: e.message });
        return;
      }
      throw e;
    }
  };
  const click = (event: MouseEvent, action: PowerAction, needsConfirm: boolean) => {
    event.stopPropagation();
    if (needsConfirm) setAsking({ action });
    else send(action, false).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  return (
    <div className="pw-actions" data-testid="power-actions" onClick={(e) => e.stopPropagation()}>
      {server.transition ? (
        <TransitionProgress server={server} />
      ) : (
        buttons.length > 0 && (
          <div className="pw-row" role="group" aria-label={`Power actions for ${server.name}`}>
            {buttons.map((b) => (
              <button
                key={b.action}
                type="button"
                className={`btn ${b.primary ? 'btn-primary' : b.confirm ? 'btn-danger-ghost' : ''}`}
                data-testid={`power-${b.action}`}
                disabled={!b.enabled}
                title={b.reason ? `Cannot ${b.label.toLowerCase()}: ${b.reason}` : undefined}
                onClick={(e) => click(e, b.action, b.confirm)}
              >
                {b.label}
              </button>
            ))}
          </div>
        )
      )}
      {(error ?? server.lastError) && !server.transition && (
        <div className="pw-error" role="alert" data-testid="power-error">
          <p>{error ?? server.lastError?.message}</p>
          {!error && server.lastError?.hint && <p className="pw-hint">Try: {server.lastError.hint}</p>}
        </div>
      )}
      {asking && (
        <ConfirmDialog
          title={`${buttons.find((b) => b.action === asking.action)?.label ?? asking.action} ${server.name}?`}
          confirmLabel={buttons.find((b) => b.action === asking.action)?.label ?? 'Go ahead'}
          onConfirm={() => send(asking.action, true)}
          onClose={() => setAsking(null)}
        >
          <p>{asking.reason ?? confirmText(asking.action, server.name)}</p>
        </ConfirmDialog>
      )}
    </div>
  );
});

function TransitionProgress({ server }: { server: ServerView }) {
  const t = server.transition!;
  const elapsed = useTimeText((now) => formatDuration(now - t.startedAt));
  const percent = useTimeText((now) => String(Math.round(transitionProgress(t, now) * 100)));
  return (
    <div className="pw-progress" role="status" aria-live="polite" data-testid="power-progress">
      <div className="pw-progress-head">
        <strong>{POWER_LABELS[server.power]}</strong>
        <span className="muted" data-testid="power-elapsed">
          {elapsed} of {formatDuration(t.deadline - t.startedAt)}
        </span>
      </div>
      <div className="pw-bar" aria-hidden="true">
        <span style={{ width: `${percent}%` }} />
      </div>
      {t.step && <p className="pw-progress-step">{t.step}</p>}
    </div>
  );
}
