// A scripted stand-in for Electron's main-process API: just enough for dist/main/electron.mjs to
// run under Node. It records what main does; once the window has loaded it runs the scenario
// named by FAKE_ELECTRON_SCENARIO, which drives main through these fakes and prints results.
import { EventEmitter } from 'node:events';
import { setImmediate } from 'node:timers';

export const recorded = { windows: [], trays: [], notifications: [], handlers: new Map(), sandbox: false, errors: [], quitCalls: 0 };
let nextId = 1;

class App extends EventEmitter {
  isPackaged = false;
  paths = { userData: process.env.FAKE_USERDATA ?? '/nonexistent/userData' };
  enableSandbox() {
    recorded.sandbox = true;
  }
  getPath(name) {
    return this.paths[name] ?? `/nonexistent/${name}`;
  }
  setPath(name, value) {
    this.paths[name] = value;
  }
  getVersion() {
    return '0.0.0-fake';
  }
  requestSingleInstanceLock() {
    return true;
  }
  setAppUserModelId() {}
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    recorded.quitCalls++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    for (const w of recorded.windows) if (!w.destroyed) w.close();
    this.emit('quit');
    recorded.onQuit?.();
  }
  exit(code) {
    process.exit(code);
  }
}
export const app = new App();

class WebContents extends EventEmitter {
  id = nextId++;
  sent = [];
  destroyed = false;
  openHandler = undefined;
  send(channel, ...args) {
    this.sent.push([channel, ...args]);
  }
  isDestroyed() {
    return this.destroyed;
  }
  isLoading() {
    return false;
  }
  setWindowOpenHandler(fn) {
    this.openHandler = fn;
  }
}

export class BrowserWindow extends EventEmitter {
  visible = false;
  destroyed = false;
  maximized = false;
  bounds = { x: 40, y: 30, width: 1280, height: 800 };
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    recorded.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadFile(file) {
    this.loadedFile = file;
    setImmediate(() => {
      this.emit('ready-to-show');
      if (recorded.windows.length === 1 && process.env.FAKE_ELECTRON_SCENARIO) {
        import(process.env.FAKE_ELECTRON_SCENARIO).then((m) => m.run({ recorded, app, window: this })).catch((error) => {
          console.log(`SCENARIO-ERROR ${error?.stack ?? error}`);
          process.exit(2);
        });
      }
    });
    return Promise.resolve();
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  isMinimized() {
    return false;
  }
  restore() {}
  maximize() {
    this.maximized = true;
  }
  isMaximized() {
    return this.maximized;
  }
  isVisible() {
    return this.visible;
  }
  isDestroyed() {
    return this.destroyed;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  /** Like Electron: 'close' may be prevented; otherwise the window is gone. */
  close() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return false;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    return true;
  }
}

export const ipcMain = {
  handle: (channel, fn) => recorded.handlers.set(channel, fn),
  removeHandler: (channel) => recorded.handlers.delete(channel),
  on: () => {},
};

export class Tray extends EventEmitter {
  constructor(image) {
    super();
    this.image = image.path;
    this.menu = undefined;
    this.destroyed = false;
    recorded.trays.push(this);
  }
  setImage(image) {
    this.image = image.path;
  }
  setToolTip(text) {
    this.tooltip = text;
  }
  setContextMenu(menu) {
    this.menu = menu.template;
  }
  destroy() {
    this.destroyed = true;
  }
}

export const Menu = { buildFromTemplate: (template) => ({ template }) };
export const nativeImage = { createFromPath: (path) => ({ path }) };

export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
  }
  show() {
    recorded.notifications.push(this.options);
  }
}

export const dialog = {
  showErrorBox: (title, message) => {
    recorded.errors.push(`${title}: ${message}`);
    console.log(`ERROR-BOX ${title}: ${message}`);
  },
};
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (fn) => (recorded.permissionRequest = fn),
    setPermissionCheckHandler: (fn) => (recorded.permissionCheck = fn),
    webRequest: { onHeadersReceived: (fn) => (recorded.headers = fn) },
  },
};
export const shell = { openExternal: async (url) => void (recorded.opened ??= []).push(url) };

export default { app, BrowserWindow, ipcMain, Tray, Menu, nativeImage, Notification, dialog, screen, session, shell };
