import { ACTION_LABELS } from '../../../../shared/contract/power';
import { POWER_LABELS } from '../../../../shared/power';
import type { PowerAction, ServerView } from '../../../../shared/server';
import { onePositional, parse, UsageError } from '../args';
import { powersDown } from '../../../../shared/wol-readiness';
import type { Command } from '../command';
import { guardWolOff, terminalAsk } from '../wol-guard';
import { FILTER_FLAGS } from '../filter';
import { runBulk } from './groups';

export const wolCommand: Command = {
  name: 'wol',
  summary: 'send one Wake-on-LAN magic packet',
  usage: `rackdeck wol <MAC> [--address A] [--port P] [--password PW] [--json]

Sends one magic packet as told. To wake a configured server the full way (every target,
its parent first), use: rackdeck wake <server>
  MAC            aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff
                 (anything else exits 2 and sends nothing)
  --address A    IPv4 address to send to (default 255.255.255.255)
  --port P       UDP port (default 9)
  --password PW  SecureOn password: a.b.c.d or aa:bb:cc:dd:ee:ff
  --json         machine-readable output`,
  flagFor: (field) => ({ mac: '<MAC>', address: '--address', port: '--port', password: '--password' })[field],
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { address: { type: 'string' }, port: { type: 'string' }, password: { type: 'string' }, json: { type: 'boolean' } });
    const mac = onePositional(positionals, 'MAC');
    // The contract's schema judges the request: a bad MAC, address or port exits 2, naming it.
    const port = values.port === undefined ? undefined : /^\d+$/.test(values.port) ? Number(values.port) : values.port;
    const { client } = ctx.open();
    const report = await client.power.wol({ mac, ...(values.address !== undefined ? { address: values.address } : {}), ...(port !== undefined ? { port: port as number } : {}), ...(values.password !== undefined ? { password: values.password } : {}) });
    if (values.json) ctx.io.out(JSON.stringify(report, null, 2));
    else for (const s of report.sent) ctx.io.out(`Sent a magic packet for ${report.mac} to ${s.address}:${s.port} (${report.bytes} bytes)${s.ok ? '' : `: FAILED ${s.error ?? ''}`}`);
    return 0;
  },
};

const DESCRIPTIONS: Record<PowerAction, string> = {
  wake: 'wake a server (Wake-on-LAN or its wake command), its parents first',
  suspend: 'suspend a server over SSH',
  hibernate: 'hibernate a server over SSH',
  shutdown: 'shut a server down over SSH',
  reboot: 'reboot a server over SSH',
};

/** Exit codes: 0 target reached (or command sent without --wait), 1 failed, 3 timed out. */
function powerCommand(action: PowerAction): Command {
  return {
    name: action,
    summary: DESCRIPTIONS[action],
    usage: `rackdeck ${action} <server> [--wait] [--json]${action === 'wake' ? '' : ' [--yes]'}${powersDown(action) ? ' [--enable-wol]' : ''}
       rackdeck ${action} --group G [--tag T] [--spacing MS] [--yes] [--json]

${ACTION_LABELS[action]}: sets the transitional state and sends the command.
  --wait    return when the target state is observed or the timeout passes
            (exit code 0 reached, 1 failed, 3 timed out)
  --json    print the server as JSON${action === 'wake' ? '' : '\n  --yes     go ahead even if the server still runs child servers'}${
    powersDown(action)
      ? `, or if init found Wake-on-LAN off on its interface
  --enable-wol  when init found Wake-on-LAN off on the interface whose MAC is used, enable it
            first (ethtool -s IFACE wol g over SSH). Without it or --yes, a terminal is
            asked and a script is refused (exit 1): the server would not come back by WoL`
      : ''
  }

With --group and/or --tag, every server in them (issue 17): the plan (order, offsets, who is
skipped and why) is printed and asked about first (--yes in scripts). ${action === 'wake' ? 'Parents wake first, each\nwake --spacing MS (default: rackdeck group spacing) after the one before.' : 'Children go first; a\nparent whose running children are not in the selection is skipped.'}`,
    async run(argv, ctx) {
      const { values, positionals } = parse(argv, { wait: { type: 'boolean' }, json: { type: 'boolean' }, yes: { type: 'boolean' }, 'enable-wol': { type: 'boolean' }, spacing: { type: 'string' }, ...FILTER_FLAGS });
      if (values['enable-wol'] && !powersDown(action)) throw new UsageError(`--enable-wol is for suspend, hibernate and shutdown`);
      if (values.group !== undefined || values.tag !== undefined) {
        if (positionals.length > 0) throw new UsageError('give a server, or --group/--tag, not both');
        if (values.wait) throw new UsageError('--wait is for one server; a bulk action returns once every command was sent');
        if (values['enable-wol']) throw new UsageError('--enable-wol is for one server');
        return runBulk(action, values, ctx);
      }
      if (values.spacing !== undefined) throw new UsageError('--spacing goes with --group or --tag');
      const ref = onePositional(positionals, 'server');
      const { client } = ctx.open();
      // Learn the current state first: a command's own engine has not probed yet, and a running one may be a sweep behind.
      const before = await client.servers.refresh({ id: ref });
      const stop = await guardWolOff(client, before, action, ctx.io, { yes: values.yes === true, enableWol: values['enable-wol'] === true, ask: terminalAsk() });
      if (stop !== undefined) return stop;
      const started = await client.power.run({ id: before.id, action, ...(values.yes ? { confirm: true } : {}) });
      const id = started.id;
      // Keep the process alive while a command's own engine polls and sends on its (unref'd) timers.
      const keepAlive = setInterval(() => {}, 60_000);
      let lastStep = started.transition?.step;
      const off = client.on('servers.patch', (patch) => {
        const v = patch.upsert.find((s) => s.id === id);
        const step = v?.transition?.step;
        if (!values.json && step && step !== lastStep) ctx.io.out(`  ${step}`);
        lastStep = step ?? lastStep;
      });
      // A host key pinned on first contact by this command is said as ssh says it, never quietly (issue 13).
      const offNotice = client.on('notice', (n) => {
        if (n.serverId === id && n.title.startsWith('Host key of ')) ctx.io.err(`Warning: ${n.body}`);
      });
      try {
        if (!values.json) ctx.io.out(`${started.name}: ${POWER_LABELS[before.power]} → ${POWER_LABELS[started.power]}`);
        const { server: afterSend } = await client.power.wait({ id, until: 'sent' });
        if (afterSend.lastError && !afterSend.transition) return report(afterSend, 'failed', values.json, ctx.io);
        if (!values.wait) {
          if (values.json) ctx.io.out(JSON.stringify(afterSend, null, 2));
          else ctx.io.out(`${afterSend.name}: ${POWER_LABELS[afterSend.power]} (command sent; not waiting)`);
          return 0;
        }
        const settled = await client.power.wait({ id, until: 'settled' });
        return report(settled.server, settled.outcome ?? 'reached', values.json, ctx.io);
      } finally {
        off();
        offNotice();
        clearInterval(keepAlive);
      }
    },
  };
}

function report(view: ServerView, outcome: 'reached' | 'timeout' | 'failed', json: boolean | undefined, io: { out(l: string): void; err(l: string): void }): number {
  if (json) io.out(JSON.stringify({ outcome, server: view }, null, 2));
  else if (outcome === 'reached') io.out(`${view.name}: ${POWER_LABELS[view.power]}`);
  else {
    io.err(`${view.name}: ${outcome === 'timeout' ? 'timed out' : 'failed'}, now ${POWER_LABELS[view.power]}`);
    if (view.lastError) io.err(`  ${view.lastError.message}`);
    if (view.lastError?.hint) io.err(`  try: ${view.lastError.hint}`);
  }
  return outcome === 'reached' ? 0 : outcome === 'failed' ? 1 : 3;
}

export const powerCommands: Command[] = (['wake', 'suspend', 'hibernate', 'shutdown', 'reboot'] as const).map(powerCommand);
