import { memo } from 'react';
import type { ServerView } from '../../shared/server';
import { CardPowerRow, encodeCaps } from './power/CardPowerRow';
import { HostKeyChanged } from './power/HostKeyChanged';
import { PowerActions } from './power/PowerActions';
import { WolOffBadge } from './power/WolOffNote';
import { wolOffInterface } from '../../shared/wol-readiness';
import { CardGuestRow } from './proxmox/CardGuestRow';
import { GuestActions } from './proxmox/GuestActions';

/**
 * A card's own buttons: a Proxmox guest's actions, or a machine's power actions, and a changed
 * SSH host key when there is one. These sit above the card's click target, so they do not open
 * the drawer; the row collapses when there is nothing to offer.
 */
export const CardActions = memo(function CardActions({ server }: { server: ServerView }) {
  const px = server.proxmox;
  // The quiet, common case draws a lean row; a running command, a task or a failure the full view.
  let body;
  let wolOff: string | undefined;
  if (px?.vmid !== undefined) {
    const task = px.task;
    const quiet = !task || (task.status === 'stopped' && task.outcome === 'ok');
    body = quiet ? (
      <CardGuestRow
        id={server.id}
        name={server.name}
        power={server.power}
        actions={(px.actions ?? []).join(',')}
        template={px.template === true}
        lock={px.lock}
        node={px.node}
        nodeStatus={px.nodeStatus}
      />
    ) : (
      <GuestActions server={server} compact />
    );
  } else {
    wolOff = wolOffInterface(server)?.name;
    const quiet = !server.transition && !(server.lastError && server.lastError.action !== 'init');
    body = quiet ? <CardPowerRow id={server.id} name={server.name} power={server.power} caps={encodeCaps(server.capabilities)} wolOff={wolOff ?? ''} /> : <PowerActions server={server} compact />;
  }
  return (
    <div className="card-actions">
      {server.hostKey && <HostKeyChanged server={server} compact />}
      {wolOff && <WolOffBadge iface={wolOff} />}
      {body}
    </div>
  );
});
