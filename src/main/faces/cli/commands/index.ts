import type { Command } from '../command';
import { serveCommand } from './serve';
import { demoCommand } from './demo';
import { labCommand } from './lab';
import { importCommand } from './import';
import { agentCommand, resetsCommand } from './agents';
import { powerCommands, wolCommand } from './power';
import { addCommand, editCommand, listCommand, removeCommand, statusCommand } from './servers';
import { guestAware, proxmoxCommands } from './proxmox';
import { execCommand, sshCommand } from './consoles';
import { monitoringCommands } from './monitoring';
import { integrationsCommand } from './integrations';

/** Every command of the CLI, in the order `rackdeck --help` lists them. */
export const commands: Command[] = [listCommand, statusCommand, addCommand, editCommand, removeCommand, importCommand, serveCommand, demoCommand, labCommand, ...powerCommands.map(guestAware), wolCommand, agentCommand, resetsCommand, ...proxmoxCommands, sshCommand, execCommand, ...monitoringCommands, integrationsCommand];
