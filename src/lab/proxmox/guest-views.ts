/**
 * How guests appear in the API: /cluster/resources entries, the per-node lists, status/current
 * and the config file. Live figures are present only for running guests on reachable nodes.
 */
import type { ClusterState } from './cluster-state';
import { round } from './figures';
import type { Guest, GuestNic } from './model';

type Json = Record<string, unknown>;

export function qmpstatus(g: Guest): 'running' | 'paused' | 'stopped' {
  if (g.status !== 'running') return 'stopped';
  return g.paused ? 'paused' : 'running';
}

export function agentAnswers(g: Guest): boolean {
  return g.type === 'qemu' && g.agentConfigured && g.agentInstalled && g.status === 'running' && !g.paused && !g.hung;
}

function withOptional(entry: Json, g: Guest): Json {
  if (g.tags.length > 0) entry.tags = g.tags.join(';');
  if (g.lock) entry.lock = g.lock;
  return entry;
}

function liveFigures(state: ClusterState, g: Guest, t: number): Json {
  const f = state.figures;
  return {
    cpu: round(f.cpu(g, t), 6),
    mem: f.mem(g, t),
    disk: f.disk(g),
    uptime: f.uptime(g, t),
    ...f.counters(g, t),
  };
}

/** One guest in /cluster/resources; `reachable` is false when its node is offline. */
export function resourceEntry(state: ClusterState, g: Guest, reachable: boolean, t: number): Json {
  const f = state.figures;
  const entry: Json = {
    id: `${g.type}/${g.vmid}`,
    type: g.type,
    vmid: g.vmid,
    name: g.name,
    node: g.node,
    template: g.template ? 1 : 0,
  };
  if (!reachable) {
    entry.status = 'unknown';
  } else {
    // pvestatd reports QEMU's qmpstatus here, so paused VMs show as "paused" in one call.
    entry.status = g.type === 'qemu' ? qmpstatus(g) : g.status;
    entry.maxcpu = f.maxcpu(g);
    entry.maxmem = f.maxmem(g);
    entry.maxdisk = f.maxdisk(g);
    Object.assign(entry, liveFigures(state, g, t));
  }
  if (g.hastate) entry.hastate = g.hastate;
  return withOptional(entry, g);
}

/** An entry of GET /nodes/{node}/qemu or /lxc. */
export function listEntry(state: ClusterState, g: Guest, t: number, full: boolean): Json {
  const f = state.figures;
  const entry: Json = {
    vmid: g.vmid,
    name: g.name,
    status: g.status,
    cpus: f.maxcpu(g),
    maxmem: f.maxmem(g),
    maxdisk: f.maxdisk(g),
    ...liveFigures(state, g, t),
  };
  if (g.type === 'lxc') {
    entry.type = 'lxc';
    entry.maxswap = g.swapMiB * 1024 * 1024;
  }
  if (g.template) entry.template = 1;
  if (g.status === 'running') entry.pid = pidOf(g);
  if (g.type === 'qemu' && full) entry.qmpstatus = qmpstatus(g);
  return withOptional(entry, g);
}

function pidOf(g: Guest): number {
  return 1000 + ((g.vmid * 7919 + Math.floor((g.startedAt ?? 0) / 1000)) % 900_000);
}

export function currentStatus(state: ClusterState, g: Guest, t: number): Json {
  const f = state.figures;
  const entry: Json = {
    vmid: g.vmid,
    name: g.name,
    status: g.status,
    cpus: f.maxcpu(g),
    maxmem: f.maxmem(g),
    maxdisk: f.maxdisk(g),
    ...liveFigures(state, g, t),
    ha: g.hastate ? { managed: 1, state: g.hastate } : { managed: 0 },
  };
  if (g.type === 'qemu') {
    entry.qmpstatus = qmpstatus(g);
    if (g.agentConfigured) entry.agent = 1;
    if (g.status === 'running') {
      entry['running-machine'] = g.ostype.startsWith('win') ? 'pc-q35-8.1+pve0' : 'pc-i440fx-8.1+pve0';
      entry['running-qemu'] = '8.1.5';
      entry.balloon = f.maxmem(g);
      entry.freemem = Math.max(0, f.maxmem(g) - f.mem(g, t));
    }
  } else {
    entry.type = 'lxc';
    entry.maxswap = g.swapMiB * 1024 * 1024;
    entry.swap = g.status === 'running' ? Math.round(g.swapMiB * 1024 * 1024 * 0.02) : 0;
  }
  if (g.status === 'running') entry.pid = pidOf(g);
  if (g.template) entry.template = 1;
  return withOptional(entry, g);
}

export function volumeName(g: Guest): string {
  return `${g.template ? 'base' : 'vm'}-${g.vmid}-disk-0`;
}

function nicString(g: Guest, nic: GuestNic): string {
  if (g.type === 'qemu') {
    return `${nic.model ?? 'virtio'}=${nic.mac},bridge=${nic.bridge}${nic.firewall ? ',firewall=1' : ''}`;
  }
  const parts = [`name=${nic.ifname}`, `bridge=${nic.bridge}`];
  if (nic.firewall) parts.push('firewall=1');
  if (nic.gw) parts.push(`gw=${nic.gw}`);
  parts.push(`hwaddr=${nic.mac}`, `ip=${nic.ip}`, 'type=veth');
  return parts.join(',');
}

/** GET .../config: the guest's config file as the API renders it. */
export function guestConfig(state: ClusterState, g: Guest): Json {
  const cfg: Json = { digest: state.digest(g) };
  if (g.type === 'qemu') {
    const windows = g.ostype.startsWith('win');
    Object.assign(cfg, {
      name: g.name,
      ostype: g.ostype,
      cores: g.cores,
      sockets: g.sockets,
      memory: String(g.memoryMiB),
      cpu: 'x86-64-v2-AES',
      numa: 0,
      scsihw: 'virtio-scsi-single',
      scsi0: `${g.storage}:${volumeName(g)},iothread=1,size=${g.diskGiB}G`,
      ide2: 'none,media=cdrom',
      boot: 'order=scsi0;ide2;net0',
      smbios1: `uuid=${g.uuid}`,
      vmgenid: g.uuid.split('').reverse().join(''),
      meta: `creation-qemu=8.1.5,ctime=${g.ctime}`,
    });
    if (windows) Object.assign(cfg, { machine: 'pc-q35-8.1', bios: 'ovmf', efidisk0: `${g.storage}:vm-${g.vmid}-disk-1,efitype=4m,pre-enrolled-keys=1,size=4M` });
    if (g.agentConfigured) cfg.agent = '1';
  } else {
    Object.assign(cfg, {
      hostname: g.name,
      arch: 'amd64',
      ostype: g.ostype,
      cores: g.cores,
      memory: g.memoryMiB,
      swap: g.swapMiB,
      rootfs: `${g.storage}:${volumeName(g)},size=${g.diskGiB}G`,
      features: 'nesting=1',
      unprivileged: 1,
    });
  }
  for (const nic of g.nics) cfg[nic.key] = nicString(g, nic);
  if (g.onboot) cfg.onboot = 1;
  if (g.tags.length > 0) cfg.tags = g.tags.join(';');
  if (g.template) cfg.template = 1;
  if (g.lock) cfg.lock = g.lock;
  if (g.currentParent) cfg.parent = g.currentParent;
  return cfg;
}
