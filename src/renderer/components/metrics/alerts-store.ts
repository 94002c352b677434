import { create } from 'zustand';
import type { RackdeckClient } from '../../../shared/contract';
import type { AlertView } from '../../../shared/contract/monitoring';

/** The alerts as main reports them: loaded once, then kept current from `alerts.changed`. */
interface AlertsState {
  alerts: Record<string, AlertView>;
  load(list: AlertView[]): void;
  upsert(alert: AlertView): void;
}

export const useAlerts = create<AlertsState>()((set) => ({
  alerts: {},
  load: (list) => set({ alerts: Object.fromEntries(list.map((a) => [a.id, a])) }),
  upsert: (alert) => set((s) => ({ alerts: { ...s.alerts, [alert.id]: alert } })),
}));

/** Active and not acknowledged: what the top bar counts. */
export const needsAttention = (a: AlertView) => a.state === 'active' && a.acknowledgedAt === undefined;

let wired: RackdeckClient | undefined;

export function ensureAlerts(client: RackdeckClient): void {
  if (wired === client) return;
  wired = client;
  const reload = () =>
    client.alerts.list({ state: 'all', limit: 300 }).then(
      (list) => useAlerts.getState().load(list),
      () => undefined,
    );
  client.on('alerts.changed', (a) => useAlerts.getState().upsert(a));
  client.on('connection', (c) => {
    if (c.state === 'open') void reload();
  });
  void reload();
}
