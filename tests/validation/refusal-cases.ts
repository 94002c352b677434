import { emptyValues, toRawInput, type FieldKey, type ServerFormValues } from '../../src/renderer/lib/form-model';

/**
 * Bad inputs, each as the admin would type it into the desktop form, and what the contract's
 * schema says about it. The same case becomes the UI's typing, the CLI's argv and the WebSocket
 * request (the very request the form would send), so all three faces are held to one answer.
 */
export interface RefusalCase {
  what: string;
  /** What is typed, over a valid server (name probe, address 127.0.45.1). */
  typed: Partial<Omit<ServerFormValues, 'commands' | 'timeouts'>> & { wakeCommand?: string; wakeTimeout?: string };
  /** The input the form shows the error under. */
  field: FieldKey;
  /** The schema's path of the refused value (the WebSocket's `fields` key, the CLI's field). */
  path: string;
  /** A part of the schema's message. */
  says: RegExp;
}

const MAC = /not a MAC address; accepted forms: aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb\.ccdd\.eeff, aabbccddeeff/;
const ADDRESS = /an address is an IPv4 address \(four numbers 0–255\), an IPv6 address or a host name/;
const NUMERIC = /not an IPv4 address \(four numbers 0–255\), and a host name cannot be all digits and dots/;
const PORT = /a port is a whole number from 1 to 65535/;
const NAME = /a name is 1–63 letters, digits, spaces, dots, dashes or underscores/;

const mac = (m: string): RefusalCase => ({ what: `MAC ${m}`, typed: { mac: m }, field: 'mac', path: 'mac', says: MAC });
const address = (a: string, says = ADDRESS): RefusalCase => ({ what: `address ${a}`, typed: { address: a }, field: 'address', path: 'address', says });
const port = (p: string): RefusalCase => ({ what: `port ${p}`, typed: { ports: p }, field: 'ports', path: 'ports.0', says: PORT });
const name = (n: string): RefusalCase => ({ what: `name "${n}"`, typed: { name: n }, field: 'name', path: 'name', says: NAME });

export const CASES: RefusalCase[] = [
  mac('zz:11'),
  mac('not-a-mac'),
  mac('aa:bb:cc:dd:ee'),
  mac('aa:bb:cc:dd:ee:ff:00'),
  mac('gg:hh:ii:jj:kk:ll'),
  mac('aabb.ccdd'),
  mac('aa:bb-cc:dd:ee:ff'),
  mac('aabbccddeeff0'),
  address('999.1.2.3', NUMERIC),
  address('256.1.1.1', NUMERIC),
  address('1.2.3', NUMERIC),
  address('12345', NUMERIC),
  address('a;b'),
  address('host name'),
  address('-leading.example'),
  address('trailing-.example'),
  address('a..b'),
  address(':::1'),
  address(`${'x'.repeat(64)}.example`),
  address('$(reboot)'),
  port('0'),
  port('65536'),
  port('99999'),
  port('http'),
  port('-1'),
  { what: 'SSH port 70000', typed: { sshUser: 'root', sshPort: '70000' }, field: 'ssh.port', path: 'ssh.port', says: PORT },
  { what: 'SSH user "Root User"', typed: { sshUser: 'Root User' }, field: 'ssh.user', path: 'ssh.user', says: /an SSH user is a Unix user name/ },
  { what: 'WoL port 0', typed: { wolPorts: '0' }, field: 'wol.ports', path: 'wol.ports.0', says: PORT },
  { what: 'WoL target 999.1.2.3', typed: { wolTargets: '999.1.2.3' }, field: 'wol.extraTargets', path: 'wol.extraTargets.0', says: NUMERIC },
  { what: 'WoL source 300.1.1.1', typed: { wolBind: '300.1.1.1' }, field: 'wol.bindAddress', path: 'wol.bindAddress', says: /an IPv4 address like 192\.168\.1\.20/ },
  { what: 'WoL netmask "mask"', typed: { wolNetmask: 'mask' }, field: 'wol.netmask', path: 'wol.netmask', says: /a netmask like 255\.255\.255\.0 or a prefix length like 24/ },
  name(''),
  name('-dash-first'),
  name('semi;colon'),
  name('x'.repeat(64)),
  { what: 'wake command with {host}', typed: { wakeCommand: 'etherwake {host}' }, field: 'cmd.wake', path: 'powerControl.customCommands.wake.command', says: /the only placeholders are \{ip\} and \{mac\}/ },
  { what: 'wake command of 1001 characters', typed: { wakeCommand: `echo ${'x'.repeat(996)}` }, field: 'cmd.wake', path: 'powerControl.customCommands.wake.command', says: /a command is at most 1000 characters/ },
  { what: 'wake timeout 0 s', typed: { wakeTimeout: '0' }, field: 'timeout.wake', path: 'powerControl.timeouts.wakeMs', says: /a transition timeout is a whole number of seconds from 1 to 3600/ },
  { what: 'wake timeout 7200 s', typed: { wakeTimeout: '7200' }, field: 'timeout.wake', path: 'powerControl.timeouts.wakeMs', says: /a transition timeout is a whole number of seconds from 1 to 3600/ },
];

export const BASE = { name: 'probe', address: '127.0.45.1' };

/** The form's values for a case. */
export function formValues(c: RefusalCase): ServerFormValues {
  const { wakeCommand, wakeTimeout, ...typed } = c.typed;
  const v: ServerFormValues = { ...emptyValues(), ...BASE, ...typed };
  if (wakeCommand !== undefined) v.commands = { ...v.commands, wake: { command: wakeCommand, runOn: 'ssh' } };
  if (wakeTimeout !== undefined) v.timeouts = { ...v.timeouts, wake: wakeTimeout };
  return v;
}

/** The request the form stands for: what the WebSocket is sent. */
export function wsInput(c: RefusalCase): Record<string, unknown> {
  return toRawInput(formValues(c), 'add');
}

const list = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

/** The CLI's `add` for a case. */
export function cliArgv(c: RefusalCase): string[] {
  const t = { ...BASE, ...c.typed };
  const argv = ['add', `--address=${t.address}`];
  if (t.mac !== undefined) argv.push('--mac', t.mac);
  for (const p of list(t.ports ?? '')) argv.push(`--port=${p}`);
  if (t.sshUser !== undefined) argv.push('--ssh-user', t.sshUser);
  if (t.sshPort !== undefined) argv.push('--ssh-port', t.sshPort);
  for (const p of list(t.wolPorts ?? '')) argv.push(`--wol-port=${p}`);
  for (const a of list(t.wolTargets ?? '')) argv.push('--wol-target', a);
  if (t.wolBind !== undefined) argv.push('--wol-source', t.wolBind);
  if (t.wolNetmask !== undefined) argv.push('--wol-netmask', t.wolNetmask);
  if (t.wakeCommand !== undefined) argv.push('--wake-command', t.wakeCommand);
  if (t.wakeTimeout !== undefined) argv.push('--wake-timeout', t.wakeTimeout);
  // After `--`, a name that starts with a dash is still the name.
  argv.push('--', t.name);
  return argv;
}

/** Which fold of the form holds a field. */
export function sectionOf(field: FieldKey): 'ssh' | 'wol' | 'power' | undefined {
  if (field.startsWith('ssh.')) return 'ssh';
  if (field.startsWith('wol.')) return 'wol';
  if (field.startsWith('cmd.') || field.startsWith('timeout.')) return 'power';
  return undefined;
}
