import type { RackdeckClient } from '../shared/contract';
import { startHealthSync } from './components/health/health-store';
import { startWakeProxySync } from './components/wake-proxy/wake-proxy-store';
import { useRackdeck } from './store';
import { useUi } from './ui-store';

/**
 * Wires the client to the store: events first (so nothing is missed), then a snapshot, and a new
 * snapshot every time the link comes back.
 */
export function startSync(client: RackdeckClient): () => void {
  const store = useRackdeck.getState();
  const loadSnapshot = () =>
    client.servers.snapshot({}).then(store.applySnapshot, () => {
      // The connection event explains the failure; the next 'open' retries.
    });
  const offs = [
    // Only the changed fields of each server: a fifth of the bytes of whole views to receive and
    // parse. Applied in a task of its own (timers keep their order), so the socket's task is the
    // parse alone and the store's listeners run apart from it.
    client.on('servers.changes', (p) => setTimeout(() => useRackdeck.getState().applyPatch(p), 0)),
    client.on('notice', (n) => useRackdeck.getState().pushNotice(n)),
    client.on('connection', (c) => {
      useRackdeck.getState().setConnection(c);
      if (c.state === 'open') void loadSnapshot();
    }),
    // A notification or tray entry was clicked in the desktop face: open that server.
    client.on('ui.select', ({ serverId }) => {
      const ui = useUi.getState();
      ui.openPanel(null);
      ui.select(serverId);
      ui.flash(serverId);
    }),
    startHealthSync(client),
    startWakeProxySync(client),
  ];
  if (window.rackdeck) {
    // The desktop preload is connected from the first moment.
    store.setConnection({ state: 'open' });
    void loadSnapshot();
  }
  return () => offs.forEach((off) => off());
}
