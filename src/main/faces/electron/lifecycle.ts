import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';

/** The part of Electron's `app` the lifecycle needs; a fake in tests. */
export interface LifecycleApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'activate' | 'window-all-closed', listener: () => void): unknown;
  quit(): void;
}

/**
 * What closing the window does: it hides to the tray while the app keeps watching the servers,
 * unless the app is quitting or there is no tray to come back from (then it really closes).
 */
export function closeAction(input: { quitting: boolean; hasTray: boolean }): 'hide' | 'close' {
  return !input.quitting && input.hasTray ? 'hide' : 'close';
}

/**
 * With every window closed the app keeps running in the tray on Windows and Linux; on macOS it
 * stays in the dock as Mac apps do. Without a tray on Windows/Linux nothing would be left to
 * bring it back, so it quits.
 */
export function quitWhenAllClosed(platform: NodeJS.Platform, hasTray: boolean): boolean {
  return platform !== 'darwin' && !hasTray;
}

export interface LifecycleDeps {
  app: LifecycleApp;
  platform: NodeJS.Platform;
  clock: Clock;
  log: Logger;
  hasTray(): boolean;
  showWindow(): void;
  /** Saves what must survive (window bounds, history), stops the loops. */
  shutdown(): Promise<void>;
  /** A hung shutdown must not keep the app from quitting. */
  shutdownTimeoutMs?: number;
}

export interface Lifecycle {
  isQuitting(): boolean;
}

/**
 * Quit is two-phase: the first `before-quit` is held while the engine flushes and stops, then
 * quit is asked again and goes through.
 */
export function bindLifecycle(deps: LifecycleDeps): Lifecycle {
  let quitting = false;
  let stopping = false;
  let stopped = false;
  deps.app.on('before-quit', (event) => {
    quitting = true;
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = deps.clock.setTimeout(() => {
        deps.log.warn('shutdown took too long; quitting anyway');
        resolve();
      }, deps.shutdownTimeoutMs ?? 5000);
    });
    const done = deps.shutdown().catch((error: unknown) => deps.log.error('shutdown failed', error));
    void Promise.race([done, deadline]).then(() => {
      if (timer !== undefined) deps.clock.clearTimeout(timer);
      stopped = true;
      deps.app.quit();
    });
  });
  deps.app.on('activate', () => deps.showWindow());
  deps.app.on('window-all-closed', () => {
    if (quitWhenAllClosed(deps.platform, deps.hasTray())) deps.app.quit();
  });
  return { isQuitting: () => quitting };
}
