import * as z from 'zod';
import { apiPath, type ProxmoxApi } from './api';
import { clusterStatusEntrySchema, nodeStatusSchema, parseList } from './model/parse';

export { nodeTasks } from './tasks';

export interface NodeStatus {
  cpu?: number;
  uptime?: number;
  pveversion?: string;
  kversion?: string;
  loadavg: number[];
  memory: { total?: number; used?: number; free?: number };
  rootfs: { total?: number; used?: number; avail?: number; free?: number };
  cpuinfo: { model?: string; cpus?: number; sockets?: number; cores?: number };
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export async function nodeStatus(api: ProxmoxApi, node: string): Promise<NodeStatus> {
  const s = await api.get(apiPath`/nodes/${node}/status`, nodeStatusSchema);
  return defined({
    cpu: s.cpu,
    uptime: s.uptime,
    pveversion: s.pveversion,
    kversion: s.kversion,
    loadavg: s.loadavg,
    memory: defined(s.memory),
    rootfs: defined(s.rootfs),
    cpuinfo: defined(s.cpuinfo),
  });
}

export interface ClusterMember {
  name: string;
  ip?: string;
  online?: boolean;
  local?: boolean;
}

/**
 * The cluster's members with their IPs (/cluster/status). Not part of the per-refresh
 * request: it is read when a cluster is added and when an unknown node shows up, to match
 * a node to the physical host it runs on.
 */
export async function clusterMembers(api: ProxmoxApi): Promise<{ clusterName?: string; members: ClusterMember[] }> {
  const raw = await api.get('/cluster/status', z.unknown());
  const { items } = parseList(clusterStatusEntrySchema, raw);
  const cluster = items.find((i) => i.type === 'cluster');
  const members = items
    .filter((i) => i.type === 'node' && i.name)
    .map((i) => defined({ name: i.name as string, ip: i.ip, online: i.online, local: i.local }));
  return { ...(cluster?.name ? { clusterName: cluster.name } : {}), members };
}
