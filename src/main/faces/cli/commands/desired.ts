import { POWER_LABELS } from '../../../../shared/power';
import { parse, UsageError } from '../args';
import type { Command } from '../command';

/** `rackdeck desired` and `rackdeck cancel`: what the card's desired-state menu and Cancel button do. */

export const desiredCommand: Command = {
  name: 'desired',
  summary: 'set where the reconcile loop keeps a server (on, off, suspended, none)',
  usage: `rackdeck desired <server> on|off|suspended|none [--json]

The reconcile loop (every 10 s) wakes, shuts down or suspends the server until it is in that
state, with backoff between attempts; none leaves it alone. A state the contract does not know
exits 2 and changes nothing.
  --json    print the server as JSON`,
  flagFor: (field) => (field === 'desired' ? 'on|off|suspended|none' : undefined),
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    if (positionals.length !== 2) throw new UsageError('expected <server> and on|off|suspended|none');
    const [ref, state] = positionals as [string, string];
    const { client } = ctx.open();
    // 'none' is the contract's null; anything else goes on as typed, for its schema to judge.
    const view = await client.power.setDesired({ id: ref, desired: (state === 'none' ? null : state) as 'on' | null });
    ctx.io.out(values.json ? JSON.stringify(view, null, 2) : `${view.name}: desired ${view.desired ?? 'none'} (now ${POWER_LABELS[view.power]}).`);
    return 0;
  },
};

export const cancelCommand: Command = {
  name: 'cancel',
  summary: "stop a server's running power transition or reconcile attempts",
  usage: `rackdeck cancel <server> [--json]

Ends the running transition (waking, suspending, shutting down, rebooting) at once: a command
not yet sent is not sent; one already sent cannot be taken back. The reconcile loop stops
trying to reach the server's desired state until it is set again (rackdeck desired).
Exit code 0 when something was cancelled, 1 when there was nothing to cancel.
  --json    print the server as JSON`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('expected one <server>');
    const { client } = ctx.open();
    const view = await client.power.cancel({ id: positionals[0] as string });
    if (values.json) ctx.io.out(JSON.stringify(view, null, 2));
    else {
      ctx.io.out(`${view.name}: cancelled, now ${POWER_LABELS[view.power]}.`);
      if (view.lastError) ctx.io.out(`  ${view.lastError.message}`);
    }
    return 0;
  },
};
