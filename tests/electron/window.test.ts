import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import type { WindowState } from '../../src/main/faces/electron/window-state';

const fake = vi.hoisted(() => ({ windows: [] as FakeWindowShape[] }));
interface FakeWindowShape {
  options: Record<string, unknown>;
  loaded: string | undefined;
  visible: boolean;
  maximized: boolean;
  bounds: { x: number; y: number; width: number; height: number };
  emit(event: string, ...args: unknown[]): boolean;
  webContents: { emit(event: string, ...args: unknown[]): boolean };
}

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  class BrowserWindow extends EventEmitter {
    loaded: string | undefined;
    visible = false;
    maximized = false;
    destroyed = false;
    bounds = { x: 10, y: 20, width: 1000, height: 700 };
    webContents = new EventEmitter();
    constructor(readonly options: Record<string, unknown>) {
      super();
      fake.windows.push(this as unknown as FakeWindowShape);
    }
    loadFile(file: string) {
      this.loaded = file;
      return Promise.resolve();
    }
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    maximize() {
      this.maximized = true;
    }
    isMaximized() {
      return this.maximized;
    }
    isDestroyed() {
      return this.destroyed;
    }
    getNormalBounds() {
      return { ...this.bounds };
    }
  }
  return { BrowserWindow };
});

const { windowOptions, createMainWindow } = await import('../../src/main/faces/electron/window');

const paths = { preload: '/app/dist/preload/preload.cjs', indexHtml: '/app/dist/renderer/index.html', icon: '/app/assets/icons/256x256.png' };

describe('window options', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security on', () => {
    const prefs = windowOptions(paths).webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.preload).toBe(paths.preload);
  });

  it('opens hidden (shown when ready), at the saved bounds if any', () => {
    expect(windowOptions(paths)).toMatchObject({ show: false, width: 1280, height: 800, icon: paths.icon });
    expect(windowOptions(paths).x).toBeUndefined();
    const state: WindowState = { bounds: { x: 5, y: 6, width: 900, height: 600 }, maximized: false };
    expect(windowOptions(paths, state)).toMatchObject({ x: 5, y: 6, width: 900, height: 600 });
  });
});

describe('main window', () => {
  let clock: FakeClock;
  let closeDecision: 'hide' | 'close';
  let saved: WindowState[];
  const open = (extra: { show?: boolean; state?: WindowState } = {}) => {
    createMainWindow({
      paths,
      state: extra.state,
      show: extra.show ?? true,
      clock,
      onCloseRequested: () => closeDecision,
      onStateChanged: (s) => saved.push(s),
      onLoadFailed: () => {},
    });
    return fake.windows.at(-1)!;
  };
  beforeEach(() => {
    fake.windows.length = 0;
    clock = new FakeClock();
    closeDecision = 'hide';
    saved = [];
  });

  it('loads the built renderer from disk and shows when ready', () => {
    const win = open();
    expect(win.loaded).toBe(paths.indexHtml);
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('stays hidden when started into the tray', () => {
    const win = open({ show: false });
    win.emit('ready-to-show');
    expect(win.visible).toBe(false);
  });

  it('closing hides to the tray unless told to close', () => {
    const win = open();
    win.emit('ready-to-show');
    const event = { preventDefault: vi.fn() };
    win.emit('close', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(win.visible).toBe(false);

    closeDecision = 'close';
    const quitting = { preventDefault: vi.fn() };
    win.emit('close', quitting);
    expect(quitting.preventDefault).not.toHaveBeenCalled();
  });

  it('remembers its bounds: throttled while moving, at once on close', async () => {
    const win = open();
    win.bounds = { x: 1, y: 2, width: 800, height: 600 };
    win.emit('move');
    win.emit('resize');
    expect(saved).toEqual([]);
    await clock.advance(500);
    expect(saved).toEqual([{ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: false }]);
    win.maximized = true;
    win.emit('close', { preventDefault() {} });
    expect(saved.at(-1)).toEqual({ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true });
  });

  it('reopens maximized when it was', () => {
    const win = open({ state: { bounds: { x: 0, y: 0, width: 800, height: 600 }, maximized: true } });
    expect(win.maximized).toBe(true);
  });
});
