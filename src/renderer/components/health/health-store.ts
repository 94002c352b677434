import { create } from 'zustand';
import type { RackdeckClient } from '../../../shared/contract';
import type { HealthView } from '../../../shared/contract/agents';
import { own } from '../../../shared/own';

interface HealthState {
  byServer: Record<string, HealthView>;
  put(view: HealthView): void;
  putAll(views: readonly HealthView[]): void;
}

/**
 * Every server's agent health for the cards: one read of `agents.healthAll`, then the
 * `health.changed` events. A projection of main's verdicts, like the server store.
 */
export const useHealthStore = create<HealthState>()((set) => ({
  byServer: {},
  put: (view) => set((s) => ({ byServer: { ...s.byServer, [view.serverId]: view } })),
  putAll: (views) => set({ byServer: Object.fromEntries(views.map((v) => [v.serverId, v])) }),
}));

/**
 * Starts keeping the health store current; call once where the renderer syncs (returns the
 * stop). Everything is read again whenever the link comes back, since events were missed.
 */
export function startHealthSync(client: RackdeckClient): () => void {
  const load = () =>
    void client.agents.healthAll({}).then(
      (views) => useHealthStore.getState().putAll(views),
      () => undefined,
    );
  const offs = [
    client.on('health.changed', (view) => useHealthStore.getState().put(view)),
    client.on('connection', (c) => {
      if (c.state === 'open') load();
    }),
  ];
  load();
  return () => offs.forEach((off) => off());
}

export function useServerHealth(serverId: string): HealthView | undefined {
  return useHealthStore((s) => own(s.byServer, serverId));
}
