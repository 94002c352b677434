import { memo, useEffect, useRef } from 'react';
import { useServerView } from '../hooks/useServerView';
import { KIND_LABELS } from '../lib/kinds';
import { POWER_TONES } from '../lib/power-tone';
import { useUi } from '../ui-store';
import { CardActions } from './CardActions';
import { KindIcon } from './Icon';
import { PortChips } from './PortChips';
import { SinceText } from './SinceText';
import { StateBadge } from './StateBadge';

/**
 * One server. Keyed and memoised by id, it reads its own view from the store, so a patch that
 * changes one server re-renders one card (as a transition: see useServerView). The name is the button that opens the detail drawer;
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
            <span className="mono card-address">{s.address}</span>
            <span className="sep" aria-hidden="true">·</span>
            <span className="card-kind-label">{KIND_LABELS[s.kind]}</span>
          </p>
        </div>
        <StateBadge power={s.power} />
      </header>
      <div className="card-meta">
        <PortChips ports={s.ports} openPorts={s.openPorts} />
        <SinceText power={s.power} since={s.since} {...(s.lastSeen !== undefined ? { lastSeen: s.lastSeen } : {})} />
      </div>
      {s.detail && (
        <p className="card-detail" title={s.detail}>
          {s.detail}
        </p>
      )}
      <CardActions server={s} />
    </article>
  );
});
