import { describe, expect, it, vi } from 'vitest';
import { toMenuTemplate, type MenuHandlers } from '../../src/main/faces/electron/menu-template';
import { countServers, summaryLine, trayMenu, type MenuEntry } from '../../src/main/faces/electron/tray-menu';
import { overallState, TRAY_STATES, trayIconFile } from '../../src/main/faces/electron/tray-state';
import { POWER_LABELS } from '../../src/shared/power';
import { MAC, server, SSH } from './fixtures';

type Item = Extract<MenuEntry, { kind: 'item' }>;
type Sub = Extract<MenuEntry, { kind: 'submenu' }>;
const labels = (entries: readonly MenuEntry[]) => entries.map((e) => (e.kind === 'separator' ? '---' : e.label));
const sub = (entries: readonly MenuEntry[], label: string): Sub => {
  const found = entries.find((e): e is Sub => e.kind === 'submenu' && e.label === label);
  if (!found) throw new Error(`no submenu "${label}" in ${labels(entries).join(' | ')}`);
  return found;
};
const item = (entries: readonly MenuEntry[], label: string): Item => {
  const found = entries.find((e): e is Item => e.kind === 'item' && e.label === label);
  if (!found) throw new Error(`no item "${label}" in ${labels(entries).join(' | ')}`);
  return found;
};

describe('tray menu', () => {
  it('with no servers says so and still offers Open and Quit', () => {
    expect(labels(trayMenu([]))).toEqual(['No servers yet', '---', 'Open Rackdeck', 'Quit']);
    expect(item(trayMenu([]), 'No servers yet').enabled).toBe(false);
  });

  it('heads the menu with counts of on, down and changing servers', () => {
    const list = [server('a', 'on'), server('b', 'on'), server('c', 'off'), server('d', 'suspended'), server('e', 'waking')];
    expect(countServers(list)).toEqual({ total: 5, on: 2, down: 2, changing: 1 });
    expect(trayMenu(list)[0]).toEqual({ kind: 'item', label: '5 servers: 2 on, 2 down, 1 changing', enabled: false });
    expect(summaryLine(countServers([server('a', 'on')]))).toBe('1 server: 1 on');
  });

  it('labels each server "name — state" and ends with Open and Quit', () => {
    const menu = trayMenu([server('nas', 'on'), server('pve', 'rebooting')]);
    expect(labels(menu)).toEqual(['2 servers: 1 on, 1 changing', '---', 'nas — On', 'pve — Rebooting…', '---', 'Open Rackdeck', 'Quit']);
    expect(item(menu, 'Quit').command).toEqual({ type: 'quit' });
    expect(item(menu, 'Open Rackdeck').command).toEqual({ type: 'open' });
  });

  it('a server with no power control is a plain item that selects it', () => {
    const menu = trayMenu([server('web', 'off')]);
    expect(item(menu, 'web — Off')).toEqual({ kind: 'item', label: 'web — Off', enabled: true, command: { type: 'select', serverId: 'web' } });
  });

  it.each([
    ['off', true, false],
    ['suspended', true, false],
    ['unknown', true, false],
    ['on', false, true],
    ['waking', false, false],
    ['suspending', false, false],
    ['init_failed', false, false],
  ] as const)('a server that is %s: Wake enabled %s, Suspend enabled %s', (power, wake, suspend) => {
    const menu = trayMenu([server('box', power, { mac: MAC, ssh: SSH })]);
    const items = sub(menu, `box — ${POWER_LABELS[power]}`).items;
    expect(item(items, 'Wake')).toMatchObject({ enabled: wake, command: { type: 'power', serverId: 'box', action: 'wake' } });
    expect(item(items, 'Suspend')).toMatchObject({ enabled: suspend, command: { type: 'power', serverId: 'box', action: 'suspend' } });
  });

  it('offers Wake only with a MAC or to a guest, Suspend only with SSH', () => {
    const menu = trayMenu([
      server('mac-only', 'off', { mac: MAC }),
      server('ssh-only', 'on', { ssh: SSH }),
      server('vm1', 'stopped', { kind: 'vm' }),
    ]);
    expect(labels(sub(menu, 'mac-only — Off').items)).toEqual(['Wake', 'Show in Rackdeck']);
    expect(labels(sub(menu, 'ssh-only — On').items)).toEqual(['Suspend', 'Show in Rackdeck']);
    expect(item(sub(menu, 'vm1 — Stopped').items, 'Wake').enabled).toBe(true);
  });

  it('nests children under their parent, not at the top level', () => {
    const menu = trayMenu([
      server('vm1', 'on', { kind: 'vm', parentId: 'pve' }),
      server('pve', 'on', { kind: 'proxmox-node', ssh: SSH }),
      server('ct1', 'stopped', { kind: 'lxc', parentId: 'pve' }),
      server('nas', 'on'),
    ]);
    expect(labels(menu)).toEqual(['4 servers: 3 on, 1 down', '---', 'pve — On', 'nas — On', '---', 'Open Rackdeck', 'Quit']);
    const pve = sub(menu, 'pve — On');
    expect(labels(pve.items)).toEqual(['Suspend', 'Show in Rackdeck', '---', 'vm1 — On', 'ct1 — Stopped']);
    expect(item(sub(pve.items, 'ct1 — Stopped').items, 'Wake')).toMatchObject({ enabled: true, command: { serverId: 'ct1', action: 'wake' } });
  });

  it('a child whose parent is not in the list stands at the top level', () => {
    const menu = trayMenu([server('orphan', 'on', { parentId: 'gone' })]);
    expect(labels(menu)).toContain('orphan — On');
  });

  it('survives a parent cycle without recursing forever', () => {
    const menu = trayMenu([server('a', 'on', { parentId: 'b' }), server('b', 'on', { parentId: 'a' }), server('c', 'on')]);
    expect(labels(menu)).toEqual(['3 servers: 3 on', '---', 'c — On', '---', 'Open Rackdeck', 'Quit']);
  });

  it('caps a long list with "… N more" that opens the window', () => {
    const list = Array.from({ length: 30 }, (_, i) => server(`s${String(i).padStart(2, '0')}`, 'on'));
    const menu = trayMenu(list, { maxItems: 10 });
    const serverLabels = labels(menu).filter((l) => l.startsWith('s'));
    expect(serverLabels).toHaveLength(10);
    expect(serverLabels[0]).toBe('s00 — On');
    expect(item(menu, '… 20 more').command).toEqual({ type: 'open' });
    expect(menu[0]).toMatchObject({ label: '30 servers: 30 on' });
  });

  it('caps children of one parent too', () => {
    const guests = Array.from({ length: 8 }, (_, i) => server(`vm${i}`, 'on', { kind: 'vm', parentId: 'pve' }));
    const pve = sub(trayMenu([server('pve', 'on', { ssh: SSH }), ...guests], { maxItems: 5 }), 'pve — On');
    expect(labels(pve.items).filter((l) => l.startsWith('vm'))).toHaveLength(5);
    expect(labels(pve.items)).toContain('… 3 more');
  });

  it('is plain data: it survives a JSON round trip unchanged', () => {
    const menu = trayMenu([server('pve', 'on', { ssh: SSH }), server('vm', 'off', { kind: 'vm', parentId: 'pve' })]);
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
  });
});

describe('menu template', () => {
  const handlers = (): MenuHandlers & { [K in keyof MenuHandlers]: ReturnType<typeof vi.fn> } => ({
    onAction: vi.fn(),
    onSelect: vi.fn(),
    onOpen: vi.fn(),
    onQuit: vi.fn(),
  });

  it('binds Wake and Suspend to onAction(serverId, action), disabled items stay disabled', () => {
    const h = handlers();
    const template = toMenuTemplate(trayMenu([server('nas', 'off', { mac: MAC, ssh: SSH })]), h);
    const nas = template.find((t) => t.label === 'nas — Off');
    const items = nas?.submenu as { label?: string; enabled?: boolean; click?: () => void }[];
    const wake = items.find((i) => i.label === 'Wake');
    const suspend = items.find((i) => i.label === 'Suspend');
    expect(wake?.enabled).toBe(true);
    expect(suspend?.enabled).toBe(false);
    wake?.click?.();
    expect(h.onAction).toHaveBeenCalledWith('nas', 'wake');
    items.find((i) => i.label === 'Show in Rackdeck')?.click?.();
    expect(h.onSelect).toHaveBeenCalledWith('nas');
  });

  it('binds Open, Quit and separators', () => {
    const h = handlers();
    const template = toMenuTemplate(trayMenu([]), h);
    expect(template.map((t) => t.type ?? t.label)).toEqual(['No servers yet', 'separator', 'Open Rackdeck', 'Quit']);
    (template[2]?.click as () => void)();
    (template[3]?.click as () => void)();
    expect(h.onOpen).toHaveBeenCalledOnce();
    expect(h.onQuit).toHaveBeenCalledOnce();
    expect(template[0]?.click).toBeUndefined();
  });
});

describe('tray state', () => {
  it('is idle with nothing to watch, ok when all are on, down when one is not, busy while one changes', () => {
    expect(overallState([])).toBe('idle');
    expect(overallState([server('a', 'on'), server('b', 'on')])).toBe('ok');
    expect(overallState([server('a', 'on'), server('b', 'off')])).toBe('down');
    expect(overallState([server('a', 'on'), server('b', 'unknown')])).toBe('down');
    expect(overallState([server('a', 'off'), server('b', 'waking')])).toBe('busy');
  });

  it('uses template images on macOS and coloured ones elsewhere', () => {
    expect(trayIconFile('down', 'darwin')).toBe('tray/downTemplate.png');
    expect(trayIconFile('down', 'linux')).toBe('tray/down.png');
    expect(trayIconFile('ok', 'win32')).toBe('tray/ok.png');
    expect(TRAY_STATES).toEqual(['idle', 'ok', 'down', 'busy']);
  });
});
