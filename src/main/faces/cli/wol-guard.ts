import type { RackdeckClient } from '../../../shared/contract';
import type { PowerAction, ServerView } from '../../../shared/server';
import { powersDown, wolOffInterface, wolOffWarning } from '../../../shared/wol-readiness';
import type { CliIo } from './command';

export interface WolGuardOptions {
  /** Go ahead without asking. */
  yes: boolean;
  /** Enable Wake-on-LAN on the interface first (ethtool -s IFACE wol g, over SSH). */
  enableWol: boolean;
  /** Asks a question on the terminal and resolves with the answer; undefined when there is no terminal (a script). */
  ask?: ((question: string) => Promise<string | undefined>) | undefined;
}

/**
 * Before a server is powered down: if init found Wake-on-LAN off on the interface whose MAC is
 * used, it would not come back by it. Enables it first (--enable-wol, or "yes" on a terminal),
 * goes ahead when told (--yes, or "no"), and otherwise refuses. Returns the exit code to stop
 * with, or undefined to go on.
 */
export async function guardWolOff(client: RackdeckClient, view: ServerView, action: PowerAction, io: CliIo, options: WolGuardOptions): Promise<number | undefined> {
  const nic = powersDown(action) ? wolOffInterface(view) : undefined;
  if (!nic) return undefined;
  const warning = `${view.name}: ${wolOffWarning(nic.name)}`;
  let enable = options.enableWol;
  if (!enable && !options.yes) {
    const answer = options.ask ? (await options.ask(`${warning} (yes: enable it, then ${action}; no: ${action} anyway) `))?.trim().toLowerCase() : undefined;
    if (answer === 'yes' || answer === 'y') enable = true;
    else if (answer !== 'no' && answer !== 'n') {
      io.err(warning);
      io.err(`Nothing was done. Run again with --enable-wol to enable it first (ethtool -s ${nic.name} wol g over SSH), or with --yes to ${action} anyway.`);
      return 1;
    }
  }
  if (!enable) {
    io.err(`Warning: ${view.name} will not come back by Wake-on-LAN: WoL is off on ${nic.name}.`);
    return undefined;
  }
  const after = await client.power.useInterface({ id: view.id, interface: nic.name, enableWol: true });
  if (wolOffInterface(after)) {
    io.err(`${view.name}: Wake-on-LAN is still off on ${nic.name}; nothing else was done.`);
    return 1;
  }
  io.err(`Enabled Wake-on-LAN on ${nic.name} of ${view.name}.`);
  return undefined;
}

/** A question on the process's terminal, or undefined when stdin is not one (a script is never asked). */
export function terminalAsk(): ((question: string) => Promise<string | undefined>) | undefined {
  if (process.stdin.isTTY !== true) return undefined;
  return async (question) => {
    const readline = await import('node:readline/promises');
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}
