import { isTransitional, POWER_LABELS, type PowerState } from '../../../shared/power';
import type { ServerView } from '../../../shared/server';

export type PowerAction = 'wake' | 'suspend';

/** What a click asks for; the Electron side turns these into calls (menu-template.ts). */
export type MenuCommand =
  | { type: 'power'; serverId: string; action: PowerAction }
  | { type: 'select'; serverId: string }
  | { type: 'open' }
  | { type: 'quit' };

/** A serialisable description of the tray menu: plain data, so tests can read it whole. */
export type MenuEntry =
  | { kind: 'separator' }
  | { kind: 'item'; label: string; enabled: boolean; command?: MenuCommand }
  | { kind: 'submenu'; label: string; items: MenuEntry[] };

export interface TrayMenuOptions {
  /** Servers shown per level before "… N more"; a tray menu taller than the screen is useless. */
  maxItems?: number;
}

export interface ServerCounts {
  total: number;
  on: number;
  /** Settled and not on: off, suspended, stopped, paused, unknown, init_failed. */
  down: number;
  /** In a transitional state: waking, suspending, stopping, rebooting. */
  changing: number;
}

/** States from which "Wake" makes sense: the machine (or guest) is not running. */
const WAKEABLE: ReadonlySet<PowerState> = new Set(['off', 'suspended', 'stopped', 'paused', 'unknown']);

export function countServers(servers: readonly ServerView[]): ServerCounts {
  const counts: ServerCounts = { total: servers.length, on: 0, down: 0, changing: 0 };
  for (const s of servers) {
    if (s.power === 'on') counts.on++;
    else if (isTransitional(s.power)) counts.changing++;
    else counts.down++;
  }
  return counts;
}

/** "5 servers: 3 on, 1 down, 1 changing": the menu header and the tray tooltip. */
export function summaryLine(counts: ServerCounts): string {
  if (counts.total === 0) return 'No servers yet';
  const parts = [
    counts.on ? `${counts.on} on` : '',
    counts.down ? `${counts.down} down` : '',
    counts.changing ? `${counts.changing} changing` : '',
  ].filter(Boolean);
  return `${counts.total} server${counts.total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

const isGuest = (s: ServerView) => s.kind === 'vm' || s.kind === 'lxc';
/** Wake needs a way to wake: a MAC for Wake-on-LAN, or a hypervisor for a guest. */
export const canWake = (s: ServerView) => Boolean(s.mac) || isGuest(s);
/** Suspend goes over SSH. */
export const canSuspend = (s: ServerView) => s.ssh !== undefined;

/**
 * The tray menu as a function of the server list: a header with counts, one entry per server
 * ("name — state") with Wake / Suspend enabled by its state, children nested under their
 * parent, long lists capped, then "Open Rackdeck" and "Quit".
 */
export function trayMenu(servers: readonly ServerView[], options: TrayMenuOptions = {}): MenuEntry[] {
  const max = Math.max(1, options.maxItems ?? 15);
  const ids = new Set(servers.map((s) => s.id));
  const children = new Map<string, ServerView[]>();
  const roots: ServerView[] = [];
  for (const s of servers) {
    if (s.parentId !== undefined && s.parentId !== s.id && ids.has(s.parentId)) {
      const list = children.get(s.parentId) ?? [];
      list.push(s);
      children.set(s.parentId, list);
    } else {
      roots.push(s);
    }
  }

  // The inventory refuses cycles, but a menu must never recurse forever on a bad list.
  const placed = new Set<string>();
  const entriesFor = (level: readonly ServerView[]): MenuEntry[] => {
    const fresh = level.filter((s) => !placed.has(s.id));
    const shown = fresh.slice(0, max);
    const out = shown.map((s) => {
      placed.add(s.id);
      return serverEntry(s, entriesFor(children.get(s.id) ?? []));
    });
    const hidden = fresh.length - shown.length;
    if (hidden > 0) out.push({ kind: 'item', label: `… ${hidden} more`, enabled: true, command: { type: 'open' } });
    return out;
  };

  return [
    { kind: 'item', label: summaryLine(countServers(servers)), enabled: false },
    ...(servers.length ? [{ kind: 'separator' } as const, ...entriesFor(roots)] : []),
    { kind: 'separator' },
    { kind: 'item', label: 'Open Rackdeck', enabled: true, command: { type: 'open' } },
    { kind: 'item', label: 'Quit', enabled: true, command: { type: 'quit' } },
  ];
}

function serverEntry(s: ServerView, childEntries: MenuEntry[]): MenuEntry {
  const label = `${s.name} — ${POWER_LABELS[s.power]}`;
  const actions: MenuEntry[] = [];
  if (canWake(s)) actions.push({ kind: 'item', label: 'Wake', enabled: WAKEABLE.has(s.power), command: { type: 'power', serverId: s.id, action: 'wake' } });
  if (canSuspend(s)) actions.push({ kind: 'item', label: 'Suspend', enabled: s.power === 'on', command: { type: 'power', serverId: s.id, action: 'suspend' } });
  if (!actions.length && !childEntries.length) return { kind: 'item', label, enabled: true, command: { type: 'select', serverId: s.id } };
  return {
    kind: 'submenu',
    label,
    items: [
      ...actions,
      { kind: 'item', label: 'Show in Rackdeck', enabled: true, command: { type: 'select', serverId: s.id } },
      ...(childEntries.length ? [{ kind: 'separator' } as const, ...childEntries] : []),
    ],
  };
}
