import * as z from 'zod';
import type { GuestType, ProxmoxGuestInfo, ProxmoxNodeInfo, ProxmoxStorageInfo } from '../../../shared/contract/proxmox';
import type { ProxmoxApi } from './api';
import { clusterResourceSchema, type RawClusterResource } from './model/parse';
import { reportList, type ParseIssue } from './model/report';

/**
 * One GET /cluster/resources per refresh gives every node, guest and storage of the cluster,
 * however many there are (docs/PERFORMANCE.md: 3 nodes × 300 guests = 1 request).
 */
export interface ClusterResources {
  nodes: ProxmoxNodeInfo[];
  guests: ProxmoxGuestInfo[];
  storage: ProxmoxStorageInfo[];
  /** Entries that could not be read (kept out, counted, so one odd entry hides nothing else). */
  rejected: number;
  /** What could not be read, endpoint, entry and field named (reported, never fatal). */
  issues: ParseIssue[];
}

const ENDPOINT = 'GET /cluster/resources';

/** Fields whose value must read as a number or a 0/1 flag when present: anything else is reported. */
const AUDIT = {
  numbers: ['vmid', 'cpu', 'maxcpu', 'mem', 'maxmem', 'disk', 'maxdisk', 'uptime', 'netin', 'netout', 'diskread', 'diskwrite', 'memhost'],
  flags: ['template', 'shared'],
} as const;

/**
 * qemu-server lists a VM without a name as "VM <vmid>", pve-container a container as
 * "CT<vmid>": neither is a name anyone gave it, and neither is a hostname to reach it by.
 */
export function fallbackName(type: GuestType, vmid: number): string {
  return type === 'qemu' ? `VM ${vmid}` : `CT${vmid}`;
}

export function isFallbackName(type: GuestType, vmid: number, name: string | undefined): boolean {
  if (name === undefined) return true;
  const n = name.trim();
  return n === fallbackName(type, vmid) || n === `VM ${vmid}` || n === `CT${vmid}` || n === `CT ${vmid}`;
}

const definedOnly = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function typeOf(r: RawClusterResource): string | undefined {
  // Older servers and some proxies leave `type` out; the id always starts with it.
  return r.type ?? r.id?.split('/')[0];
}

function nodeStatus(s: string | undefined): ProxmoxNodeInfo['status'] {
  return s === 'online' ? 'online' : s === 'offline' ? 'offline' : 'unknown';
}

export function toGuest(cluster: string, r: RawClusterResource): ProxmoxGuestInfo | undefined {
  const type = typeOf(r);
  if (type !== 'qemu' && type !== 'lxc') return undefined;
  const vmid = r.vmid ?? Number(r.id?.split('/')[1]);
  if (!Number.isInteger(vmid) || vmid <= 0 || !r.node) return undefined;
  const named = !isFallbackName(type, vmid, r.name);
  return definedOnly({
    cluster,
    id: `${type}/${vmid}`,
    type: type as GuestType,
    vmid,
    node: r.node,
    name: named && r.name ? r.name : fallbackName(type, vmid),
    named,
    status: r.status ?? 'unknown',
    qmpstatus: r.qmpstatus,
    template: r.template,
    tags: r.tags,
    hastate: r.hastate,
    lock: r.lock,
    pool: r.pool,
    cpu: r.cpu,
    maxcpu: r.maxcpu,
    mem: r.mem,
    maxmem: r.maxmem,
    disk: r.disk,
    maxdisk: r.maxdisk,
    uptime: r.uptime,
    netin: r.netin,
    netout: r.netout,
    diskread: r.diskread,
    diskwrite: r.diskwrite,
    memhost: r.memhost,
  });
}

export function toNode(cluster: string, r: RawClusterResource): ProxmoxNodeInfo | undefined {
  if (typeOf(r) !== 'node') return undefined;
  const name = r.node ?? r.id?.split('/')[1];
  if (!name) return undefined;
  return definedOnly({
    cluster,
    name,
    status: nodeStatus(r.status),
    cpu: r.cpu,
    maxcpu: r.maxcpu,
    mem: r.mem,
    maxmem: r.maxmem,
    disk: r.disk,
    maxdisk: r.maxdisk,
    uptime: r.uptime,
    level: r.level,
  });
}

export function toStorage(cluster: string, r: RawClusterResource): ProxmoxStorageInfo | undefined {
  if (typeOf(r) !== 'storage') return undefined;
  const parts = r.id?.split('/') ?? [];
  const node = r.node ?? parts[1];
  const storage = r.storage ?? parts[2];
  if (!node || !storage) return undefined;
  return definedOnly({
    cluster,
    id: `storage/${node}/${storage}`,
    storage,
    node,
    status: r.status,
    plugintype: r.plugintype,
    shared: r.shared,
    content: r.content ? r.content.split(',').map((c) => c.trim()).filter(Boolean) : [],
    used: r.disk,
    total: r.maxdisk,
  });
}

const labelOf = (e: Record<string, unknown>, i: number): string => (typeof e.id === 'string' && e.id ? e.id : `entry ${i + 1}`);

/** Pure: the raw list → typed nodes, guests, storage, and what could not be read. */
export function readResources(cluster: string, raw: unknown): ClusterResources {
  const { items, issues } = reportList(clusterResourceSchema, raw, ENDPOINT, { label: labelOf, audit: AUDIT });
  const out: ClusterResources = { nodes: [], guests: [], storage: [], rejected: Array.isArray(raw) ? raw.length - items.length : 0, issues };
  const reject = (r: RawClusterResource, why: { field: string; problem: string }) => {
    out.rejected += 1;
    out.issues.push({ endpoint: ENDPOINT, entry: r.id ?? `${typeOf(r) ?? '?'}/${r.vmid ?? '?'}`, ...why });
  };
  for (const r of items) {
    const type = typeOf(r);
    if (type === 'node') {
      const n = toNode(cluster, r);
      if (n) out.nodes.push(n);
      else reject(r, { field: 'node', problem: 'is missing: the entry names no node' });
    } else if (type === 'qemu' || type === 'lxc') {
      const g = toGuest(cluster, r);
      if (g) out.guests.push(g);
      else reject(r, r.node ? { field: 'vmid', problem: 'is missing or not a guest id' } : { field: 'node', problem: 'is missing: the guest names no node' });
    } else if (type === 'storage') {
      const s = toStorage(cluster, r);
      if (s) out.storage.push(s);
      else reject(r, { field: 'storage', problem: 'is missing: the entry names no node or storage' });
    }
    // pool, sdn and future types are not Rackdeck's business.
  }
  out.nodes.sort((a, b) => a.name.localeCompare(b.name));
  out.guests.sort((a, b) => a.vmid - b.vmid);
  return out;
}

export async function fetchResources(api: ProxmoxApi, cluster: string): Promise<ClusterResources> {
  const raw = await api.get('/cluster/resources', z.unknown());
  return readResources(cluster, raw);
}
