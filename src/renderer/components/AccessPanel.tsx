import { Icon } from './Icon';

/** Shown instead of the grid when the engine refused the token: no data is on screen. */
export function AccessPanel() {
  return (
    <section className="empty" data-testid="access-panel" aria-labelledby="access-title">
      <span className="empty-icon">
        <Icon name="lock" size={36} />
      </span>
      <h2 id="access-title">This page needs its access link</h2>
      <p>
        Rackdeck only shows your servers to a browser that holds its access token. Open the full address that{' '}
        <code>rackdeck serve</code> printed: it ends in <code>#token=…</code>.
      </p>
    </section>
  );
}
