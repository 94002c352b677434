import { create } from 'zustand';
import type { GuestAction } from '../shared/contract/proxmox';
import type { PowerAction } from '../shared/server';
import type { SummaryBucket } from './lib/summary';

export type FormTarget = { mode: 'add' } | { mode: 'edit'; id: string } | null;
/** The full-screen panels the top bar opens. */
export type PanelName = 'proxmox';
/** A power action a card asked to confirm (one dialog for all cards, see PowerConfirm). */
export interface PowerAsk {
  id: string;
  action: PowerAction;
  /** Main's own reason to ask (running children), when it was main that asked. */
  reason?: string;
}

/**
 * What the admin is looking at: the open drawer, dialog and filter. Kept apart from `store.ts`,
 * which holds only main's truth, so a UI click can never be mistaken for server state.
 */
export interface UiState {
  selectedId: string | null;
  form: FormTarget;
  removingId: string | null;
  /** A card to draw attention to for a moment (just added). */
  flashId: string | null;
  query: string;
  bucket: SummaryBucket | null;
  panel: PanelName | null;
  powerAsk: PowerAsk | null;
  /** A guest action a card asked to confirm (GuestConfirm). */
  guestAsk: { id: string; action: GuestAction } | null;
  select(id: string | null): void;
  askGuest(ask: { id: string; action: GuestAction } | null): void;
  askPower(ask: PowerAsk | null): void;
  openPanel(panel: PanelName | null): void;
  openAdd(): void;
  openEdit(id: string): void;
  closeForm(): void;
  askRemove(id: string): void;
  closeRemove(): void;
  flash(id: string): void;
  setQuery(query: string): void;
  toggleBucket(bucket: SummaryBucket): void;
  clearFilters(): void;
}

let flashTimer: ReturnType<typeof setTimeout> | undefined;

export const useUi = create<UiState>()((set) => ({
  selectedId: null,
  form: null,
  removingId: null,
  flashId: null,
  query: '',
  bucket: null,
  panel: null,
  powerAsk: null,
  guestAsk: null,
  select: (selectedId) => set({ selectedId }),
  askGuest: (guestAsk) => set({ guestAsk }),
  askPower: (powerAsk) => set({ powerAsk }),
  openPanel: (panel) => set({ panel }),
  openAdd: () => set({ form: { mode: 'add' } }),
  openEdit: (id) => set({ form: { mode: 'edit', id } }),
  closeForm: () => set({ form: null }),
  askRemove: (removingId) => set({ removingId }),
  closeRemove: () => set({ removingId: null }),
  flash: (flashId) => {
    clearTimeout(flashTimer);
    set({ flashId });
    flashTimer = setTimeout(() => set({ flashId: null }), 2400);
  },
  setQuery: (query) => set({ query }),
  toggleBucket: (bucket) => set((s) => ({ bucket: s.bucket === bucket ? null : bucket })),
  clearFilters: () => set({ query: '', bucket: null }),
}));
