import * as z from 'zod';
import { dict } from '../../../../shared/own';
import { lazySchema } from '../../../../shared/contract/lazy';

/**
 * Schemas for what Proxmox sends, tolerant of what real servers of different releases do:
 * numbers as strings and the reverse, booleans as 0/1 (or "0"/"1", or true/false), optional
 * fields missing, fields we never heard of. A malformed optional field becomes "absent" rather
 * than failing the whole object; only what we cannot work without (a guest's vmid, a task's
 * UPID) is required.
 */

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === '1' || s === 'true' || s === 'yes' || s === 'on') return true;
    if (s === '0' || s === 'false' || s === 'no' || s === 'off' || s === '') return false;
  }
  return undefined;
}

export function toStr(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return undefined;
}

/** Optional number: absent, null, "" or garbage all read as undefined. */
export const optNum = lazySchema(() => z.unknown().optional().transform((v) => toNumber(v)));
/** Required number (accepts "100" as 100). */
export const reqNum = lazySchema(() => z.unknown().optional().transform((v, ctx) => {
  const n = toNumber(v);
  if (n === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a number, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
}));
export const optBool = lazySchema(() => z.unknown().optional().transform((v) => toBool(v)));
export const flag = lazySchema(() => z.unknown().optional().transform((v) => toBool(v) ?? false));
export const optStr = lazySchema(() => z.unknown().optional().transform((v) => {
  const s = toStr(v);
  return s === undefined || s === '' ? undefined : s;
}));
export const reqStr = lazySchema(() => z.unknown().optional().transform((v, ctx) => {
  const s = toStr(v);
  if (s === undefined || s === '') {
    ctx.addIssue({ code: 'custom', message: `expected a string, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return s;
}));

/** Tags arrive as "a;b", sometimes "a,b" or "a b" (older GUIs), or already as a list. */
export function parseTags(v: unknown): string[] {
  const raw = Array.isArray(v) ? v.map((x) => toStr(x) ?? '').join(';') : (toStr(v) ?? '');
  const seen = new Set<string>();
  for (const t of raw.split(/[;,\s]+/)) if (t) seen.add(t);
  return [...seen];
}
export const tags = lazySchema(() => z.unknown().optional().transform((v) => parseTags(v)));

/** An object that must be an object; anything else (null, a string) becomes {} so fields read as absent. */
const objectish = lazySchema(() => z.unknown().optional().transform((v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {})));

/** Parses a list entry by entry, so one odd entry cannot hide the rest. */
export function parseList<T>(schema: z.ZodType<T>, raw: unknown): { items: T[]; rejected: number; issues: string[] } {
  const list = Array.isArray(raw) ? raw : [];
  const items: T[] = [];
  const issues: string[] = [];
  for (const entry of list) {
    const r = schema.safeParse(entry);
    if (r.success) items.push(r.data);
    else issues.push(r.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; '));
  }
  return { items, rejected: list.length - items.length, issues };
}

// ---------------------------------------------------------------- /cluster/resources

export const clusterResourceSchema = lazySchema(() => z.object({
  id: optStr,
  type: optStr,
  node: optStr,
  vmid: optNum,
  name: optStr,
  status: optStr,
  qmpstatus: optStr,
  cpu: optNum,
  maxcpu: optNum,
  mem: optNum,
  maxmem: optNum,
  disk: optNum,
  maxdisk: optNum,
  uptime: optNum,
  netin: optNum,
  netout: optNum,
  diskread: optNum,
  diskwrite: optNum,
  memhost: optNum,
  template: flag,
  hastate: optStr,
  lock: optStr,
  tags,
  pool: optStr,
  storage: optStr,
  plugintype: optStr,
  shared: flag,
  content: optStr,
  level: optStr,
}));
export type RawClusterResource = z.output<typeof clusterResourceSchema>;

// ---------------------------------------------------------------- guests

export const guestStatusSchema = lazySchema(() => z.object({
  vmid: optNum,
  name: optStr,
  status: optStr,
  qmpstatus: optStr,
  lock: optStr,
  template: flag,
  tags,
  agent: optBool,
  uptime: optNum,
  cpu: optNum,
  cpus: optNum,
  mem: optNum,
  maxmem: optNum,
  disk: optNum,
  maxdisk: optNum,
  netin: optNum,
  netout: optNum,
  diskread: optNum,
  diskwrite: optNum,
  pid: optNum,
  ha: z.unknown().optional().transform((v) => {
    if (typeof v !== 'object' || v === null) return undefined;
    const r = v as Record<string, unknown>;
    return { managed: toBool(r.managed) ?? false, state: toStr(r.state) };
  }),
}));
export type GuestStatusRaw = z.output<typeof guestStatusSchema>;

/** A guest config: every value as a string (Proxmox mixes numbers and strings freely). */
export const guestConfigSchema = lazySchema(() => objectish.transform((rec) => {
  const out = dict<string>();
  for (const [k, v] of Object.entries(rec)) {
    const s = toStr(v);
    if (s !== undefined) out[k] = s;
  }
  return out;
}));

// ---------------------------------------------------------------- tasks

export const taskStatusSchema = lazySchema(() => z.object({
  upid: reqStr,
  node: optStr,
  pid: optNum,
  pstart: optNum,
  starttime: optNum,
  endtime: optNum,
  type: optStr,
  id: optStr,
  user: optStr,
  status: optStr,
  exitstatus: optStr,
}));
export type TaskStatusRaw = z.output<typeof taskStatusSchema>;

export const taskLogLineSchema = lazySchema(() => z.object({ n: optNum, t: z.unknown().optional().transform((v) => toStr(v) ?? '') }));

// ---------------------------------------------------------------- snapshots

export const snapshotSchema = lazySchema(() => z.object({
  name: reqStr,
  parent: optStr,
  description: z.unknown().optional().transform((v) => toStr(v) ?? ''),
  snaptime: optNum,
  vmstate: flag,
  running: optBool,
  digest: optStr,
}));
export type SnapshotRaw = z.output<typeof snapshotSchema>;

// ---------------------------------------------------------------- storage, nodes, rrd

export const nodeStorageSchema = lazySchema(() => z.object({
  storage: reqStr,
  type: optStr,
  content: optStr,
  active: optBool,
  enabled: optBool,
  shared: optBool,
  total: optNum,
  used: optNum,
  avail: optNum,
  used_fraction: optNum,
}));

export const nodeStatusSchema = lazySchema(() => z.object({
  cpu: optNum,
  uptime: optNum,
  pveversion: optStr,
  kversion: optStr,
  loadavg: z.unknown().optional().transform((v) => (Array.isArray(v) ? v.map((x) => toNumber(x)).filter((x): x is number => x !== undefined) : [])),
  memory: objectish.transform((r) => ({ total: toNumber(r.total), used: toNumber(r.used), free: toNumber(r.free) })),
  rootfs: objectish.transform((r) => ({ total: toNumber(r.total), used: toNumber(r.used), avail: toNumber(r.avail), free: toNumber(r.free) })),
  cpuinfo: objectish.transform((r) => ({ model: toStr(r.model), cpus: toNumber(r.cpus), sockets: toNumber(r.sockets), cores: toNumber(r.cores) })),
}));

export const taskListEntrySchema = lazySchema(() => z.object({
  upid: reqStr,
  node: optStr,
  type: optStr,
  id: optStr,
  user: optStr,
  starttime: optNum,
  endtime: optNum,
  status: optStr,
  pid: optNum,
  pstart: optNum,
}));

/** An rrd point: `time` and whichever figures had a value (the rest are omitted by the server). */
export const rrdPointSchema = lazySchema(() => objectish.transform((r, ctx) => {
  const time = toNumber(r.time);
  if (time === undefined) {
    ctx.addIssue({ code: 'custom', message: 'an rrd point needs a time' });
    return z.NEVER;
  }
  const point: Record<string, number> = { time };
  for (const [k, v] of Object.entries(r)) {
    if (k === 'time') continue;
    const n = toNumber(v);
    if (n !== undefined) point[k] = n;
  }
  return point;
}));

export const clusterStatusEntrySchema = lazySchema(() => z.object({
  type: optStr,
  name: optStr,
  id: optStr,
  ip: optStr,
  online: optBool,
  local: optBool,
  nodeid: optNum,
  quorate: optBool,
}));

// ---------------------------------------------------------------- auth

export const ticketSchema = lazySchema(() => objectish.transform((r) => ({
  username: toStr(r.username),
  ticket: toStr(r.ticket),
  csrf: toStr(r.CSRFPreventionToken),
  clustername: toStr(r.clustername),
  needTfa: toBool(r.NeedTFA) ?? false,
})));

// ---------------------------------------------------------------- addresses

export const agentInterfacesSchema = lazySchema(() => objectish.transform((r) => {
  const list = Array.isArray(r.result) ? r.result : [];
  return list.map((entry) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const ips = Array.isArray(e['ip-addresses']) ? e['ip-addresses'] : [];
    return {
      name: toStr(e.name) ?? '',
      mac: toStr(e['hardware-address']),
      addresses: ips.flatMap((ip) => {
        const a = (typeof ip === 'object' && ip !== null ? ip : {}) as Record<string, unknown>;
        const address = toStr(a['ip-address']);
        if (!address) return [];
        const type = toStr(a['ip-address-type']);
        return [{ address, family: type === 'ipv6' || address.includes(':') ? ('ipv6' as const) : ('ipv4' as const), prefix: toNumber(a.prefix) }];
      }),
    };
  });
}));

export const lxcInterfacesSchema = lazySchema(() => z.unknown().optional().transform((v) => {
  if (!Array.isArray(v)) return [];
  return v.map((entry) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const addresses: { address: string; family: 'ipv4' | 'ipv6'; prefix: number | undefined }[] = [];
    const push = (cidr: string | undefined, family: 'ipv4' | 'ipv6') => {
      if (!cidr) return;
      const [address, prefix] = cidr.split('/');
      if (address && !addresses.some((a) => a.address === address)) addresses.push({ address, family, prefix: toNumber(prefix) });
    };
    push(toStr(e.inet), 'ipv4');
    push(toStr(e.inet6), 'ipv6');
    if (Array.isArray(e['ip-addresses'])) {
      for (const ip of e['ip-addresses']) {
        const a = (typeof ip === 'object' && ip !== null ? ip : {}) as Record<string, unknown>;
        const address = toStr(a['ip-address']);
        const type = toStr(a['ip-address-type']);
        if (!address) continue;
        const family = type === 'inet6' || type === 'ipv6' || address.includes(':') ? 'ipv6' : 'ipv4';
        if (!addresses.some((x) => x.address === address)) addresses.push({ address, family, prefix: toNumber(a.prefix) });
      }
    }
    return { name: toStr(e.name) ?? '', mac: toStr(e.hwaddr) ?? toStr(e['hardware-address']), addresses };
  });
}));

// ---------------------------------------------------------------- token setup (pveum output)

export const tokenOutputSchema = lazySchema(() => z.object({
  'full-tokenid': reqStr,
  value: reqStr,
  info: z.unknown().optional(),
}));
