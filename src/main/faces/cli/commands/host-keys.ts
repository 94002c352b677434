import type { ServerView } from '../../../../shared/server';
import { wolOffInterface } from '../../../../shared/wol-readiness';
import { onePositional, parse } from '../args';
import type { Command, CliIo } from '../command';
import { changedKeyLines, HOST_KEY_FAILED, permanentlyAdded } from '../host-key-check';

export const initCommand: Command = {
  name: 'init',
  summary: "run a server's init now (OS, NICs, MACs, Wake-on-LAN), pinning its host key on first contact",
  usage: `rackdeck init <server> [--enable-wol] [--json]

Connects over SSH and reads the server's OS, system type, network interfaces, their MACs and
Wake-on-LAN state. On first contact the host key is pinned and printed as ssh does
("Permanently added … (ED25519)" and its SHA256 fingerprint): compare it with the server's.
A key other than the pinned one is refused with both fingerprints (exit 255): see
\`rackdeck trust\`. Exit code 0 when the init succeeded, 1 when it failed.
  --enable-wol   then turn Wake-on-LAN on (ethtool -s IFACE wol g over SSH) on the interface
                 whose MAC is used, when init found it off
  --json         print the server as JSON`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' }, 'enable-wol': { type: 'boolean' } });
    const ref = onePositional(positionals, 'server');
    const { client } = ctx.open();
    const check = await client.hostKeys.check({ id: ref });
    if (check.status === 'changed') {
      for (const line of changedKeyLines(check, ref)) ctx.io.err(line);
      return HOST_KEY_FAILED;
    }
    if (check.status === 'unknown') {
      // Init is the first contact: it pins the key it was shown (only if nothing was pinned meanwhile), and says so.
      const trusted = await client.hostKeys.trust({ id: ref, fingerprint: check.offered.fingerprint, firstUse: true });
      if (trusted.added) ctx.io.err(permanentlyAdded(trusted.host, trusted.key.typeLabel));
      ctx.io.out(`${trusted.key.typeLabel} key fingerprint is ${trusted.key.fingerprint}.`);
    } else if (!values.json) {
      // Pinned before (by an earlier init, a trust, or a running engine's own first contact): said all the same.
      ctx.io.out(`${check.offered.typeLabel} key fingerprint is ${check.offered.fingerprint}. It is pinned for '${check.host}'.`);
    }
    let view = await client.power.init({ id: check.serverId });
    const off = values['enable-wol'] ? wolOffInterface(view) : undefined;
    if (off) {
      view = await client.power.useInterface({ id: view.id, interface: off.name, enableWol: true });
      if (!values.json) ctx.io.err(`Enabled Wake-on-LAN on ${off.name}.`);
    }
    if (values.json) ctx.io.out(JSON.stringify(view, null, 2));
    else printInit(view, ctx.io);
    const failed = view.lastError?.action === 'init';
    if (failed && !values.json) ctx.io.err(`rackdeck init: ${view.lastError?.message}${view.lastError?.hint ? `\n${view.lastError.hint}` : ''}`);
    return failed ? 1 : 0;
  },
};

function printInit(view: ServerView, io: CliIo): void {
  const sys = view.system;
  if (!sys?.initialisedAt) return;
  io.out(`${view.name}: ${sys.os ?? 'unknown OS'} (${sys.systemType}${sys.hibernate ? ', can hibernate' : ''})`);
  for (const nic of sys.interfaces) {
    const wol = nic.wolEnabled === undefined ? 'WoL unknown' : nic.wolEnabled ? 'WoL on' : nic.wolSupported === false ? 'WoL not supported' : 'WoL off';
    const used = view.mac && nic.mac.toLowerCase() === view.mac.toLowerCase() ? '  (its MAC is used for Wake-on-LAN)' : '';
    io.out(`  ${nic.name}  ${nic.mac}  ${nic.up ? 'up' : 'down'}  ${wol}${used}`);
  }
  if (sys.suggestedMac) io.out(`  Suggested MAC for Wake-on-LAN: ${sys.suggestedMac}`);
  const used = wolOffInterface(view);
  if (used) {
    io.err(`Warning: Wake-on-LAN is off on ${used.name}, whose MAC is used: ${view.name} will not come back by Wake-on-LAN once it is down. Enable it: rackdeck init ${view.name} --enable-wol`);
  }
}

export const trustCommand: Command = {
  name: 'trust',
  summary: "accept a server's SSH host key (after a reinstall), only the one you compared",
  usage: `rackdeck trust <server> [--fingerprint SHA256:…]

Pins the host key the server offers now, replacing a pinned one (a reinstalled server).
  --fingerprint SHA256:…   accept only that exact key (compare it with the server's:
                           ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on it); another
                           key is refused and nothing is pinned (exit 1)
Without --fingerprint the offered key is shown and accepted. Exit code 0 when pinned.`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { fingerprint: { type: 'string' } });
    const ref = onePositional(positionals, 'server');
    const { client } = ctx.open();
    let fingerprint = values.fingerprint;
    if (fingerprint === undefined) {
      const check = await client.hostKeys.check({ id: ref });
      ctx.io.out(`'${check.host}' offers ${check.offered.typeLabel} key ${check.offered.fingerprint}.`);
      if (check.pinned && check.status === 'changed') ctx.io.out(`Pinned until now: ${check.pinned.typeLabel} key ${check.pinned.fingerprint}.`);
      fingerprint = check.offered.fingerprint;
    }
    const trusted = await client.hostKeys.trust({ id: ref, fingerprint });
    if (!trusted.added) ctx.io.out(`${trusted.key.typeLabel} key ${trusted.key.fingerprint} is already pinned for '${trusted.host}'.`);
    else if (trusted.replaced) ctx.io.out(`Accepted ${trusted.key.typeLabel} key ${trusted.key.fingerprint} for '${trusted.host}' (replaces ${trusted.replaced}).`);
    else {
      ctx.io.err(permanentlyAdded(trusted.host, trusted.key.typeLabel));
      ctx.io.out(`${trusted.key.typeLabel} key fingerprint is ${trusted.key.fingerprint}.`);
    }
    return 0;
  },
};
