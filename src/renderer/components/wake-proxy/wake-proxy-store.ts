import { create } from 'zustand';
import type { RackdeckClient } from '../../../shared/contract';
import type { WakeProxyCounts } from '../../../shared/contract/wake-proxy';
import { own } from '../../../shared/own';

type Counts = WakeProxyCounts['servers'][string];

interface WakeProxyState {
  byServer: WakeProxyCounts['servers'];
  /** Bumped on every count event, so an open editor reloads its listeners' figures. */
  version: number;
  put(counts: WakeProxyCounts): void;
}

/** Wake on demand's live counts per server (issue 17): one read of `wakeProxy.counts`, then its events. */
export const useWakeProxyStore = create<WakeProxyState>()((set) => ({
  byServer: {},
  version: 0,
  put: (counts) => set((s) => ({ byServer: counts.servers, version: s.version + 1 })),
}));

/** Starts keeping the counts current (returns the stop); read again whenever the link comes back. */
export function startWakeProxySync(client: RackdeckClient): () => void {
  const load = () =>
    void client.wakeProxy.counts({}).then(
      (counts) => useWakeProxyStore.getState().put(counts),
      () => undefined,
    );
  const offs = [
    client.on('wakeProxy.counts', (counts) => useWakeProxyStore.getState().put(counts)),
    client.on('connection', (c) => {
      if (c.state === 'open') load();
    }),
  ];
  load();
  return () => offs.forEach((off) => off());
}

export function useWakeProxyCounts(serverId: string): Counts | undefined {
  return useWakeProxyStore((s) => own(s.byServer, serverId));
}
