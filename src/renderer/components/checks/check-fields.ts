import { checkSpecSchema, type CheckDef, type CheckKind, type CheckSpecInput } from '../../../shared/contract/checks';

/**
 * The form's fields per check kind, and the turn of a draft (text as typed) into the contract's
 * input. The contract's schema judges it, so the form and main refuse the same things.
 */
export type FieldType = 'text' | 'number' | 'bool' | 'list' | 'select';
export interface FieldDef {
  key: string;
  label: string;
  type: FieldType;
  placeholder?: string;
  options?: readonly string[];
}

const COMMON: FieldDef[] = [
  { key: 'name', label: 'Name', type: 'text', placeholder: 'optional' },
  { key: 'intervalSec', label: 'Every (s)', type: 'number', placeholder: 'default for the kind' },
  { key: 'failAfter', label: 'Failures before failing', type: 'number', placeholder: '1' },
  { key: 'timeoutMs', label: 'Timeout (ms)', type: 'number', placeholder: '10000' },
];

export const KIND_FIELDS: Record<CheckKind, FieldDef[]> = {
  ping: [{ key: 'fallbackPort', label: 'TCP port if ICMP is not allowed', type: 'number', placeholder: "the server's first port" }],
  http: [
    { key: 'url', label: 'URL', type: 'text', placeholder: 'https://nas.lan/' },
    { key: 'method', label: 'Method', type: 'select', options: ['GET', 'HEAD'] },
    { key: 'keyword', label: 'Keyword', type: 'text', placeholder: 'optional' },
    { key: 'keywordAbsent', label: 'Keyword must NOT appear', type: 'bool' },
    { key: 'statusMin', label: 'Lowest good status', type: 'number', placeholder: '200' },
    { key: 'statusMax', label: 'Highest good status', type: 'number', placeholder: '399' },
    { key: 'maxResponseMs', label: 'Slow above (ms)', type: 'number', placeholder: 'optional' },
    { key: 'followRedirects', label: 'Follow redirects', type: 'bool' },
    { key: 'verifyTls', label: 'Verify the certificate', type: 'bool' },
    { key: 'certWarnDays', label: 'Certificate warning (days)', type: 'number', placeholder: '21' },
    { key: 'certFailDays', label: 'Certificate failing (days)', type: 'number', placeholder: '7' },
  ],
  dns: [
    { key: 'name', label: 'Name to resolve', type: 'text', placeholder: 'nas.home.arpa' },
    { key: 'recordType', label: 'Record', type: 'select', options: ['A', 'AAAA'] },
    { key: 'resolver', label: 'Resolver', type: 'text', placeholder: 'the server itself, or 192.0.2.53:5353' },
    { key: 'expected', label: 'Expected addresses', type: 'list', placeholder: 'comma-separated, optional' },
  ],
  smart: [{ key: 'devices', label: 'Disks', type: 'list', placeholder: 'every disk smartctl finds' }],
  temperature: [
    { key: 'warnC', label: 'Warning at °C', type: 'number', placeholder: '80' },
    { key: 'failC', label: 'Failing at °C', type: 'number', placeholder: '90' },
  ],
  disk: [
    { key: 'mount', label: 'Mount point', type: 'text', placeholder: '/' },
    { key: 'warnPercent', label: 'Warning at %', type: 'number', placeholder: '85' },
    { key: 'failPercent', label: 'Failing at %', type: 'number', placeholder: '95' },
    { key: 'warnDays', label: 'Warning when full within (days)', type: 'number', placeholder: '14' },
    { key: 'failDays', label: 'Failing when full within (days)', type: 'number', placeholder: '3' },
  ],
  systemd: [{ key: 'ignore', label: 'Units to ignore', type: 'list', placeholder: 'comma-separated' }],
  reboot: [{ key: 'failWhenPending', label: 'A pending reboot is failing (not a warning)', type: 'bool' }],
  apt: [{ key: 'failOnSecurity', label: 'Security upgrades make it failing', type: 'bool' }],
  backup: [
    { key: 'warnHours', label: 'Warning after (hours)', type: 'number', placeholder: '26' },
    { key: 'failHours', label: 'Failing after (hours)', type: 'number', placeholder: '50' },
  ],
  storage: [
    { key: 'warnPercent', label: 'Warning at %', type: 'number', placeholder: '80' },
    { key: 'failPercent', label: 'Failing at %', type: 'number', placeholder: '90' },
  ],
  repos: [{ key: 'noSubscriptionWarns', label: 'The no-subscription repository is a warning (production nodes)', type: 'bool' }],
};

/** The DNS kind's own `name` is the name to resolve: the check's label is not asked there. */
export const fieldsFor = (kind: CheckKind): FieldDef[] => [...(kind === 'dns' ? COMMON.filter((f) => f.key !== 'name') : COMMON), ...KIND_FIELDS[kind]];

export type Draft = Record<string, string | boolean>;

const BOOL_DEFAULTS: Record<string, boolean> = { followRedirects: true, verifyTls: true, keywordAbsent: false, failWhenPending: false, failOnSecurity: false, noSubscriptionWarns: false };

export function draftOf(kind: CheckKind, check?: CheckDef): Draft {
  const d: Draft = {};
  const values = (check ?? {}) as Record<string, unknown>;
  for (const f of fieldsFor(kind)) {
    const v = values[f.key];
    if (f.type === 'bool') d[f.key] = typeof v === 'boolean' ? v : (BOOL_DEFAULTS[f.key] ?? false);
    else if (f.type === 'list') d[f.key] = Array.isArray(v) ? v.join(', ') : '';
    else if (f.type === 'select') d[f.key] = typeof v === 'string' ? v : (f.options?.[0] ?? '');
    else d[f.key] = v === undefined ? '' : String(v);
  }
  return d;
}

/** The draft as the contract's input, or the first problem in words. */
export function specOf(kind: CheckKind, draft: Draft): { ok: true; spec: CheckSpecInput } | { ok: false; error: string } {
  const out: Record<string, unknown> = { kind };
  for (const f of fieldsFor(kind)) {
    const v = draft[f.key];
    if (f.type === 'bool') out[f.key] = v === true;
    else if (typeof v !== 'string' || v.trim() === '') continue;
    else if (f.type === 'number') out[f.key] = Number(v);
    else if (f.type === 'list') out[f.key] = v.split(',').map((s) => s.trim()).filter(Boolean);
    else out[f.key] = v.trim();
  }
  const r = checkSpecSchema.safeParse(out);
  if (!r.success) {
    const issue = r.error.issues[0];
    const label = fieldsFor(kind).find((f) => f.key === issue?.path[0])?.label;
    return { ok: false, error: `${label ? `${label}: ` : ''}${issue?.message ?? 'not valid'}` };
  }
  return { ok: true, spec: out as CheckSpecInput };
}
