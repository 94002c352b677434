import * as z from 'zod';
import { httpUrlSchema } from './http-url';
import { event, request } from '../ipc';
import { lazySchema } from './lazy';

/**
 * Checks (issue 18): several per server, each of its own kind with its own interval, failure
 * count and state. The definitions live in `checks.json` in the home (not in config.json, so a
 * check's run state and its edits never race the inventory's writes); the states live in main
 * and cross IPC as CheckView. A check that turns `failing` raises the `check` alert kind with
 * the subject `check:<serverId>:<checkId>`.
 */

export const CHECK_KINDS = ['ping', 'http', 'dns', 'smart', 'temperature', 'disk', 'systemd', 'reboot', 'apt', 'backup', 'storage', 'repos'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** One line each, for the UI, the CLI and the README. */
export const CHECK_KIND_LABELS: Record<CheckKind, string> = {
  ping: 'ICMP ping (TCP connect where the OS forbids unprivileged ICMP)',
  http: 'HTTP(S): status range, keyword, response time, certificate expiry',
  dns: 'DNS: a name resolves (to an expected address) on a chosen resolver',
  smart: 'SMART health of every disk (smartctl over SSH)',
  temperature: 'CPU and disk temperatures (sensors over SSH)',
  disk: 'Disk fill and days until full (df over SSH, trend from the history)',
  systemd: 'Failed systemd units (over SSH)',
  reboot: 'A reboot is pending (/var/run/reboot-required over SSH)',
  apt: 'Package upgrades waiting (apt over SSH)',
  backup: 'Proxmox backup freshness of the guest, or of every guest of a node',
  storage: 'Proxmox storage fill of a node',
  repos: 'Proxmox subscription and package repositories of a node',
};

/** Where a check's kind reaches the server: the network, SSH, or the Proxmox API. */
export const CHECK_REACH: Record<CheckKind, 'network' | 'ssh' | 'proxmox'> = {
  ping: 'network',
  http: 'network',
  dns: 'network',
  smart: 'ssh',
  temperature: 'ssh',
  disk: 'ssh',
  systemd: 'ssh',
  reboot: 'ssh',
  apt: 'ssh',
  backup: 'proxmox',
  storage: 'proxmox',
  repos: 'proxmox',
};

export const CHECK_STATES = ['ok', 'warning', 'failing', 'unknown'] as const;
export type CheckStatus = (typeof CHECK_STATES)[number];

const percent = lazySchema(() => z.number({ error: 'a percentage is a number' }).min(1, 'a percentage is 1–100').max(100, 'a percentage is 1–100'));
const days = lazySchema(() => z.number({ error: 'a number of days' }).min(0, 'cannot be negative').max(3650, 'at most 10 years'));
const celsius = lazySchema(() => z.number({ error: 'a temperature is a number of °C' }).min(20, 'at least 20 °C').max(150, 'at most 150 °C'));
const port = lazySchema(() => z.number({ error: 'a port is a number' }).int('a port is a whole number').min(1, 'a port is 1–65535').max(65535, 'a port is 1–65535'));

const httpUrl = lazySchema(() => httpUrlSchema('https://host/path'));

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]*:[0-9a-f:.]*$/i;
const ipAddress = lazySchema(() => z.string().trim().refine((v) => IPV4.test(v) || IPV6.test(v), 'an IP address like 192.0.2.1 or 2001:db8::1'));

/** A resolver: an address, with a port after a colon for IPv4 (`127.0.0.1:5353`) or in brackets for IPv6 (`[::1]:5353`). */
export const resolverSchema = lazySchema(() => z
  .string()
  .trim()
  .refine((v) => parseResolver(v) !== undefined, 'a resolver address like 192.0.2.53 or 127.0.0.1:5353'));

export function parseResolver(v: string): { address: string; port: number } | undefined {
  const bracket = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/i.exec(v);
  const plain = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(v);
  const m = bracket ?? plain;
  if (!m && IPV6.test(v)) return { address: v, port: 53 };
  if (!m) return undefined;
  const address = m[1] ?? '';
  const p = m[2] === undefined ? 53 : Number(m[2]);
  if (!(IPV4.test(address) || (bracket && IPV6.test(address)))) return undefined;
  if (!Number.isInteger(p) || p < 1 || p > 65535) return undefined;
  return { address, port: p };
}

/** The fields every check has. */
const common = {
  id: lazySchema(() => z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'an id is 1–40 lowercase letters, digits or dashes').optional()),
  name: lazySchema(() => z.string().trim().min(1, 'a name cannot be empty').max(80, 'a name is at most 80 characters').optional()),
  enabled: lazySchema(() => z.boolean().default(true)),
  /** Seconds between runs; the default depends on the kind. */
  intervalSec: lazySchema(() => z.number({ error: 'an interval is a number of seconds' }).int('whole seconds').min(10, 'at least 10 s').max(86_400, 'at most a day').optional()),
  /** Consecutive failed runs before the check is `failing` (grace periods are the alert rules'). */
  failAfter: lazySchema(() => z.number({ error: 'a count' }).int('a whole count').min(1, 'at least 1').max(20, 'at most 20').default(1)),
  /** How long one run may take. */
  timeoutMs: lazySchema(() => z.number({ error: 'a timeout is a number of ms' }).int().min(100, 'at least 100 ms').max(60_000, 'at most 60 s').default(10_000)),
};

export const pingCheckSchema = lazySchema(() => z.object({ ...common, kind: z.literal('ping'), /** Tried when ICMP cannot be used; the server's first port otherwise. */ fallbackPort: port.optional() }).strict());

export const httpCheckSchema = lazySchema(() => z
  .object({
    ...common,
    kind: z.literal('http'),
    url: httpUrl,
    method: z.enum(['GET', 'HEAD']).default('GET'),
    statusMin: z.number().int().min(100).max(599).default(200),
    statusMax: z.number().int().min(100).max(599).default(399),
    keyword: z.string().min(1).max(200).optional(),
    /** true: the keyword must NOT appear (an error page's text). */
    keywordAbsent: z.boolean().default(false),
    /** Slower than this is a warning. */
    maxResponseMs: z.number().int().min(1).max(60_000).optional(),
    followRedirects: z.boolean().default(true),
    /** Check the certificate against the system's CAs (off for a self-signed homelab UI: expiry is still read). */
    verifyTls: z.boolean().default(true),
    certWarnDays: days.default(21),
    certFailDays: days.default(7),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.statusMin > c.statusMax) ctx.addIssue({ code: 'custom', path: ['statusMax'], message: 'the highest status is below the lowest' });
    if (c.certFailDays > c.certWarnDays) ctx.addIssue({ code: 'custom', path: ['certFailDays'], message: 'the failing threshold is above the warning one' });
  }));

export const dnsCheckSchema = lazySchema(() => z
  .object({
    ...common,
    kind: z.literal('dns'),
    /** The name to resolve: letters, digits, dashes and dots. */
    name: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_-]{1,63})*\.?$/, 'a host name like nas.home.arpa'),
    recordType: z.enum(['A', 'AAAA']).default('A'),
    /** Any of these must be among the answers; empty: any answer will do. */
    expected: z.array(ipAddress).max(16).default([]),
    /** Where to ask (the server's own address, port 53, when absent). */
    resolver: resolverSchema.optional(),
  })
  .strict());

export const smartCheckSchema = lazySchema(() => z
  .object({ ...common, kind: z.literal('smart'), /** Disks to read; every disk `smartctl --scan` finds when empty. */ devices: z.array(z.string().regex(/^\/dev\/[A-Za-z0-9/_-]{1,60}$/, 'a device like /dev/sda')).max(32).default([]) })
  .strict());

export const temperatureCheckSchema = lazySchema(() => z.object({ ...common, kind: z.literal('temperature'), warnC: celsius.default(80), failC: celsius.default(90) }).strict());

export const diskCheckSchema = lazySchema(() => z
  .object({
    ...common,
    kind: z.literal('disk'),
    mount: z.string().regex(/^\/[A-Za-z0-9/._-]{0,200}$/, 'a mount point like / or /srv').default('/'),
    warnPercent: percent.default(85),
    failPercent: percent.default(95),
    /** Full within this many days, at the trend of the last week: a warning / failing. */
    warnDays: days.default(14),
    failDays: days.default(3),
  })
  .strict());

export const systemdCheckSchema = lazySchema(() => z.object({ ...common, kind: z.literal('systemd'), /** Units whose failure is expected and ignored. */ ignore: z.array(z.string().min(1).max(200)).max(50).default([]) }).strict());
export const rebootCheckSchema = lazySchema(() => z.object({ ...common, kind: z.literal('reboot'), /** A pending reboot is `failing` rather than a warning. */ failWhenPending: z.boolean().default(false) }).strict());
export const aptCheckSchema = lazySchema(() => z.object({ ...common, kind: z.literal('apt'), /** Security upgrades waiting make the check `failing`. */ failOnSecurity: z.boolean().default(false) }).strict());
export const backupCheckSchema = lazySchema(() => z.object({ ...common, kind: z.literal('backup'), warnHours: z.number().min(1).max(8760).default(26), failHours: z.number().min(1).max(8760).default(50) }).strict());
export const storageCheckSchema = lazySchema(() => z.object({ ...common, kind: z.literal('storage'), warnPercent: percent.default(80), failPercent: percent.default(90) }).strict());
/** The no-subscription repository is a homelab's normal setup: a note, unless this asks for a warning (a production node). */
export const reposCheckSchema = lazySchema(() => z.object({ ...common, kind: z.literal('repos'), noSubscriptionWarns: z.boolean().default(false) }).strict());

export const checkSpecSchema = lazySchema(() => z.discriminatedUnion('kind', [
  pingCheckSchema,
  httpCheckSchema,
  dnsCheckSchema,
  smartCheckSchema,
  temperatureCheckSchema,
  diskCheckSchema,
  systemdCheckSchema,
  rebootCheckSchema,
  aptCheckSchema,
  backupCheckSchema,
  storageCheckSchema,
  reposCheckSchema,
]));
export type CheckSpecInput = z.input<typeof checkSpecSchema>;
export type CheckSpec = z.output<typeof checkSpecSchema>;
/** A stored check: its id is always set. */
export type CheckDef = CheckSpec & { id: string };
export type CheckOf<K extends CheckKind> = Extract<CheckDef, { kind: K }>;

/** Default interval per kind: network checks every minute, SSH checks every 5 min, Proxmox every 15. */
export const DEFAULT_INTERVAL_SEC: Record<'network' | 'ssh' | 'proxmox', number> = { network: 60, ssh: 300, proxmox: 900 };
export const intervalOf = (c: CheckDef): number => c.intervalSec ?? DEFAULT_INTERVAL_SEC[CHECK_REACH[c.kind]];

/** What a check's last runs left: what the list and the CLI show. */
export interface CheckStateView {
  status: CheckStatus;
  /** When the status last changed (ms). */
  since: number;
  message: string;
  /** How long the last run took (ms); absent before the first. */
  durationMs?: number;
  lastRunAt?: number;
  nextRunAt?: number;
  /** Failed runs in a row (the check is `failing` once it reaches failAfter). */
  failures: number;
  /** Its `check` alert is raised: from `failing` until it is seen ok or warning again. */
  alerting: boolean;
  /** Figures the run measured, for the UI: status code, days to expiry, °C, days until full… */
  details?: Record<string, string | number>;
}

export interface CheckView {
  serverId: string;
  check: CheckDef;
  /** The alert subject: `check:<serverId>:<checkId>`. */
  subject: string;
  state: CheckStateView;
}

export const checkSubject = (serverId: string, checkId: string): string => `check:${serverId}:${checkId}`;

const serverRef = lazySchema(() => z.string().trim().min(1, 'a server (id or name) is required'));
const checkId = lazySchema(() => z.string().trim().min(1, 'a check id is required'));

export const checksContract = {
  /** The checks of one server (or of every server) with their states. */
  list: request<CheckView[]>()(() => z.object({ server: serverRef.optional() }).strict()),
  /** Adds a check to a server; its id is made from its kind when not given. */
  add: request<CheckView>()(() => z.object({ server: serverRef, check: checkSpecSchema }).strict()),
  /** Replaces a check's definition (same id); its state starts afresh. */
  update: request<CheckView>()(() => z.object({ server: serverRef, id: checkId, check: checkSpecSchema }).strict()),
  remove: request<{ removed: boolean }>()(() => z.object({ server: serverRef, id: checkId }).strict()),
  /** Runs the server's checks (or one) now and answers with their new states. */
  run: request<CheckView[]>()(() => z.object({ server: serverRef, id: checkId.optional() }).strict()),
};

export const checksEvents = {
  /** A check ran, was added or changed: its definition and state now. */
  'checks.changed': event<CheckView>(),
};
