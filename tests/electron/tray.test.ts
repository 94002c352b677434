import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { EventBus } from '../../src/main/base/event-bus';
import type { ServersSnapshot } from '../../src/shared/events';
import { MAC, server } from './fixtures';

const fake = vi.hoisted(() => ({
  trays: [] as { image: string; tooltip: string; menus: { label?: string; submenu?: unknown; click?: () => void }[][]; destroyed: boolean; emit(e: string): void }[],
}));

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  class Tray extends EventEmitter {
    image: string;
    tooltip = '';
    menus: unknown[] = [];
    destroyed = false;
    constructor(image: { file: string }) {
      super();
      this.image = image.file;
      fake.trays.push(this as never);
    }
    setImage(image: { file: string }) {
      this.image = image.file;
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setContextMenu(menu: { template: unknown }) {
      this.menus.push(menu.template);
    }
    destroy() {
      this.destroyed = true;
    }
  }
  return {
    Tray,
    Menu: { buildFromTemplate: (template: unknown) => ({ template }) },
    nativeImage: { createFromPath: (file: string) => ({ file }) },
  };
});

const { createTray } = await import('../../src/main/faces/electron/tray');

describe('tray', () => {
  let clock: FakeClock;
  let events: EventBus;
  let snapshot: ServersSnapshot;
  const handlers = { onAction: vi.fn(), onSelect: vi.fn(), onOpen: vi.fn(), onQuit: vi.fn() };
  const open = (platform: NodeJS.Platform = 'linux') => {
    const t = createTray({ engine: { events, snapshot: () => snapshot }, assets: '/a', platform, clock, refreshMs: 250, ...handlers });
    return { t, tray: fake.trays.at(-1)! };
  };
  const labels = (menu: { label?: string }[] | undefined) => (menu ?? []).map((m) => m.label);

  beforeEach(() => {
    fake.trays.length = 0;
    clock = new FakeClock();
    events = new EventBus();
    snapshot = { seq: 4, servers: [server('nas', 'on'), server('pve', 'on')] };
    vi.clearAllMocks();
  });

  it('starts from the snapshot: icon, tooltip and menu', () => {
    const { tray } = open();
    expect(tray.image).toBe(path.join('/a', 'tray/ok.png'));
    expect(tray.tooltip).toBe('Rackdeck — 2 servers: 2 on');
    expect(labels(tray.menus.at(-1))).toContain('nas — On');
  });

  it('uses template icons on macOS, where a click opens the menu rather than the window', () => {
    const { tray } = open('darwin');
    expect(tray.image).toBe(path.join('/a', 'tray/okTemplate.png'));
    tray.emit('click');
    expect(handlers.onOpen).not.toHaveBeenCalled();
  });

  it('rebuilds once per refresh window however many patches arrive, and ignores old ones', async () => {
    const { tray } = open();
    const before = tray.menus.length;
    events.emit('servers.patch', { seq: 3, upsert: [server('old', 'off')], remove: [] }); // already in the snapshot
    events.emit('servers.patch', { seq: 5, upsert: [server('nas', 'off', { mac: MAC })], remove: [] });
    events.emit('servers.patch', { seq: 6, upsert: [server('pve', 'waking')], remove: [] });
    expect(tray.menus.length).toBe(before);
    await clock.advance(250);
    expect(tray.menus.length).toBe(before + 1);
    expect(tray.image).toBe(path.join('/a', 'tray/busy.png'));
    expect(labels(tray.menus.at(-1))).toEqual(['2 servers: 1 down, 1 changing', undefined, 'nas — Off', 'pve — Waking…', undefined, 'Open Rackdeck', 'Quit']);

    events.emit('servers.patch', { seq: 7, upsert: [server('pve', 'on')], remove: ['nas'] });
    await clock.advance(250);
    expect(tray.image).toBe(path.join('/a', 'tray/ok.png'));
    expect(tray.tooltip).toBe('Rackdeck — 1 server: 1 on');
  });

  it('menu clicks reach the handlers: Wake calls onAction', async () => {
    const { tray } = open();
    events.emit('servers.patch', { seq: 5, upsert: [server('nas', 'off', { mac: MAC })], remove: [] });
    await clock.advance(250);
    const nas = tray.menus.at(-1)!.find((m) => m.label === 'nas — Off')!;
    (nas.submenu as { label: string; click: () => void }[]).find((i) => i.label === 'Wake')!.click();
    expect(handlers.onAction).toHaveBeenCalledWith('nas', 'wake');
  });

  it('a click on the icon opens the window; dispose stops listening and removes the icon', async () => {
    const { t, tray } = open();
    tray.emit('click');
    expect(handlers.onOpen).toHaveBeenCalledOnce();
    t.dispose();
    expect(tray.destroyed).toBe(true);
    const menus = tray.menus.length;
    events.emit('servers.patch', { seq: 9, upsert: [server('x', 'off')], remove: [] });
    await clock.advance(1000);
    expect(tray.menus.length).toBe(menus);
  });
});
