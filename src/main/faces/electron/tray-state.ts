import { isTransitional } from '../../../shared/power';
import type { ServerView } from '../../../shared/server';

/** The tray icon's state: nothing to watch, all on, something down, something changing. */
export type TrayState = 'idle' | 'ok' | 'down' | 'busy';
export const TRAY_STATES: readonly TrayState[] = ['idle', 'ok', 'down', 'busy'];

/** A transition in flight outranks a machine that is down: the admin is waiting on it. */
export function overallState(servers: readonly ServerView[]): TrayState {
  if (servers.length === 0) return 'idle';
  if (servers.some((s) => isTransitional(s.power))) return 'busy';
  return servers.every((s) => s.power === 'on') ? 'ok' : 'down';
}

/**
 * The icon file under assets/ for a state. macOS gets template images (black + alpha, recoloured
 * by the menu bar); the others get coloured ones. Electron picks the `@2x` file by itself.
 */
export function trayIconFile(state: TrayState, platform: NodeJS.Platform): string {
  return `tray/${state}${platform === 'darwin' ? 'Template' : ''}.png`;
}
