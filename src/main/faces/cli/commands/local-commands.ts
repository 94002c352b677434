import { onePositional, parse, UsageError } from '../args';
import type { Command } from '../command';

export const localCommandsCommand: Command = {
  name: 'local-commands',
  summary: 'allow or forbid custom power commands that run on this machine',
  usage: `rackdeck local-commands [on|off]

Custom power commands set to run "here" (runOn: local) run a program on the Rackdeck machine.
They are off until turned on here or in the desktop app; the web face cannot change this.
Without an argument, prints whether they are on.`,
  async run(argv, ctx) {
    const { positionals } = parse(argv, {});
    const { client } = ctx.open();
    if (positionals.length === 0) {
      const view = await client.power.localCommands({});
      ctx.io.out(`Local commands are ${view.allowed ? 'on' : 'off'}.`);
      return 0;
    }
    const word = onePositional(positionals, 'on|off');
    if (word !== 'on' && word !== 'off') throw new UsageError(`expected on or off, got "${word}"`);
    const view = await client.power.setLocalCommands({ allowed: word === 'on' });
    ctx.io.out(`Local commands are now ${view.allowed ? 'on: custom commands set to run here will run on this machine' : 'off'}.`);
    return 0;
  },
};
