import type { Command } from '../command';
import { serveCommand } from './serve';
import { addCommand, editCommand, listCommand, removeCommand, statusCommand } from './servers';

/** Every command of the CLI, in the order `rackdeck --help` lists them. */
export const commands: Command[] = [listCommand, statusCommand, addCommand, editCommand, removeCommand, serveCommand];
