import path from 'node:path';
import { Menu, nativeImage, Tray } from 'electron';
import type { Clock } from '../../base/clock';
import type { Engine } from '../../inventory/engine';
import { toMenuTemplate, type MenuHandlers } from './menu-template';
import { ServerList } from './server-list';
import { throttle } from './throttle';
import { countServers, summaryLine, trayMenu } from './tray-menu';
import { overallState, trayIconFile, type TrayState } from './tray-state';

export interface TrayDeps extends MenuHandlers {
  engine: Pick<Engine, 'events' | 'snapshot'>;
  assets: string;
  platform: NodeJS.Platform;
  clock: Clock;
  /** Patches come up to every 50 ms; the menu is rebuilt at most this often. */
  refreshMs?: number;
}

export interface RackdeckTray {
  dispose(): void;
}

/** The tray icon (overall state) and its menu (one entry per server), rebuilt from each patch. */
export function createTray(deps: TrayDeps): RackdeckTray {
  const servers = new ServerList();
  const icon = (state: TrayState) => nativeImage.createFromPath(path.join(deps.assets, trayIconFile(state, deps.platform)));
  let shownState = overallState([]);
  const tray = new Tray(icon(shownState));

  const rebuild = () => {
    const list = servers.list();
    const state = overallState(list);
    if (state !== shownState) {
      shownState = state;
      tray.setImage(icon(state));
    }
    tray.setToolTip(`Rackdeck — ${summaryLine(countServers(list))}`);
    tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(trayMenu(list), deps)));
  };
  const refresh = throttle(deps.clock, deps.refreshMs ?? 250, rebuild);

  // Subscribe first, then take the snapshot: a patch in between is either in it or newer than it.
  const off = deps.engine.events.on('servers.patch', (patch) => {
    if (servers.applyPatch(patch)) refresh.schedule();
  });
  servers.applySnapshot(deps.engine.snapshot());
  rebuild();
  // Windows and Linux trays open the menu on right click, so a left click opens the window; on
  // macOS any click opens the menu, as menu-bar items do.
  if (deps.platform !== 'darwin') tray.on('click', () => deps.onOpen());

  return {
    dispose() {
      off();
      refresh.cancel();
      tray.destroy();
    },
  };
}
