import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import type { Clock } from '../../base/clock';
import { throttle } from './throttle';
import { MIN_SIZE, type WindowState } from './window-state';

export interface WindowPaths {
  preload: string;
  indexHtml: string;
  icon?: string;
}

/**
 * The main window's options. The security flags are spelled out even where they are Electron's
 * defaults, so a future default change cannot loosen them.
 */
export function windowOptions(paths: WindowPaths, state?: WindowState): BrowserWindowConstructorOptions {
  return {
    title: 'Rackdeck',
    width: state?.bounds.width ?? 1280,
    height: state?.bounds.height ?? 800,
    ...(state ? { x: state.bounds.x, y: state.bounds.y } : {}),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    // Shown on ready-to-show, so the admin never sees a blank white frame.
    show: false,
    backgroundColor: '#0e1a2b',
    ...(paths.icon ? { icon: paths.icon } : {}),
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

export interface MainWindowDeps {
  paths: WindowPaths;
  state: WindowState | undefined;
  /** Whether to show the window once loaded (false when started into the tray). */
  show: boolean;
  clock: Clock;
  /** Consulted on every close: hide to the tray, or really close. */
  onCloseRequested(): 'hide' | 'close';
  onStateChanged(state: WindowState): void;
  onLoadFailed(reason: string): void;
}

/** Creates the window and loads the built renderer from disk. Hardening is applied app-wide (security.ts). */
export function createMainWindow(deps: MainWindowDeps): BrowserWindow {
  const win = new BrowserWindow(windowOptions(deps.paths, deps.state));
  if (deps.state?.maximized) win.maximize();

  const saveState = () => {
    if (win.isDestroyed()) return;
    deps.onStateChanged({ bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  };
  const saveSoon = throttle(deps.clock, 500, saveState);
  win.on('resize', () => saveSoon.schedule());
  win.on('move', () => saveSoon.schedule());
  win.on('maximize', () => saveSoon.schedule());
  win.on('unmaximize', () => saveSoon.schedule());

  win.on('close', (event) => {
    saveSoon.cancel();
    saveState();
    if (deps.onCloseRequested() === 'hide') {
      event.preventDefault();
      win.hide();
    }
  });
  win.once('ready-to-show', () => {
    if (deps.show) win.show();
  });
  win.webContents.on('did-fail-load', (_event, code, description) => deps.onLoadFailed(`${description} (${code})`));
  win.loadFile(deps.paths.indexHtml).catch((error: unknown) => deps.onLoadFailed(error instanceof Error ? error.message : String(error)));
  return win;
}
