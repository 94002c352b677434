import { isSecureOnPassword, MAC_MESSAGE, normalizeMac, SECUREON_MESSAGE } from '../../shared/net-syntax';
import { POWER_ACTIONS, serverInputSchema, SERVER_KINDS, type PowerAction, type ServerKind, type ServerSpec, type ServerView } from '../../shared/server';

/** What the form's inputs hold: strings and switches, as typed, until submit parses them. */
export interface ServerFormValues {
  name: string;
  kind: ServerKind;
  address: string;
  mac: string;
  ports: string;
  sshUser: string;
  sshPort: string;
  sshAuth: 'key' | 'agent' | 'password';
  sshKeyPath: string;
  parentId: string;
  notes: string;
  // Wake-on-LAN (sent only when it differs from the defaults or the server had settings).
  wolPorts: string;
  wolTargets: string;
  wolNetmask: string;
  wolDirected: boolean;
  wolLimited: boolean;
  wolUnicast: boolean;
  wolBind: string;
  wolSecureOn: boolean;
  // Power commands.
  useSudo: boolean;
  commands: Record<PowerAction, { command: string; runOn: 'ssh' | 'local' }>;
  /** Seconds, as typed; empty keeps the default. */
  timeouts: { wake: string; suspend: string; shutdown: string; reboot: string };
  /** The server had WoL / power settings of its own: an edit sends them even when they look like the defaults. */
  hadWol: boolean;
  hadPower: boolean;
}

/** Secrets typed in the form: sent to main's secrets store after the server is saved, never kept. */
export interface SecretValues {
  sshPassword: string;
  sshPassphrase: string;
  wolPassword: string;
  /** Remove the stored one. */
  clear: { sshPassword: boolean; sshPassphrase: boolean; wolPassword: boolean };
}

/** The keys errors are shown under: one per input, named like the schema's paths. */
export type FieldKey =
  | 'name'
  | 'kind'
  | 'address'
  | 'mac'
  | 'ports'
  | 'ssh.user'
  | 'ssh.port'
  | 'ssh.auth'
  | 'ssh.keyPath'
  | 'ssh.password'
  | 'ssh.passphrase'
  | 'parentId'
  | 'notes'
  | 'wol.ports'
  | 'wol.extraTargets'
  | 'wol.netmask'
  | 'wol.bindAddress'
  | 'wol.password'
  | `cmd.${PowerAction}`
  | `timeout.${'wake' | 'suspend' | 'shutdown' | 'reboot'}`;
export type FieldErrors = Partial<Record<FieldKey, string>>;

const FIELD_KEYS: readonly FieldKey[] = ['name', 'kind', 'address', 'mac', 'ports', 'ssh.user', 'ssh.port', 'ssh.auth', 'ssh.keyPath', 'parentId', 'notes', 'wol.netmask', 'wol.bindAddress'];

const WOL_DEFAULTS = { ports: '9, 7', netmask: '255.255.255.0', directed: true, limited: true, unicast: false };
const TIMEOUT_KEYS = ['wake', 'suspend', 'shutdown', 'reboot'] as const;

function emptyCommands(): ServerFormValues['commands'] {
  return Object.fromEntries(POWER_ACTIONS.map((a) => [a, { command: '', runOn: 'ssh' }])) as ServerFormValues['commands'];
}

export function emptyValues(): ServerFormValues {
  return {
    name: '',
    kind: 'physical',
    address: '',
    mac: '',
    ports: '',
    sshUser: '',
    sshPort: '',
    sshAuth: 'key',
    sshKeyPath: '',
    parentId: '',
    notes: '',
    wolPorts: WOL_DEFAULTS.ports,
    wolTargets: '',
    wolNetmask: WOL_DEFAULTS.netmask,
    wolDirected: WOL_DEFAULTS.directed,
    wolLimited: WOL_DEFAULTS.limited,
    wolUnicast: WOL_DEFAULTS.unicast,
    wolBind: '',
    wolSecureOn: false,
    useSudo: false,
    commands: emptyCommands(),
    timeouts: { wake: '', suspend: '', shutdown: '', reboot: '' },
    hadWol: false,
    hadPower: false,
  };
}

export function emptySecrets(): SecretValues {
  return { sshPassword: '', sshPassphrase: '', wolPassword: '', clear: { sshPassword: false, sshPassphrase: false, wolPassword: false } };
}

const seconds = (ms: number | undefined) => (ms === undefined ? '' : String(Math.round(ms / 1000)));

export function valuesFromServer(s: ServerView): ServerFormValues {
  const wol = s.wol;
  const pc = s.powerControl;
  const commands = emptyCommands();
  for (const a of POWER_ACTIONS) {
    const c = pc?.customCommands[a];
    if (c) commands[a] = { command: c.command, runOn: c.runOn };
  }
  return {
    ...emptyValues(),
    name: s.name,
    kind: (SERVER_KINDS as readonly string[]).includes(s.kind) ? s.kind : 'physical',
    address: s.address,
    mac: s.mac ?? '',
    ports: s.ports.join(', '),
    sshUser: s.ssh?.user ?? '',
    sshPort: s.ssh ? String(s.ssh.port) : '',
    sshAuth: s.ssh?.auth ?? 'key',
    sshKeyPath: s.ssh?.keyPath ?? '',
    parentId: s.parentId ?? '',
    notes: s.notes ?? '',
    ...(wol
      ? {
          wolPorts: wol.ports.join(', '),
          wolTargets: wol.extraTargets.join(', '),
          wolNetmask: wol.netmask,
          wolDirected: wol.directedBroadcast,
          wolLimited: wol.limitedBroadcast,
          wolUnicast: wol.unicast,
          wolBind: wol.bindAddress ?? '',
          wolSecureOn: wol.secureOn,
          hadWol: true,
        }
      : {}),
    ...(pc
      ? {
          useSudo: pc.useSudo,
          commands,
          timeouts: { wake: seconds(pc.timeouts.wakeMs), suspend: seconds(pc.timeouts.suspendMs), shutdown: seconds(pc.timeouts.shutdownMs), reboot: seconds(pc.timeouts.rebootMs) },
          hadPower: true,
        }
      : {}),
  };
}

/** "22, 80 443" → [22, 80, 443]; anything that is not a number stays NaN so the schema names it. */
export function parsePorts(text: string): number[] | undefined {
  const parts = tokens(text);
  if (parts.length === 0) return undefined;
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
}

/** Whether the WoL section says anything the defaults do not. */
export function wolChanged(v: ServerFormValues): boolean {
  return (
    v.hadWol ||
    tokens(v.wolPorts).join(',') !== '9,7' ||
    v.wolTargets.trim() !== '' ||
    v.wolNetmask.trim() !== WOL_DEFAULTS.netmask ||
    v.wolDirected !== WOL_DEFAULTS.directed ||
    v.wolLimited !== WOL_DEFAULTS.limited ||
    v.wolUnicast !== WOL_DEFAULTS.unicast ||
    v.wolBind.trim() !== '' ||
    v.wolSecureOn
  );
}

/** Whether the power section says anything the defaults do not. */
export function powerChanged(v: ServerFormValues): boolean {
  return v.hadPower || v.useSudo || POWER_ACTIONS.some((a) => v.commands[a].command.trim() !== '') || TIMEOUT_KEYS.some((k) => v.timeouts[k].trim() !== '');
}

const msOf = (text: string) => (text.trim() === '' ? undefined : /^\d+$/.test(text.trim()) ? Number(text.trim()) * 1000 : Number.NaN);

/**
 * The raw request the form stands for. When editing, an emptied MAC or note is sent as '' so the
 * engine clears it (an absent key means "leave as is").
 */
export function toRawInput(v: ServerFormValues, mode: 'add' | 'edit'): Record<string, unknown> {
  const blank = mode === 'edit' ? '' : undefined;
  const sshUsed = v.sshUser.trim() !== '' || v.sshPort.trim() !== '' || v.sshKeyPath.trim() !== '';
  const raw: Record<string, unknown> = {
    name: v.name,
    kind: v.kind,
    address: v.address,
    mac: v.mac.trim() || blank,
    ports: parsePorts(v.ports),
    parentId: v.parentId || undefined,
    notes: v.notes.trim() ? v.notes : blank,
  };
  if (sshUsed) {
    raw.ssh = {
      user: v.sshUser,
      port: v.sshPort.trim() === '' ? undefined : /^\d+$/.test(v.sshPort.trim()) ? Number(v.sshPort.trim()) : Number.NaN,
      auth: v.sshAuth,
      keyPath: v.sshKeyPath.trim() || undefined,
    };
  }
  if (wolChanged(v)) {
    raw.wol = {
      netmask: v.wolNetmask.trim() || undefined,
      directedBroadcast: v.wolDirected,
      limitedBroadcast: v.wolLimited,
      unicast: v.wolUnicast,
      extraTargets: tokens(v.wolTargets),
      ports: parsePorts(v.wolPorts),
      bindAddress: v.wolBind.trim() || undefined,
      secureOn: v.wolSecureOn,
    };
  }
  if (powerChanged(v)) {
    const customCommands: Record<string, unknown> = {};
    for (const a of POWER_ACTIONS) {
      const c = v.commands[a];
      if (c.command.trim() !== '') customCommands[a] = { command: c.command.trim(), runOn: c.runOn };
    }
    const timeouts: Record<string, unknown> = {};
    for (const k of TIMEOUT_KEYS) {
      const ms = msOf(v.timeouts[k]);
      if (ms !== undefined) timeouts[`${k}Ms`] = ms;
    }
    raw.powerControl = { useSudo: v.useSudo, customCommands, timeouts };
  }
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  return raw;
}

/** Maps a schema path ("ports.2", "patch.ssh.user", "wol.ports.0") to the input it belongs under. */
export function fieldForPath(path: string): FieldKey | undefined {
  const p = path.replace(/^patch\./, '');
  if (p.startsWith('ports')) return 'ports';
  if (p === 'ssh') return 'ssh.user';
  if (p.startsWith('wol.ports')) return 'wol.ports';
  if (p.startsWith('wol.extraTargets')) return 'wol.extraTargets';
  const cmd = /^powerControl\.customCommands\.(wake|suspend|hibernate|shutdown|reboot)/.exec(p);
  if (cmd) return `cmd.${cmd[1] as PowerAction}`;
  const timeout = /^powerControl\.timeouts\.(wake|suspend|shutdown|reboot)Ms/.exec(p);
  if (timeout) return `timeout.${timeout[1] as 'wake'}`;
  return FIELD_KEYS.find((k) => k === p);
}

export function errorsFromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = fieldForPath(issue.path.map(String).join('.'));
    if (key && !out[key]) out[key] = issue.message;
  }
  return out;
}

/** Errors the engine sent back (RackdeckError.fields), keyed the same way as the client's own. */
export function errorsFromServer(fields: Record<string, string> | undefined): { fields: FieldErrors; unplaced: string[] } {
  const out: FieldErrors = {};
  const unplaced: string[] = [];
  for (const [path, message] of Object.entries(fields ?? {})) {
    const key = fieldForPath(path);
    if (key) out[key] ??= message;
    else unplaced.push(path === '(input)' ? message : `${path}: ${message}`);
  }
  return { fields: out, unplaced };
}


/** The contract's own MAC check (shared/net-syntax.ts), for a hint before submit. */
export function macError(mac: string): string | undefined {
  const m = mac.trim();
  return m === '' || normalizeMac(m) !== undefined ? undefined : MAC_MESSAGE;
}

export function secureOnError(pw: string): string | undefined {
  const p = pw.trim();
  return p === '' || isSecureOnPassword(p) ? undefined : SECUREON_MESSAGE;
}

export type ParseResult = { ok: true; spec: ServerSpec } | { ok: false; errors: FieldErrors };

/**
 * Client-side check with the very schema main uses, so the form and the engine never disagree.
 * A discovered guest may have no address known yet (issue 15): editing its other settings
 * leaves it without one (the address is then left out of the edit), typing one sets it.
 */
export function parseForm(values: ServerFormValues, mode: 'add' | 'edit', secrets: SecretValues = emptySecrets()): ParseResult {
  const noAddress = mode === 'edit' && (values.kind === 'vm' || values.kind === 'lxc') && values.address.trim() === '';
  const result = parseChecked(noAddress ? { ...values, address: '127.0.0.1' } : values, mode, secrets);
  if (!noAddress || !result.ok) return result;
  const { address: _placeholder, ...spec } = result.spec;
  return { ok: true, spec: spec as ServerSpec };
}

function parseChecked(values: ServerFormValues, mode: 'add' | 'edit', secrets: SecretValues): ParseResult {
  const parsed = serverInputSchema.safeParse(toRawInput(values, mode));
  const errors: FieldErrors = parsed.success ? {} : errorsFromIssues(parsed.error.issues);
  if (!parsed.success) {
    const badPort = parsed.error.issues.find((i) => i.path[0] === 'ports' && typeof i.path[1] === 'number');
    const token = badPort ? tokens(values.ports)[badPort.path[1] as number] : undefined;
    if (token !== undefined && errors.ports) errors.ports = `“${token}”: ${errors.ports}`;
  }
  const mac = macError(values.mac);
  if (mac && !errors.mac) errors.mac = mac;
  const pw = values.wolSecureOn ? secureOnError(secrets.wolPassword) : undefined;
  if (pw) errors['wol.password'] = pw;
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, spec: parsed.data };
  return { ok: false, errors };
}

function tokens(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}
