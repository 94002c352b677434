import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, MenuEntry, PowerAction } from './tray-menu';

export interface MenuHandlers {
  onAction(serverId: string, action: PowerAction): void;
  onSelect(serverId: string): void;
  onOpen(): void;
  onQuit(): void;
}

/** Turns the tray-menu description into Electron's template, binding each command to a handler. */
export function toMenuTemplate(entries: readonly MenuEntry[], handlers: MenuHandlers): MenuItemConstructorOptions[] {
  return entries.map((entry): MenuItemConstructorOptions => {
    if (entry.kind === 'separator') return { type: 'separator' };
    if (entry.kind === 'submenu') return { label: entry.label, submenu: toMenuTemplate(entry.items, handlers) };
    const command = entry.command;
    return {
      label: entry.label,
      enabled: entry.enabled,
      ...(command ? { click: () => run(command, handlers) } : {}),
    };
  });
}

function run(command: MenuCommand, handlers: MenuHandlers): void {
  switch (command.type) {
    case 'power':
      return handlers.onAction(command.serverId, command.action);
    case 'select':
      return handlers.onSelect(command.serverId);
    case 'open':
      return handlers.onOpen();
    case 'quit':
      return handlers.onQuit();
  }
}
