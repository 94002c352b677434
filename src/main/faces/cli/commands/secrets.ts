import { parse, UsageError } from '../args';
import type { Command } from '../command';

export const secretsCommand: Command = {
  name: 'secrets',
  summary: 'whether the stored secrets can be opened; reset them after a lost secret.key',
  usage: `rackdeck secrets status [--json]
rackdeck secrets reset --yes

Passwords, passphrases and tokens are sealed with <home>/secret.key. If that file is lost or
replaced, they cannot be opened, and Rackdeck refuses to seal new ones beside them.
  status   says how many are sealed and whether the key opens them (exit 1 when it does not)
  reset    sets the sealed files aside (kept as …lost-key-<time>, in case the key turns up)
           and lists what must be entered again; needs --yes
Prefer putting back the secret.key from a backup of this folder when you have one.`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' }, yes: { type: 'boolean' } });
    const [action, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}`);
    const { client } = ctx.open();
    if (action === 'status') {
      const health = await client.secrets.status({});
      if (values.json) ctx.io.out(JSON.stringify(health, null, 2));
      else {
        ctx.io.out(`${health.sealed} sealed secret${health.sealed === 1 ? '' : 's'}; secret.key ${health.key}.`);
        if (health.problem) ctx.io.err(health.problem);
      }
      return health.problem ? 1 : 0;
    }
    if (action === 'reset') {
      if (!values.yes) throw new UsageError('reset sets every stored secret aside: run it again with --yes');
      const reset = await client.secrets.reset({ confirm: true });
      if (values.json) ctx.io.out(JSON.stringify(reset, null, 2));
      else {
        for (const file of reset.setAside) ctx.io.out(`Set aside ${file}`);
        ctx.io.out(reset.cleared.length === 0 ? 'No secrets were stored.' : `Enter these again: ${reset.cleared.join(', ')}`);
      }
      return 0;
    }
    throw new UsageError(action ? `unknown action "${action}"` : 'missing action: status or reset');
  },
};
