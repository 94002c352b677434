import { POWER_LABELS } from '../../../../shared/power';
import { onePositional, parse, UsageError } from '../args';
import type { Command } from '../command';
import { ago, serverRows } from '../format';
import { RackdeckError } from '../../../../shared/ipc';
import type { ServerInput, ServerPatch } from '../../../../shared/server';
import { readSecrets, storeSecrets } from '../server-secrets';
import { secretsWanted, SERVER_FLAGS, SERVER_FLAGS_HELP, serverFlagFor, serverRequestFromFlags } from '../server-flags';
import { FILTER_FLAGS, matchesFilter } from '../filter';

export const listCommand: Command = {
  name: 'list',
  summary: 'list every server with its live state',
  usage: `rackdeck list [--group G] [--tag T] [--json]

Prints the inventory with each server's live state: the running engine's (desktop app or
serve) when one runs, otherwise after probing every server once.
  --group G  only the servers in group G (rackdeck group list)
  --tag T    only the Proxmox guests tagged T
  --json     machine-readable output`,
  async run(argv, ctx) {
    const { values } = parse(argv, { json: { type: 'boolean' }, ...FILTER_FLAGS }, false);
    const { client } = ctx.open();
    // A running engine keeps every state current; without one, this command probes them itself.
    const { running } = await client.app.info({});
    const all = (running ? await client.servers.snapshot({}) : await client.servers.sweep({})).servers;
    const filtered = values.group !== undefined || values.tag !== undefined;
    const servers = filtered ? all.filter((s) => matchesFilter(s, values)) : all;
    if (filtered && servers.length === 0 && !values.json) {
      ctx.io.out(`No server is in ${[values.group !== undefined ? `group "${values.group}"` : '', values.tag !== undefined ? `tag "${values.tag}"` : ''].filter(Boolean).join(' with ')}.`);
      return 0;
    }
    if (values.json) ctx.io.out(JSON.stringify(servers, null, 2));
    else if (servers.length === 0) ctx.io.out('No servers yet. Add one with: rackdeck add <name> --address <host>');
    else serverRows(servers, Date.now()).forEach((l) => ctx.io.out(l));
    return 0;
  },
};

export const statusCommand: Command = {
  name: 'status',
  summary: "probe one server and print its state",
  usage: `rackdeck status <server> [--json]

Exit code 0 when the server is on, 3 when it is not.`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const ref = onePositional(positionals, 'server');
    const { client } = ctx.open();
    const view = await client.servers.refresh({ id: ref });
    if (values.json) ctx.io.out(JSON.stringify(view, null, 2));
    else {
      ctx.io.out(`${view.name}: ${POWER_LABELS[view.power]}`);
      ctx.io.out(`  address    ${view.address}`);
      ctx.io.out(`  ports      ${view.ports.map((p) => `${p} ${view.openPorts[String(p)] ? 'open' : 'closed'}`).join(', ')}`);
      ctx.io.out(`  last seen  ${ago(view.lastSeen, Date.now())}`);
      if (view.detail) ctx.io.out(`  detail     ${view.detail}`);
    }
    return view.power === 'on' ? 0 : 3;
  },
};

export const addCommand: Command = {
  name: 'add',
  summary: 'add a server to the inventory',
  usage: `rackdeck add <name> --address A [options] [--json]

Every setting of the desktop form. The request is judged by the same schema as the form's
and the web face's: a refused one exits 2, naming each field and why, and changes nothing.
${SERVER_FLAGS_HELP}
  --json                  print the server as JSON`,
  flagFor: serverFlagFor,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { ...SERVER_FLAGS, json: { type: 'boolean' } });
    const name = onePositional(positionals, 'name');
    // A missing option is a usage mistake, answered before the home is opened; its value is the schema's to judge.
    if (values.address === undefined) throw new UsageError('address (--address): an address is required (a host name or an IP address)');
    const { client } = ctx.open();
    const { servers } = await client.servers.snapshot({});
    const request = { ...serverRequestFromFlags(values, servers), name, address: values.address };
    const secrets = await readSecrets(ctx.io, secretsWanted(values, values['ssh-auth']));
    const view = await client.servers.add(request as ServerInput);
    await storeSecrets(client, view.id, secrets);
    ctx.io.out(values.json ? JSON.stringify(view, null, 2) : `Added ${view.name} (${view.address}) as ${view.id}.`);
    return 0;
  },
};

export const editCommand: Command = {
  name: 'edit',
  summary: "change a server's settings",
  usage: `rackdeck edit <server> [--name NEW] [options] [--json]

Only the options given change (within SSH, Wake-on-LAN and power commands too). A refused
change exits 2, naming each field and why, and changes nothing.
  --name NEW              a new name
${SERVER_FLAGS_HELP}
  --json                  print the server as JSON`,
  flagFor: serverFlagFor,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { ...SERVER_FLAGS, json: { type: 'boolean' } });
    const ref = onePositional(positionals, 'server');
    const { client } = ctx.open();
    const { servers } = await client.servers.snapshot({});
    const current = servers.find((s) => s.id === ref || s.name.toLowerCase() === ref.toLowerCase());
    if (!current) throw new RackdeckError({ code: 'not_found', message: `Server "${ref}" was not found.` });
    const patch = serverRequestFromFlags(values, servers, current);
    const clearDesired = values.desired === 'none';
    const secrets = await readSecrets(ctx.io, secretsWanted(values, values['ssh-auth'] ?? current.ssh?.auth));
    if (Object.keys(patch).length === 0 && !clearDesired && secrets.length === 0) throw new UsageError('nothing to change: give at least one option');
    let view = Object.keys(patch).length > 0 ? await client.servers.edit({ id: current.id, patch: patch as ServerPatch }) : current;
    if (clearDesired) view = await client.power.setDesired({ id: current.id, desired: null });
    await storeSecrets(client, view.id, secrets);
    ctx.io.out(values.json ? JSON.stringify(view, null, 2) : `Updated ${view.name}.`);
    return 0;
  },
};

export const removeCommand: Command = {
  name: 'remove',
  summary: 'remove a server from the inventory',
  usage: `rackdeck remove <server>

Its children stay, without a parent.`,
  async run(argv, ctx) {
    const { positionals } = parse(argv, {});
    const ref = onePositional(positionals, 'server');
    const { client } = ctx.open();
    const { removed } = await client.servers.remove({ id: ref });
    ctx.io.out(`Removed ${removed}.`);
    return 0;
  },
};
