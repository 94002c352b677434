import { memo } from 'react';
import type { ServerView } from '../../shared/server';
import { HostKeyChanged } from './power/HostKeyChanged';
import { PowerActions } from './power/PowerActions';
import { GuestActions } from './proxmox/GuestActions';

/**
 * A card's own buttons: a Proxmox guest's actions, or a machine's power actions, and a changed
 * SSH host key when there is one. These sit above the card's click target, so they do not open
 * the drawer; the row collapses when there is nothing to offer.
 */
export const CardActions = memo(function CardActions({ server }: { server: ServerView }) {
  const guest = server.proxmox?.vmid !== undefined;
  return (
    <div className="card-actions">
      {server.hostKey && <HostKeyChanged server={server} compact />}
      {guest ? <GuestActions server={server} compact /> : <PowerActions server={server} compact />}
    </div>
  );
});
