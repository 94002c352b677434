import type { Command } from '../command';
import { serveCommand } from './serve';
import { agentCommand, resetsCommand } from './agents';
import { powerCommands, wolCommand } from './power';
import { addCommand, editCommand, listCommand, removeCommand, statusCommand } from './servers';
import { guestAware, proxmoxCommands } from './proxmox';
import { execCommand, sshCommand } from './consoles';

/** Every command of the CLI, in the order `rackdeck --help` lists them. */
export const commands: Command[] = [listCommand, statusCommand, addCommand, editCommand, removeCommand, serveCommand, ...powerCommands.map(guestAware), wolCommand, agentCommand, resetsCommand, ...proxmoxCommands, sshCommand, execCommand];
