import path from 'node:path';
import { app, dialog, ipcMain, screen, session, shell, type BrowserWindow } from 'electron';
import { IPC_EVENT } from '../../../shared/ipc-channels';
import { createSteppedApp, type EngineApp } from '../../root/stepped';
import { keepHeapTight } from '../../base/heap-growth';
import { systemClock } from '../../base/clock';
import { consoleLogger } from '../../base/logger';
import { CONTENT_SECURITY_POLICY } from '../web/security';
import { composeRest, ownedEngine, takeHome, type Owned } from '../ownership';
import { HomeBusyError } from '../../store/home-lock';
import { appPaths, desktopHome, hasFlag } from './app-paths';
import { bindIpc } from './ipc-binding';
import { bindLifecycle, closeAction, type Lifecycle } from './lifecycle';
import { NoticeCoalescer, notificationPrefs } from './notification-policy';
import { createNotifier } from './notifications';
import { powerActionVia } from './power-action';
import { externalLinkTarget, hardenContents, hardenSession } from './security';
import { createTray, type RackdeckTray } from './tray';
import type { PowerAction } from './tray-menu';
import { createMainWindow } from './window';
import { placeWindow, readWindowState, windowStateFile, writeWindowState, type WindowState } from './window-state';

/**
 * The desktop face: binds the engine to a window, a tray and native notifications. Everything
 * that decides something lives in a pure module beside this one; this file only wires.
 * Flags: --home DIR (else RACKDECK_HOME, else the OS's per-user Rackdeck folder), --hidden (start in the tray).
 */
const log = consoleLogger;
const clock = systemClock;
/** A burst of notices within this window becomes one notification. */
const NOTICE_BURST_MS = 3000;

function fatal(title: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log.error(`${title}: ${message}`);
  dialog.showErrorBox(title, message);
  app.exit(1);
}

function main(): void {
  app.enableSandbox();
  // The desktop app runs the engine for days, as `rackdeck serve` does: its heap is kept near what it holds.
  keepHeapTight();
  const { home, explicit } = desktopHome(process.argv, process.env);
  // A chosen home carries its own Chromium profile and single-instance lock, so a test or a
  // second lab never touches (or is blocked by) the admin's everyday instance.
  if (explicit) app.setPath('userData', path.join(home, 'electron'));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  if (process.platform === 'win32') app.setAppUserModelId('dev.rackdeck.app');
  app.whenReady().then(
    () => own(home).then((owned) => owned && start(home, owned)),
    (error: unknown) => fatal('Rackdeck could not start', error),
  );
}

/**
 * The desktop app is an engine: it owns its home while it runs (docs/ARCHITECTURE.md,
 * "Ownership"). Another engine on the same home (`rackdeck serve`) is named and this one quits.
 */
async function own(home: string): Promise<Owned | undefined> {
  try {
    const lock = await takeHome(home, 'desktop', log);
    return ownedEngine(home, lock, log, () => createSteppedApp({ home, face: 'desktop' }));
  } catch (error) {
    fatal(error instanceof HomeBusyError ? 'Another Rackdeck owns this data folder' : 'Rackdeck could not open its data folder', error);
    return undefined;
  }
}

function start(home: string, owned: Owned): void {
  const paths = appPaths({ moduleUrl: import.meta.url, packaged: app.isPackaged, resourcesPath: process.resourcesPath });
  const rackdeck: EngineApp = owned.app;
  const { engine, router } = rackdeck;
  const nameOf = (id: string) => engine.find(id)?.name;

  hardenSession(session.defaultSession, CONTENT_SECURITY_POLICY);
  app.on('web-contents-created', (_event, contents) =>
    hardenContents(contents, {
      externalTarget: (url) => externalLinkTarget(url, engine.servers().map((s) => s.address)),
      openExternal: (url) => void shell.openExternal(url).catch((error: unknown) => log.warn(`could not open ${url}`, error)),
    }),
  );

  let win: BrowserWindow | undefined;
  let tray: RackdeckTray | undefined;
  const stateFile = windowStateFile(home);
  let windowState: WindowState | undefined = placeWindow(readWindowState(stateFile), screen.getAllDisplays().map((d) => d.workArea));
  const saveWindowState = () => {
    if (!windowState) return;
    try {
      writeWindowState(stateFile, windowState);
    } catch (error) {
      log.warn('could not save the window position', error);
    }
  };

  const openWindow = (show: boolean) =>
    createMainWindow({
      paths: { preload: paths.preload, indexHtml: paths.indexHtml, icon: paths.appIcon },
      state: windowState,
      show,
      clock,
      onCloseRequested: () => closeAction({ quitting: lifecycle.isQuitting(), hasTray: tray !== undefined }),
      onStateChanged: (state) => {
        windowState = state;
        saveWindowState();
      },
      onLoadFailed: (reason) => log.error(`the window could not load ${paths.indexHtml}: ${reason}. Was the renderer built (npm run build)?`),
    });

  function showWindow(): BrowserWindow {
    if (!win || win.isDestroyed()) {
      win = openWindow(true);
      return win;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return win;
  }

  const selectServer = (serverId: string) => {
    const contents = showWindow().webContents;
    const send = () => contents.send(IPC_EVENT, 'ui.select', { serverId });
    if (contents.isLoading()) contents.once('did-finish-load', send);
    else send();
  };

  const unbindIpc = bindIpc({
    ipcMain,
    router,
    events: engine.events,
    contents: () => (win && !win.isDestroyed() ? win.webContents : undefined),
    indexUrl: paths.indexUrl,
    platform: process.platform,
    log,
  });

  const coalescer = new NoticeCoalescer({
    clock,
    windowMs: NOTICE_BURST_MS,
    prefs: () => notificationPrefs(engine.settings),
    nameOf,
    show: createNotifier({ icon: paths.appIcon, onClick: (serverId) => (serverId ? selectServer(serverId) : void showWindow()) }),
  });
  const offNotices = engine.events.on('notice', (notice) => coalescer.push(notice));

  const lifecycle: Lifecycle = bindLifecycle({
    app,
    platform: process.platform,
    clock,
    log,
    hasTray: () => tray !== undefined,
    showWindow: () => showWindow(),
    shutdown: async () => {
      coalescer.dispose();
      offNotices();
      tray?.dispose();
      saveWindowState();
      await owned.stop();
      unbindIpc();
    },
  });

  // Loops, then the control socket: from now on the CLI on this home goes through this engine.
  owned.serve().catch((error: unknown) => log.error('the control socket could not start; CLI commands on this home will wait for the lock', error));

  const runPower = powerActionVia(router, (notice) => engine.notify(notice), nameOf);
  const onAction = (serverId: string, action: PowerAction) => {
    runPower(serverId, action).catch((error: unknown) => log.error(`${action} ${serverId} failed`, error));
  };
  try {
    tray = createTray({ engine, assets: paths.assets, platform: process.platform, clock, onAction, onSelect: selectServer, onOpen: () => void showWindow(), onQuit: () => app.quit() });
  } catch (error) {
    // Some Linux desktops have no tray; the window then closes for real and the app quits.
    log.warn('no system tray available; closing the window will quit Rackdeck', error);
  }

  // Started into the tray (e.g. at login) only if there is a tray to come back from.
  win = openWindow(!(hasFlag(process.argv, 'hidden') && tray));
  composeRest(rackdeck, log);
  app.on('second-instance', () => void showWindow());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
}

main();
