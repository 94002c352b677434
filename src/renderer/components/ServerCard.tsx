import { memo, useEffect, useRef } from 'react';
import { POWER_LABELS } from '../../shared/power';
import { useServerView } from '../hooks/useServerView';
import { KIND_LABELS } from '../lib/kinds';
import { POWER_TONES } from '../lib/power-tone';
import { useUi } from '../ui-store';
import { CardActions } from './CardActions';
import { CardHealthBadge } from './health/CardHealthBadge';
import { KindIcon } from './Icon';
import { PortChips } from './PortChips';
import { AddressChips, GuestChips } from './proxmox/GuestChips';
import { guestStateLabel } from './proxmox/guest-labels';
import { SinceText } from './SinceText';
import { StateBadge } from './StateBadge';
import { MaintenanceChip } from './alerts/MaintenanceChip';
import { CardMetrics } from './metrics/CardMetrics';
import { CardProxyCount } from './wake-proxy/CardProxyCount';

/**
 * One server. Keyed and memoised by id, it reads its own view from the store, so a patch that
 * changes one server re-renders one card (a slice of cards per frame: see useServerView). The name is the button that opens the detail drawer;
 * its hit area stretches over the card (the CSS `::after`), leaving room for real buttons above.
 */
export const ServerCard = memo(function ServerCard({ id, role }: { id: string; role?: 'host' | 'guest' }) {
  const s = useServerView(id);
  const selected = useUi((u) => u.selectedId === id);
  const flashing = useUi((u) => u.flashId === id);
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    if (flashing) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [flashing]);

  if (!s) return null;
  const px = s.proxmox;
  const guest = px?.vmid !== undefined;
  return (
    <article
      ref={ref}
      className="card"
      data-testid="server-card"
      data-server-id={s.id}
      data-power={s.power}
      data-tone={POWER_TONES[s.power]}
      data-role={role}
      data-selected={selected || undefined}
      data-flash={flashing || undefined}
      data-template={(guest && px.template) || undefined}
    >
      <header className="card-head">
        <span className="card-kind" title={KIND_LABELS[s.kind]}>
          <KindIcon kind={s.kind} />
        </span>
        <div className="card-title">
          <h3 className="card-name">
            <button type="button" className="card-open" aria-expanded={selected} onClick={() => useUi.getState().select(selected ? null : s.id)}>
              {s.name}
            </button>
          </h3>
          <p className="card-sub">
            {guest ? (
              <span className="card-kind-label">
                {s.kind === 'lxc' ? 'CT' : 'VM'} <span className="mono">{px.vmid}</span>
                <span className="sep" aria-hidden="true">·</span>
                {px.node}
              </span>
            ) : (
              <>
                <span className="mono card-address">{s.address}</span>
                <span className="sep" aria-hidden="true">·</span>
                <span className="card-kind-label">{KIND_LABELS[s.kind]}</span>
              </>
            )}
          </p>
        </div>
        <StateBadge power={s.power} label={guestStateLabel(px, s.power)} />
      </header>
      {guest && <GuestChips px={px} />}
      <CardMetrics id={s.id} power={s.power} />
      <MaintenanceChip until={s.maintenanceUntil} />
      <div className="card-meta">
        {/* Proxmox reports on its guests and on the nodes of a reachable cluster: they are not port-probed. */}
        {guest ? <AddressChips serverId={s.id} addresses={px.addresses} ask={!px.template && px.nodeStatus === 'online'} /> : px ? <span className="px-node-chip">Proxmox {px.nodeStatus ?? 'node'}</span> : <PortChips ports={s.ports} openPorts={s.openPorts} />}
        <CardHealthBadge serverId={s.id} />
        <CardProxyCount serverId={s.id} />
        {/* A command's progress below says how long it has been going. */}
        {!s.transition && <SinceText power={s.power} since={s.since} {...(s.lastSeen !== undefined ? { lastSeen: s.lastSeen } : {})} />}
      </div>
      {s.detail && !(guest && px.template) && s.detail.toLowerCase() !== POWER_LABELS[s.power].toLowerCase() && (
        <p className="card-detail" title={s.detail}>
          {s.detail}
        </p>
      )}
      <CardActions server={s} />
    </article>
  );
});
