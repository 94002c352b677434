import { create } from 'zustand';
import type { ConnectionStatus, Notice, ServersChanges, ServersPatch, ServersSnapshot } from '../shared/events';
import type { ServerView } from '../shared/server';
import { applyToIndex, indexServers } from './lib/server-index';
import type { Summary } from './lib/summary';

export interface RackdeckState {
  /** False until the first snapshot arrives: the loading state. */
  loaded: boolean;
  seq: number;
  servers: Record<string, ServerView>;
  /** Servers per state bucket, kept as patches arrive (lib/server-index.ts). */
  counts: Summary;
  /** Changes only when servers come or go or are renamed, moved, regrouped or retagged (lib/server-index.ts). */
  shape: number;
  connection: ConnectionStatus;
  notices: Notice[];
  applySnapshot(snapshot: ServersSnapshot): void;
  /** A patch of whole views or of changed fields (`servers.changes`, what the renderer listens to). */
  applyPatch(patch: ServersPatch | ServersChanges): void;
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
  counts: { on: 0, busy: 0, asleep: 0, down: 0, failed: 0, unknown: 0 },
  shape: 0,
  connection: { state: 'connecting' },
  notices: [],
  applySnapshot: (snapshot) => set((state) => ({ loaded: true, seq: snapshot.seq, ...indexServers(snapshot.servers, state.shape) })),
  applyPatch: (patch) =>
    set((state) => {
      if (!state.loaded || patch.seq <= state.seq) return state;
      const next = applyToIndex(state, patch);
      return next ? { seq: patch.seq, ...next } : { seq: patch.seq };
    }),
  setConnection: (connection) => set({ connection }),
  pushNotice: (notice) => set((state) => ({ notices: [notice, ...state.notices].slice(0, 50) })),
  dismissNotice: (id) => set((state) => ({ notices: state.notices.filter((n) => n.id !== id) })),
}));
