import { create } from 'zustand';
import type { ExecSpec, SessionKind } from '../../../shared/contract/consoles';
import type { ConsoleStatus } from './TerminalView';

export interface ConsoleTab {
  key: string;
  serverId: string;
  /** The tab's label: the server's name. */
  serverName: string;
  kind: SessionKind;
  /** For `exec`: what to run as soon as the tab opens. */
  spec?: ExecSpec;
  status: ConsoleStatus;
}

export interface ConsoleTabsState {
  tabs: ConsoleTab[];
  activeKey: string | null;
  /** Opens a new tab (several terminals on one server are fine) and shows it. */
  open(tab: { serverId: string; serverName: string; kind: SessionKind; spec?: ExecSpec }): string;
  close(key: string): void;
  activate(key: string): void;
  setStatus(key: string, status: ConsoleStatus): void;
  closeServer(serverId: string): void;
}

let seq = 0;

/**
 * The open console tabs of this window. A tab's view owns its session: removing the tab
 * unmounts the view, and that closes the session in main.
 */
export const useConsoleTabs = create<ConsoleTabsState>()((set, get) => ({
  tabs: [],
  activeKey: null,
  open(tab) {
    const key = `console-${++seq}`;
    set((s) => ({ tabs: [...s.tabs, { ...tab, key, status: 'opening' }], activeKey: key }));
    return key;
  },
  close(key) {
    const { tabs, activeKey } = get();
    const at = tabs.findIndex((t) => t.key === key);
    if (at < 0) return;
    const rest = tabs.filter((t) => t.key !== key);
    const next = activeKey === key ? (rest[at] ?? rest[at - 1] ?? null) : rest.find((t) => t.key === activeKey) ?? null;
    set({ tabs: rest, activeKey: next?.key ?? null });
  },
  activate(key) {
    if (get().tabs.some((t) => t.key === key)) set({ activeKey: key });
  },
  setStatus(key, status) {
    set((s) => ({ tabs: s.tabs.map((t) => (t.key === key && t.status !== status ? { ...t, status } : t)) }));
  },
  closeServer(serverId) {
    for (const t of get().tabs.filter((x) => x.serverId === serverId)) get().close(t.key);
  },
}));

/** Opens a console tab from anywhere (a card's button, the detail drawer, a menu). */
export const openConsoleTab = (tab: { serverId: string; serverName: string; kind: SessionKind; spec?: ExecSpec }): string => useConsoleTabs.getState().open(tab);
