import { memo, useState, type MouseEvent } from 'react';
import { RackdeckError } from '../../../shared/ipc';
import { POWER_LABELS } from '../../../shared/power';
import type { PowerAction, ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { useTimeText } from '../../hooks/useNow';
import { formatDuration } from '../../lib/time';
import { ConfirmDialog } from '../ConfirmDialog';
import { Icon, iconClass, type IconName } from '../Icon';
import { CancelTransition } from './CancelTransition';
import { cardLayout, confirmText, powerButtons, transitionProgress, type PowerButton } from './power-view';
import { powersDown, wolOffInterface } from '../../../shared/wol-readiness';
import { WolOffNote } from './WolOffNote';
import './power.css';

interface Asking {
  action: PowerAction;
  /** Why main asked for confirmation (running children), when it was main that asked. */
  reason?: string;
}

export const POWER_ICONS: Record<PowerAction, IconName> = { wake: 'sun', suspend: 'moon', hibernate: 'snow', shutdown: 'power', reboot: 'reboot' };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * A server's power buttons: Wake, Suspend, Hibernate, Shut down, Reboot, enabled by what main says
 * the server can do and its present state. Destructive ones ask first, and so does anything main
 * refuses until confirmed (a parent with running children). While a command lasts, its progress
 * and elapsed time; after a failure, what happened and what to try.
 *
 * On a card (`compact`) only what can be done now is drawn, the fitting action labelled and the
 * others as icons; the drawer draws every button with its label, disabled ones with the reason.
 */
export const PowerActions = memo(function PowerActions({ server, compact = false }: { server: ServerView; compact?: boolean }) {
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
  const click = (event: MouseEvent, b: PowerButton) => {
    event.stopPropagation();
    // Powering down a server Wake-on-LAN cannot bring back is asked about too (issue 13).
    if (b.confirm || (powersDown(b.action) && wolOffInterface(server))) setAsking({ action: b.action });
    else send(b.action, false).catch((e: unknown) => setError(message(e)));
  };

  // An init failure is told by the state badge and the System section, not as a command's failure.
  const failure = error ?? (server.lastError && server.lastError.action !== 'init' ? server.lastError.message : null);
  const hint = error ? undefined : server.lastError?.hint;
  const layout = compact ? cardLayout(buttons) : null;
  const label = (action: PowerAction) => buttons.find((b) => b.action === action)?.label ?? action;

  return (
    <div className="pw-actions" data-testid="power-actions" data-compact={compact || undefined}>
      {server.transition ? (
        <TransitionProgress server={server} compact={compact} />
      ) : layout ? (
        (layout.primary || layout.icons.length > 0) && (
          <div className="pw-row" role="group" aria-label={`Power actions for ${server.name}`}>
            {layout.primary && (
              <button
                type="button"
                className={`btn btn-sm pw-primary ${iconClass(POWER_ICONS[layout.primary.action])}`}
                data-action={layout.primary.action}
                data-testid={`power-${layout.primary.action}`}
                onClick={(e) => click(e, layout.primary!)}
              >
                {layout.primary.label}
              </button>
            )}
            <span className="pw-icons">
              {layout.icons.map((b) => (
                <button
                  key={b.action}
                  type="button"
                  className={`icon-btn pw-icon ${iconClass(POWER_ICONS[b.action])} ${b.confirm ? 'pw-danger' : ''}`}
                  data-testid={`power-${b.action}`}
                  aria-label={b.label}
                  title={b.confirm ? `${b.label}…` : b.label}
                  onClick={(e) => click(e, b)}
                />
              ))}
            </span>
          </div>
        )
      ) : (
        buttons.length > 0 && (
          <div className="pw-row" role="group" aria-label={`Power actions for ${server.name}`}>
            {buttons.map((b) => (
              <button
                key={b.action}
                type="button"
                className={`btn btn-sm ${b.primary && b.enabled ? 'btn-primary' : ''}`}
                data-testid={`power-${b.action}`}
                disabled={!b.enabled}
                title={b.reason ? `Cannot ${b.label.toLowerCase()}: ${b.reason}` : undefined}
                onClick={(e) => click(e, b)}
              >
                <Icon name={POWER_ICONS[b.action]} size={15} />
                {b.label}
                {b.confirm && '…'}
              </button>
            ))}
          </div>
        )
      )}
      {!compact && !server.transition && buttons.length === 0 && (
        <p className="muted">
          {server.kind === 'proxmox-node' && server.parentId
            ? 'A guest that needs this node wakes its physical host (the server it runs on) first. Give the node SSH settings (Edit) to suspend or shut it down from here.'
            : 'Rackdeck cannot switch this server: give it a MAC address for Wake-on-LAN, or SSH settings for suspend and shutdown (Edit).'}
        </p>
      )}
      {failure && !server.transition && (
        <div className="pw-error" role="alert" data-testid="power-error" title={compact ? [failure, hint].filter(Boolean).join('\n') : undefined}>
          <Icon name="alert" size={15} />
          <div>
            <p>{failure}</p>
            {hint && <p className="pw-hint">Try: {hint}</p>}
          </div>
        </div>
      )}
      {asking && (
        <ConfirmDialog title={`${label(asking.action)} ${server.name}?`} confirmLabel={label(asking.action)} onConfirm={() => send(asking.action, true)} onClose={() => setAsking(null)}>
          <p>{asking.reason ?? confirmText(asking.action, server.name)}</p>
          {powersDown(asking.action) && <WolOffNote server={server} />}
        </ConfirmDialog>
      )}
    </div>
  );
});

function TransitionProgress({ server, compact }: { server: ServerView; compact: boolean }) {
  const t = server.transition!;
  const elapsed = useTimeText((now) => formatDuration(now - t.startedAt));
  const percent = useTimeText((now) => String(Math.round(transitionProgress(t, now) * 100)));
  return (
    <div className="pw-progress" role="status" aria-live="polite" data-testid="power-progress" data-compact={compact || undefined}>
      <div className="pw-progress-head">
        <strong>{POWER_LABELS[server.power]}</strong>
        <span className="pw-elapsed" data-testid="power-elapsed" title={`Gives up after ${formatDuration(t.deadline - t.startedAt)}`}>
          {elapsed}
          {!compact && <span className="muted"> of {formatDuration(t.deadline - t.startedAt)}</span>}
        </span>
        <CancelTransition server={server} />
      </div>
      <div className="pw-bar" aria-hidden="true">
        <span style={{ width: `${percent}%` }} />
      </div>
      {t.step && (
        <p className="pw-progress-step" title={t.step}>
          {t.step}
        </p>
      )}
    </div>
  );
}
