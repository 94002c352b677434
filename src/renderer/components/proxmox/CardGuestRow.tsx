import { memo } from 'react';
import type { GuestAction } from '../../../shared/contract/proxmox';
import type { PowerState } from '../../../shared/power';
import { useClient } from '../../hooks/useClient';
import { useRackdeck } from '../../store';
import { useUi } from '../../ui-store';
import { iconClass } from '../Icon';
import { GUEST_ICONS } from './GuestActions';
import { ACTION_LABEL, confirmText, guestButtons, isDangerous } from './guest-labels';
import './proxmox.css';

/**
 * A guest card's buttons when no task of it needs showing: start or resume labelled, the rest as
 * icons. No state of its own (confirmations go to GuestConfirm, a refusal becomes a notice), and
 * compared by value, so a discovery refresh that only moves CPU figures does not redraw it.
 */
export const CardGuestRow = memo(function CardGuestRow(props: {
  id: string;
  name: string;
  power: PowerState;
  /** The actions main offers, comma-joined. */
  actions: string;
  template: boolean;
  lock: string | undefined;
  node: string;
  nodeStatus: 'online' | 'offline' | 'unknown' | undefined;
}) {
  const client = useClient();
  const { buttons, wakesNode } = guestButtons(
    { actions: props.actions ? (props.actions.split(',') as GuestAction[]) : [], template: props.template, node: props.node, ...(props.lock ? { lock: props.lock } : {}), ...(props.nodeStatus ? { nodeStatus: props.nodeStatus } : {}) },
    props.power,
  );
  if (buttons.length === 0) return null;
  const click = (action: GuestAction) => {
    if (confirmText(action, props.name)) {
      useUi.getState().askGuest({ id: props.id, action });
      return;
    }
    client.proxmox.guestAction({ guest: props.id, action }).catch((e: unknown) =>
      useRackdeck.getState().pushNotice({
        id: `guest-${props.id}-${Date.now()}`,
        at: Date.now(),
        level: 'error',
        title: `Could not ${ACTION_LABEL[action].toLowerCase()} ${props.name}`,
        body: e instanceof Error ? e.message : String(e),
        serverId: props.id,
      }),
    );
  };
  return (
    <div className="pw-row pw-card-row px-card-row" role="group" aria-label={`Actions for ${props.name}`} data-testid="guest-actions">
      {buttons.map((b) =>
        b.primary ? (
          <button
            key={b.action}
            type="button"
            className={`btn btn-sm pw-primary ${iconClass(GUEST_ICONS[b.action])}`}
            data-action={b.action}
            data-testid={`guest-action-${b.action}`}
            title={wakesNode ? `Wakes node ${props.node} first` : undefined}
            onClick={() => click(b.action)}
          >
            {b.label}
          </button>
        ) : (
          <button
            key={b.action}
            type="button"
            className={`icon-btn pw-icon ${iconClass(GUEST_ICONS[b.action])} ${isDangerous(b.action) ? 'pw-danger' : ''}`}
            data-testid={`guest-action-${b.action}`}
            aria-label={b.label}
            title={confirmText(b.action, props.name) ? `${b.label}…` : b.label}
            onClick={() => click(b.action)}
          />
        ),
      )}
    </div>
  );
});
