import { useUi } from '../ui-store';
import { Icon } from './Icon';

/** First run: what Rackdeck does, the one button that matters, and how to try it without a lab. */
export function EmptyState() {
  return (
    <section className="empty" data-testid="empty-state" aria-labelledby="empty-title">
      <svg className="empty-art" viewBox="0 0 120 96" aria-hidden="true" focusable="false">
        <rect x="22" y="6" width="76" height="84" rx="8" className="ea-frame" />
        <rect x="32" y="18" width="56" height="14" rx="3" className="ea-unit" />
        <rect x="32" y="40" width="56" height="14" rx="3" className="ea-unit ea-lit" />
        <rect x="32" y="62" width="56" height="14" rx="3" className="ea-unit" />
        <circle cx="80" cy="25" r="2.5" className="ea-led" />
        <circle cx="80" cy="47" r="2.5" className="ea-led ea-on" />
        <circle cx="80" cy="69" r="2.5" className="ea-led" />
      </svg>
      <h2 id="empty-title">Your control room is empty</h2>
      <p>
        Add a server and Rackdeck watches it: whether it is up, which ports answer, when it was last seen. Proxmox nodes,
        VMs and containers sit under their host.
      </p>
      <div className="empty-actions">
        <button type="button" className="btn btn-primary btn-lg" data-testid="add-first-server" onClick={() => useUi.getState().openAdd()}>
          <Icon name="plus" /> Add your first server
        </button>
        <button type="button" className="btn btn-lg" data-testid="add-first-cluster" onClick={() => useUi.getState().openPanel('proxmox')}>
          <Icon name="proxmox-node" /> Connect Proxmox
        </button>
      </div>
      <p className="empty-hint">
        Just looking around? <code>rackdeck demo</code> opens a simulated homelab.
      </p>
    </section>
  );
}
