import { create } from 'zustand';
import type { ConnectionStatus, Notice, ServersPatch, ServersSnapshot } from '../shared/events';
import type { ServerView } from '../shared/server';
import { sameView } from './lib/same-view';

export interface RackdeckState {
  /** False until the first snapshot arrives: the loading state. */
  loaded: boolean;
  seq: number;
  servers: Record<string, ServerView>;
  connection: ConnectionStatus;
  notices: Notice[];
  applySnapshot(snapshot: ServersSnapshot): void;
  applyPatch(patch: ServersPatch): void;
  setConnection(status: ConnectionStatus): void;
  pushNotice(notice: Notice): void;
  dismissNotice(id: string): void;
}

/**
 * The renderer's projection of main's state: it applies what main sends
 * and decides nothing about a server. Patches numbered at or below the snapshot's are already
 * in it and are dropped.
 */
export const useRackdeck = create<RackdeckState>()((set) => ({
  loaded: false,
  seq: 0,
  servers: {},
  connection: { state: 'connecting' },
  notices: [],
  applySnapshot: (snapshot) =>
    set({ loaded: true, seq: snapshot.seq, servers: Object.fromEntries(snapshot.servers.map((s) => [s.id, s])) }),
  applyPatch: (patch) =>
    set((state) => {
      if (!state.loaded || patch.seq <= state.seq) return state;
      const servers = { ...state.servers };
      let changed = false;
      for (const id of patch.remove) {
        if (!(id in servers)) continue;
        delete servers[id];
        changed = true;
      }
      for (const s of patch.upsert) {
        const old = servers[s.id];
        // An unchanged server keeps its object, so its card (and every selector on it) stays as is.
        if (old && sameView(old, s)) continue;
        servers[s.id] = s;
        changed = true;
      }
      return changed ? { seq: patch.seq, servers } : { seq: patch.seq };
    }),
  setConnection: (connection) => set({ connection }),
  pushNotice: (notice) => set((state) => ({ notices: [notice, ...state.notices].slice(0, 50) })),
  dismissNotice: (id) => set((state) => ({ notices: state.notices.filter((n) => n.id !== id) })),
}));
