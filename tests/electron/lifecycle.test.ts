import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { memoryLogger } from '../../src/main/base/logger';
import { bindLifecycle, closeAction, quitWhenAllClosed, type LifecycleApp } from '../../src/main/faces/electron/lifecycle';

class FakeApp extends EventEmitter {
  quits = 0;
  /** Like Electron: quit emits before-quit, and goes on only if nobody prevented it. */
  quit() {
    this.quits++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.emit('quit');
  }
}

function setup(options: { platform?: NodeJS.Platform; tray?: boolean; shutdown?: () => Promise<void> } = {}) {
  const app = new FakeApp();
  const clock = new FakeClock();
  const log = memoryLogger();
  const showWindow = vi.fn();
  const shutdown = vi.fn(options.shutdown ?? (async () => {}));
  const quitted = vi.fn();
  app.on('quit', quitted);
  const lifecycle = bindLifecycle({ app: app as unknown as LifecycleApp, platform: options.platform ?? 'linux', clock, log, hasTray: () => options.tray ?? true, showWindow, shutdown, shutdownTimeoutMs: 5000 });
  return { app, clock, log, showWindow, shutdown, quitted, lifecycle };
}

describe('close and quit decisions', () => {
  it('hides to the tray unless quitting or trayless', () => {
    expect(closeAction({ quitting: false, hasTray: true })).toBe('hide');
    expect(closeAction({ quitting: true, hasTray: true })).toBe('close');
    expect(closeAction({ quitting: false, hasTray: false })).toBe('close');
  });

  it('keeps running with every window closed, except on Windows/Linux without a tray', () => {
    expect(quitWhenAllClosed('linux', true)).toBe(false);
    expect(quitWhenAllClosed('win32', true)).toBe(false);
    expect(quitWhenAllClosed('darwin', false)).toBe(false);
    expect(quitWhenAllClosed('linux', false)).toBe(true);
  });
});

describe('lifecycle', () => {
  it('holds the first quit until the engine is stopped, then quits once', async () => {
    let finish!: () => void;
    const s = setup({ shutdown: () => new Promise<void>((resolve) => (finish = resolve)) });
    expect(s.lifecycle.isQuitting()).toBe(false);
    s.app.quit();
    expect(s.lifecycle.isQuitting()).toBe(true);
    expect(s.shutdown).toHaveBeenCalledOnce();
    expect(s.quitted).not.toHaveBeenCalled();
    s.app.quit(); // a second Quit click while stopping starts nothing new
    expect(s.shutdown).toHaveBeenCalledOnce();
    finish();
    await s.clock.advance(0);
    expect(s.quitted).toHaveBeenCalledOnce();
  });

  it('quits anyway when the shutdown hangs', async () => {
    const s = setup({ shutdown: () => new Promise<void>(() => {}) });
    s.app.quit();
    await s.clock.advance(4999);
    expect(s.quitted).not.toHaveBeenCalled();
    await s.clock.advance(1);
    expect(s.quitted).toHaveBeenCalledOnce();
    expect(s.log.lines.join('\n')).toMatch(/took too long/);
  });

  it('quits even when the shutdown fails, and says why', async () => {
    const s = setup({ shutdown: async () => Promise.reject(new Error('disk full')) });
    s.app.quit();
    await s.clock.advance(0);
    expect(s.quitted).toHaveBeenCalledOnce();
    expect(s.log.lines.join('\n')).toMatch(/shutdown failed/);
  });

  it('shows the window on activate (dock click)', () => {
    const s = setup({ platform: 'darwin' });
    s.app.emit('activate');
    expect(s.showWindow).toHaveBeenCalledOnce();
  });

  it('keeps running in the tray when all windows close', () => {
    const s = setup({ tray: true });
    s.app.emit('window-all-closed');
    expect(s.app.quits).toBe(0);
    const trayless = setup({ tray: false });
    trayless.app.emit('window-all-closed');
    expect(trayless.app.quits).toBe(1);
  });
});
