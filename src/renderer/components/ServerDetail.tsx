import { useCallback } from 'react';
import { useEscape } from '../hooks/useEscape';
import { useServer } from '../hooks/useServer';
import { KIND_LABELS } from '../lib/kinds';
import { POWER_TONES } from '../lib/power-tone';
import { useRackdeck } from '../store';
import { useUi } from '../ui-store';
import { DETAIL_SECTIONS } from './detail/sections';
import { Icon, KindIcon } from './Icon';
import { StateBadge } from './StateBadge';

/**
 * The side drawer for the selected server. It is not modal: the grid stays live and clickable,
 * so the admin can move from card to card with the drawer open.
 */
export function ServerDetail() {
  const id = useUi((u) => u.selectedId);
  const s = useServer(id);
  const guestCount = useRackdeck((st) => (id ? Object.values(st.servers).filter((v) => v.parentId === id).length : 0));
  const close = useCallback(() => useUi.getState().select(null), []);
  useEscape(close, Boolean(s));
  if (!s) return null;
  return (
    <aside className="drawer" aria-labelledby="drawer-title" data-testid="server-detail" data-server-id={s.id} data-tone={POWER_TONES[s.power]}>
      <header className="drawer-head">
        <span className="card-kind lg">
          <KindIcon kind={s.kind} size={22} />
        </span>
        <div className="drawer-title">
          <h2 id="drawer-title">{s.name}</h2>
          <p className="card-sub">
            {s.proxmox?.vmid !== undefined ? (
              <span>
                {s.kind === 'lxc' ? 'Container ' : 'VM '}
                <span className="mono">{s.proxmox.vmid}</span>
                <span className="sep">·</span>
                {s.proxmox.node}
                {s.proxmox.addresses?.[0] && (
                  <>
                    <span className="sep">·</span>
                    <span className="mono">{s.proxmox.addresses[0]}</span>
                  </>
                )}
              </span>
            ) : (
              <>
                {KIND_LABELS[s.kind]} <span className="sep">·</span> <span className="mono">{s.address}</span>
              </>
            )}
          </p>
        </div>
        <StateBadge power={s.power} />
        <button type="button" className="icon-btn" aria-label="Close details" data-testid="close-detail" onClick={close}>
          <Icon name="close" />
        </button>
      </header>
      <div className="drawer-body">
        {DETAIL_SECTIONS.filter((sec) => !sec.when || sec.when(s, { guestCount })).map(({ id: key, title, Component }) => (
          <section key={key} className="drawer-section" aria-label={title} data-section={key}>
            <h3>{title}</h3>
            <Component server={s} />
          </section>
        ))}
      </div>
      <footer className="drawer-foot">
        <button type="button" className="btn" data-testid="edit-server" onClick={() => useUi.getState().openEdit(s.id)}>
          <Icon name="edit" size={16} /> Edit
        </button>
        <button type="button" className="btn btn-danger-ghost" data-testid="remove-server" onClick={() => useUi.getState().askRemove(s.id)}>
          <Icon name="trash" size={16} /> Remove
        </button>
      </footer>
    </aside>
  );
}
