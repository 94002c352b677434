import { serverInputSchema, SERVER_KINDS, type ServerKind, type ServerSpec, type ServerView } from '../../shared/server';

/** What the form's inputs hold: strings, as typed, until submit parses them. */
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
}

/** The keys errors are shown under: one per input, named like the schema's paths. */
export type FieldKey = 'name' | 'kind' | 'address' | 'mac' | 'ports' | 'ssh.user' | 'ssh.port' | 'ssh.auth' | 'ssh.keyPath' | 'parentId' | 'notes';
export type FieldErrors = Partial<Record<FieldKey, string>>;

const FIELD_KEYS: readonly FieldKey[] = ['name', 'kind', 'address', 'mac', 'ports', 'ssh.user', 'ssh.port', 'ssh.auth', 'ssh.keyPath', 'parentId', 'notes'];

export function emptyValues(): ServerFormValues {
  return { name: '', kind: 'physical', address: '', mac: '', ports: '', sshUser: '', sshPort: '', sshAuth: 'key', sshKeyPath: '', parentId: '', notes: '' };
}

export function valuesFromServer(s: ServerView): ServerFormValues {
  return {
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
  };
}

/** "22, 80 443" → [22, 80, 443]; anything that is not a number stays NaN so the schema names it. */
export function parsePorts(text: string): number[] | undefined {
  const parts = portTokens(text);
  if (parts.length === 0) return undefined;
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
}

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
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  return raw;
}

/** Maps a schema path ("ports.2", "patch.ssh.user") to the input it belongs under. */
export function fieldForPath(path: string): FieldKey | undefined {
  const p = path.replace(/^patch\./, '');
  if (p.startsWith('ports')) return 'ports';
  if (p === 'ssh') return 'ssh.user';
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

export type ParseResult = { ok: true; spec: ServerSpec } | { ok: false; errors: FieldErrors };

/** Client-side check with the very schema main uses, so the form and the engine never disagree. */
export function parseForm(values: ServerFormValues, mode: 'add' | 'edit'): ParseResult {
  const parsed = serverInputSchema.safeParse(toRawInput(values, mode));
  if (parsed.success) return { ok: true, spec: parsed.data };
  const errors = errorsFromIssues(parsed.error.issues);
  const badPort = parsed.error.issues.find((i) => i.path[0] === 'ports' && typeof i.path[1] === 'number');
  const token = badPort ? portTokens(values.ports)[badPort.path[1] as number] : undefined;
  if (token !== undefined && errors.ports) errors.ports = `“${token}”: ${errors.ports}`;
  return { ok: false, errors };
}

function portTokens(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}
