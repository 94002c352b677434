import { memo, useEffect } from 'react';
import type { ProxmoxServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { useTimeText } from '../../hooks/useNow';
import { Icon } from '../Icon';
import { requestAddresses } from './address-queue';
import { backupChip, memoryPressure, PRESSURE_SHOWN_AT, pressureText } from './guest-labels';
import './proxmox.css';

/** A stable hue per tag, the way Proxmox gives each tag its own colour. */
export function tagHue(tag: string): number {
  let h = 0;
  for (let i = 0; i < tag.length; i++) h = (h * 31 + tag.charCodeAt(i)) >>> 0;
  return h % 360;
}

/** What marks a guest apart on its card: template, HA state, a lock, a backup too old, memory pressure, its tags. */
export const GuestChips = memo(function GuestChips({ px }: { px: ProxmoxServerView }) {
  const tags = px.tags ?? [];
  const backupText = useTimeText((now) => backupChip(px.backup, now)?.text ?? '');
  const backup = backupText ? backupChip(px.backup, Date.now()) : undefined;
  const pressure = memoryPressure(px.pressure);
  const starved = pressure !== undefined && pressure >= PRESSURE_SHOWN_AT;
  if (!px.template && !px.hastate && !px.lock && tags.length === 0 && !backup && !starved) return null;
  return (
    <ul className="px-chips" aria-label="Proxmox">
      {backup && (
        <li className="px-chip px-chip-warn" data-testid="chip-backup" title={backup.title}>
          <Icon name="disk" size={12} /> {backupText}
        </li>
      )}
      {starved && (
        <li className="px-chip px-chip-warn" data-testid="chip-pressure" title="Memory pressure (Proxmox VE 9): the share of the last 10 s its tasks stalled waiting for memory. A better sign of a starved guest than the memory it uses.">
          <Icon name="alert" size={12} /> Memory pressure {pressureText(pressure)}
        </li>
      )}
      {px.template && (
        <li className="px-chip px-chip-template" data-testid="chip-template">
          <Icon name="template" size={12} /> Template
        </li>
      )}
      {px.hastate && (
        <li
          className="px-chip px-chip-ha"
          data-ha={px.hastate}
          data-testid="chip-ha"
          title={px.haManaged ? `HA-managed (${px.hastate}): start and stop are asked of the HA manager` : `An HA resource the HA manager ignores (${px.hastate}): driven directly`}
        >
          <Icon name="shield" size={12} /> HA {px.hastate}
        </li>
      )}
      {px.lock && (
        <li className="px-chip px-chip-lock" data-testid="chip-lock" title={`Proxmox holds a ${px.lock} lock`}>
          <Icon name="lock" size={12} /> {px.lock}
        </li>
      )}
      {tags.map((t) => (
        <li key={t} className="px-tag" style={{ ['--tag-h' as string]: tagHue(t) }} data-testid="chip-tag">
          {t}
        </li>
      ))}
    </ul>
  );
});

/** Where a guest answers, instead of port chips: Rackdeck asks Proxmox about guests, it does not probe them. */
export const AddressChips = memo(function AddressChips({ serverId, addresses, ask }: { serverId: string; addresses: readonly string[] | undefined; ask: boolean }) {
  const client = useClient();
  const unknown = !addresses || addresses.length === 0;
  useEffect(() => {
    if (unknown && ask) requestAddresses(client, serverId);
  }, [client, serverId, unknown, ask]);
  if (!addresses || addresses.length === 0) {
    return (
      <span className="px-noip muted" data-testid="guest-no-address" title="Proxmox knows no address for it yet (no guest agent answer, no static IP in its config). Rackdeck never lends it its node's.">
        No address known
      </span>
    );
  }
  const shown = addresses.slice(0, 2);
  return (
    <ul className="ports px-ips" aria-label="Addresses" data-testid="guest-ips">
      {shown.map((a) => (
        <li key={a} className="port px-ip" title={`${a} (from Proxmox)`}>
          {a}
        </li>
      ))}
      {addresses.length > shown.length && (
        <li className="port port-more" title={addresses.slice(shown.length).join(', ')}>
          +{addresses.length - shown.length}
        </li>
      )}
    </ul>
  );
});
