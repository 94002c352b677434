import type { PowerAction, ServerView } from '../../../shared/server';
import { UsageError } from './args';

/**
 * The options `add` and `edit` share: every setting of the UI's server form. They only build the
 * request; the contract's schema (shared/server.ts) judges it, so the CLI refuses exactly what
 * the form and the web face refuse, with the same words. Numbers are passed on as numbers when
 * they are digits, and as typed otherwise, for the schema to name.
 */
const ACTIONS = ['wake', 'suspend', 'hibernate', 'shutdown', 'reboot'] as const;
const TIMED = ['wake', 'suspend', 'shutdown', 'reboot'] as const;

const commandFlags = Object.fromEntries(ACTIONS.flatMap((a) => [[`${a}-command`, { type: 'string' }], [`${a}-runs-on`, { type: 'string' }]])) as Record<
  `${PowerAction}-command` | `${PowerAction}-runs-on`,
  { type: 'string' }
>;
const timeoutFlags = Object.fromEntries(TIMED.map((a) => [`${a}-timeout`, { type: 'string' }])) as Record<`${(typeof TIMED)[number]}-timeout`, { type: 'string' }>;

export const SERVER_FLAGS = {
  address: { type: 'string' },
  kind: { type: 'string' },
  mac: { type: 'string' },
  port: { type: 'string', multiple: true },
  parent: { type: 'string' },
  notes: { type: 'string' },
  name: { type: 'string' },
  desired: { type: 'string' },
  'ssh-user': { type: 'string' },
  'ssh-port': { type: 'string' },
  'ssh-key': { type: 'string' },
  'ssh-auth': { type: 'string' },
  'ssh-password-stdin': { type: 'boolean' },
  'wol-port': { type: 'string', multiple: true },
  'wol-target': { type: 'string', multiple: true },
  'wol-netmask': { type: 'string' },
  'wol-source': { type: 'string' },
  'wol-broadcast': { type: 'boolean' },
  'no-wol-broadcast': { type: 'boolean' },
  'wol-directed': { type: 'boolean' },
  'no-wol-directed': { type: 'boolean' },
  'wol-unicast': { type: 'boolean' },
  'no-wol-unicast': { type: 'boolean' },
  'wol-secureon': { type: 'boolean' },
  'no-wol-secureon': { type: 'boolean' },
  'wol-password-stdin': { type: 'boolean' },
  sudo: { type: 'boolean' },
  'no-sudo': { type: 'boolean' },
  ...commandFlags,
  ...timeoutFlags,
} as const;

export const SERVER_FLAGS_HELP = `  --address A             IPv4 or IPv6 address, or host name
  --kind K                physical | proxmox-node | vm | lxc (default physical)
  --mac M                 MAC for Wake-on-LAN: aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff,
                          aabb.ccdd.eeff or aabbccddeeff ('' removes it)
  --port P                a TCP port that means "up" (repeatable; default 22)
  --parent NAME           the server this one runs on (woken first)
  --notes TEXT            free text shown on the card
  --desired STATE         on | off | suspended | none: where the reconcile loop keeps it
  --ssh-user U            SSH user for power commands and metrics
  --ssh-port P            SSH port (default 22)
  --ssh-key FILE          private key file for SSH
  --ssh-auth A            key | agent | password (default key)
  --ssh-password-stdin    read the SSH password (auth password) or the key's passphrase
                          from stdin
  --wol-port P            UDP port of the magic packet (repeatable; default 9 and 7)
  --wol-target A          one more address to send it to: a relay, a router (repeatable;
                          '' removes them all)
  --wol-netmask M         the subnet's netmask or prefix length, for the directed broadcast
  --wol-source A          local IPv4 address the packet leaves from
  --[no-]wol-broadcast    send to 255.255.255.255 (default on)
  --[no-]wol-directed     send to the subnet's broadcast address (default on)
  --[no-]wol-unicast      send to the server's own address too (default off)
  --[no-]wol-secureon     append the stored SecureOn password (default off)
  --wol-password-stdin    read the SecureOn password from stdin (turns SecureOn on); with
                          --ssh-password-stdin too, the SSH one is stdin's first line, this
                          the second
  --[no-]sudo             prefix power commands with sudo -n
  --ACTION-command CMD    custom command for wake, suspend, hibernate, shutdown or reboot;
                          {ip} and {mac} are filled in ('' removes it)
  --ACTION-runs-on WHERE  ssh (on the server; wake on its parent) | local (here)
  --ACTION-timeout S      seconds the transition may take (wake, suspend, shutdown,
                          reboot; 1 to 3600)`;

export type ServerFlags = {
  [K in keyof typeof SERVER_FLAGS]?: (typeof SERVER_FLAGS)[K] extends { multiple: true } ? string[] : (typeof SERVER_FLAGS)[K] extends { type: 'boolean' } ? boolean : string;
};

/** Which option sets a request field, to name it beside the schema's reason. */
export function serverFlagFor(field: string): string | undefined {
  const path = field.replace(/^patch\./, '');
  const direct: Record<string, string> = {
    name: '<name>/--name',
    address: '--address',
    kind: '--kind',
    mac: '--mac',
    parentId: '--parent',
    notes: '--notes',
    desired: '--desired',
    'ssh.user': '--ssh-user',
    'ssh.port': '--ssh-port',
    'ssh.keyPath': '--ssh-key',
    'ssh.auth': '--ssh-auth',
    'wol.netmask': '--wol-netmask',
    'wol.bindAddress': '--wol-source',
    value: '--*-password-stdin',
  };
  if (direct[path]) return direct[path];
  if (/^ports(\.|$)/.test(path)) return '--port';
  if (/^wol\.ports(\.|$)/.test(path)) return '--wol-port';
  if (/^wol\.extraTargets(\.|$)/.test(path)) return '--wol-target';
  const cmd = /^powerControl\.customCommands\.(\w+)\.(command|runOn)/.exec(path);
  if (cmd) return `--${cmd[1]}-${cmd[2] === 'runOn' ? 'runs-on' : 'command'}`;
  const timeout = /^powerControl\.timeouts\.(\w+)Ms/.exec(path);
  if (timeout) return `--${timeout[1]}-timeout`;
  return undefined;
}

/** Digits become a number; anything else goes on as typed, for the schema to refuse in its words. */
function num(text: string): number | string {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : text;
}

/** A --x / --no-x pair: true, false, or undefined when neither was given. */
function both(values: ServerFlags, on: keyof ServerFlags, off: keyof ServerFlags): boolean | undefined {
  if (values[on] && values[off]) throw new UsageError(`--${String(on)} and --${String(off)} contradict each other`);
  return values[on] ? true : values[off] ? false : undefined;
}

/** Sets `key` on `target` when `value` was given. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

/**
 * The request fields the options stand for. On `edit`, a nested setting (ssh, wol, power
 * commands) is sent whole, so it starts from the server's current one and only what the options
 * name changes. `desired none` is left out here: the edit clears it through power.setDesired.
 */
export function serverRequestFromFlags(values: ServerFlags, servers: readonly ServerView[], current?: ServerView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  put(out, 'name', values.name);
  put(out, 'address', values.address);
  put(out, 'kind', values.kind);
  put(out, 'mac', values.mac);
  put(out, 'notes', values.notes);
  if (values.desired !== undefined && values.desired !== 'none') out.desired = values.desired;
  if (values.port !== undefined) out.ports = values.port.map(num);
  if (values.parent !== undefined) {
    const parent = servers.find((s) => s.id === values.parent || s.name.toLowerCase() === values.parent?.toLowerCase());
    // An unknown parent goes on as typed: the engine refuses it under parentId.
    out.parentId = parent?.id ?? values.parent;
  }
  const ssh = sshFromFlags(values, current);
  if (ssh) out.ssh = ssh;
  const wol = wolFromFlags(values, current);
  if (wol) out.wol = wol;
  const power = powerFromFlags(values, current);
  if (power) out.powerControl = power;
  return out;
}

function sshFromFlags(values: ServerFlags, current: ServerView | undefined): Record<string, unknown> | undefined {
  const touched = values['ssh-user'] !== undefined || values['ssh-port'] !== undefined || values['ssh-key'] !== undefined || values['ssh-auth'] !== undefined;
  if (!touched) return undefined;
  const ssh: Record<string, unknown> = { ...(current?.ssh ?? {}) };
  // Without a user the schema says what an SSH user is.
  ssh.user = values['ssh-user'] ?? current?.ssh?.user ?? '';
  put(ssh, 'port', values['ssh-port'] === undefined ? undefined : num(values['ssh-port']));
  put(ssh, 'keyPath', values['ssh-key']);
  put(ssh, 'auth', values['ssh-auth']);
  if (ssh.keyPath === '') delete ssh.keyPath;
  return ssh;
}

function wolFromFlags(values: ServerFlags, current: ServerView | undefined): Record<string, unknown> | undefined {
  const wol: Record<string, unknown> = {};
  if (values['wol-port'] !== undefined) wol.ports = values['wol-port'].map(num);
  if (values['wol-target'] !== undefined) wol.extraTargets = values['wol-target'].filter((t) => t.trim() !== '');
  put(wol, 'netmask', values['wol-netmask']);
  if (values['wol-source'] !== undefined) wol.bindAddress = values['wol-source'] === '' ? undefined : values['wol-source'];
  put(wol, 'limitedBroadcast', both(values, 'wol-broadcast', 'no-wol-broadcast'));
  put(wol, 'directedBroadcast', both(values, 'wol-directed', 'no-wol-directed'));
  put(wol, 'unicast', both(values, 'wol-unicast', 'no-wol-unicast'));
  put(wol, 'secureOn', both(values, 'wol-secureon', 'no-wol-secureon'));
  if (values['wol-password-stdin'] && wol.secureOn === false) throw new UsageError('--wol-password-stdin turns SecureOn on; it cannot go with --no-wol-secureon');
  if (values['wol-password-stdin']) wol.secureOn = true;
  const touched = Object.keys(wol).length > 0 || values['wol-source'] !== undefined;
  if (!touched) return undefined;
  const merged: Record<string, unknown> = { ...(current?.wol ?? {}), ...wol };
  if (merged.bindAddress === undefined) delete merged.bindAddress;
  return merged;
}

function powerFromFlags(values: ServerFlags, current: ServerView | undefined): Record<string, unknown> | undefined {
  const base = current?.powerControl;
  const sudo = both(values, 'sudo', 'no-sudo');
  const commands: Record<string, unknown> = { ...(base?.customCommands ?? {}) };
  const timeouts: Record<string, unknown> = { ...(base?.timeouts ?? {}) };
  let touched = sudo !== undefined;
  for (const a of ACTIONS) {
    const command = values[`${a}-command`];
    const runsOn = values[`${a}-runs-on`];
    if (command === undefined && runsOn === undefined) continue;
    touched = true;
    const was = base?.customCommands[a];
    if (command === '') {
      delete commands[a];
      continue;
    }
    // A --ACTION-runs-on without a command of its own: the schema says a command is required.
    commands[a] = { command: command ?? was?.command ?? '', runOn: runsOn ?? was?.runOn ?? 'ssh' };
  }
  for (const a of TIMED) {
    const seconds = values[`${a}-timeout`];
    if (seconds === undefined) continue;
    touched = true;
    const n = num(seconds);
    timeouts[`${a}Ms`] = typeof n === 'number' ? n * 1000 : n;
  }
  if (!touched) return undefined;
  return { useSudo: sudo ?? base?.useSudo ?? false, customCommands: commands, timeouts };
}

/** The secrets the options ask to read from stdin, with the name each is stored under. */
export function secretsWanted(values: ServerFlags, auth: string | undefined): ('ssh.password' | 'ssh.passphrase' | 'wol.password')[] {
  const out: ('ssh.password' | 'ssh.passphrase' | 'wol.password')[] = [];
  if (values['ssh-password-stdin']) out.push(auth === 'password' ? 'ssh.password' : 'ssh.passphrase');
  if (values['wol-password-stdin']) out.push('wol.password');
  return out;
}
