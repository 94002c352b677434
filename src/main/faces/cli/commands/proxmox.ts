import type { Command } from '../command';
import { proxmoxCommand } from './proxmox-clusters';
import { discoverCommand, guestActionCommands, guestsCommand } from './proxmox-guests';
import { snapshotCommand } from './proxmox-snapshots';
import { tasksCommand } from './proxmox-tasks';

/**
 * The Proxmox part of the CLI: clusters (`rackdeck proxmox …`), discovery, guests, guest
 * actions with their task followed, snapshots and node tasks. Every command goes through the
 * typed client, so it validates exactly like the UI.
 */

export { guestAware } from './proxmox-guests';
export { proxmoxCommand, discoverCommand, guestsCommand, guestActionCommands, snapshotCommand, tasksCommand };

export const proxmoxCommands: Command[] = [proxmoxCommand, discoverCommand, guestsCommand, ...guestActionCommands, snapshotCommand, tasksCommand];
