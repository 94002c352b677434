/**
 * How nodes appear in the API: /nodes, /nodes/{node}/status, their /cluster/resources entries
 * and /cluster/status. An offline node keeps its name and status and loses its figures.
 */
import type { ClusterState } from './cluster-state';
import { round } from './figures';
import type { NodeRecord } from './model';

type Json = Record<string, unknown>;


function figures(state: ClusterState, node: NodeRecord, t: number): Json {
  const guests = state.guestsOn(node.name);
  const f = state.figures;
  return {
    cpu: round(f.nodeCpu(node, guests, t), 6),
    maxcpu: node.cpus,
    mem: f.nodeMem(node, guests, t),
    maxmem: node.memBytes,
    disk: f.nodeRootUsed(node),
    maxdisk: node.rootBytes,
    uptime: state.nodeUptime(node.name),
  };
}

export function nodeResourceEntry(state: ClusterState, node: NodeRecord, t: number): Json {
  const entry: Json = { id: `node/${node.name}`, type: 'node', node: node.name, level: '' };
  if (!state.isOnline(node)) return { ...entry, status: 'offline' };
  return { ...entry, status: 'online', 'cgroup-mode': 2, ...figures(state, node, t) };
}

export function nodeListEntry(state: ClusterState, node: NodeRecord, t: number, fingerprint: string): Json {
  const entry: Json = { node: node.name, id: `node/${node.name}`, type: 'node', level: '', ssl_fingerprint: fingerprint };
  if (!state.isOnline(node)) return { ...entry, status: 'offline' };
  return { ...entry, status: 'online', ...figures(state, node, t) };
}

export function nodeStatus(state: ClusterState, node: NodeRecord, t: number): Json {
  const guests = state.guestsOn(node.name);
  const f = state.figures;
  const memUsed = f.nodeMem(node, guests, t);
  const rootUsed = f.nodeRootUsed(node);
  const swapUsed = Math.round(node.swapBytes * 0.01);
  const { kernel, version } = state.profile;
  return {
    uptime: state.nodeUptime(node.name),
    cpu: round(f.nodeCpu(node, guests, t), 6),
    wait: round(0.001 + 0.004 * f.nodeCpu(node, guests, t), 6),
    idle: 0,
    loadavg: f.loadavg(node, guests, t).map((v) => v.toFixed(2)),
    cpuinfo: {
      model: node.cpuModel,
      cpus: node.cpus,
      cores: node.cpus / 2,
      sockets: 1,
      mhz: '3400.000',
      hvm: '1',
      flags: 'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc',
      user_hz: 100,
    },
    // PVE 9 adds the kernel's MemAvailable (free plus reclaimable cache).
    memory: {
      total: node.memBytes,
      used: memUsed,
      free: node.memBytes - memUsed,
      ...(state.profile.major === 9 ? { available: Math.min(node.memBytes, node.memBytes - memUsed + Math.round(node.memBytes * 0.03)) } : {}),
    },
    swap: { total: node.swapBytes, used: swapUsed, free: node.swapBytes - swapUsed },
    rootfs: { total: node.rootBytes, used: rootUsed, avail: node.rootBytes - rootUsed, free: node.rootBytes - rootUsed },
    ksm: { shared: 0 },
    'boot-info': { mode: 'efi', secureboot: 0 },
    'current-kernel': { sysname: 'Linux', release: kernel.release, version: kernel.version, machine: 'x86_64' },
    kversion: `Linux ${kernel.release} ${kernel.version}`,
    pveversion: `pve-manager/${version.version}/${version.repoid}`,
  };
}

export function clusterStatus(state: ClusterState, local: NodeRecord): Json[] {
  const online = state.nodes.filter((n) => state.isOnline(n)).length;
  const list: Json[] = [
    {
      type: 'cluster',
      id: 'cluster',
      name: state.settings.clusterName,
      nodes: state.nodes.length,
      quorate: online * 2 > state.nodes.length ? 1 : 0,
      version: state.nodes.length + 1,
    },
  ];
  for (const node of state.nodes) {
    list.push({
      type: 'node',
      id: `node/${node.name}`,
      name: node.name,
      nodeid: node.nodeid,
      ip: node.address,
      level: '',
      local: node === local ? 1 : 0,
      online: state.isOnline(node) ? 1 : 0,
    });
  }
  return list;
}
