/**
 * How guests appear in the API: /cluster/resources entries, the per-node lists, status/current
 * and the config file, as each release renders them. Live figures are present only for guests
 * on reachable nodes; PVE 9's memhost and pressure figures only for running ones.
 */
import type { ClusterState } from './cluster-state';
import { round } from './figures';
import type { Guest, GuestNic } from './model';

type Json = Record<string, unknown>;

export function qmpstatus(g: Guest): 'running' | 'paused' | 'stopped' {
  if (g.status !== 'running') return 'stopped';
  return g.paused ? 'paused' : 'running';
}

/** qemu-server and pve-container fill in a name for guests whose config has none. */
export function guestName(g: Guest): string {
  return g.name ?? (g.type === 'qemu' ? `VM ${g.vmid}` : `CT${g.vmid}`);
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

/** PVE 9: memhost (VMs) and the pressure-stall figures of a running guest; nothing on 8. */
function pressureFigures(state: ClusterState, g: Guest, t: number): Json {
  if (!state.profile.pressureFigures || !state.figures.isRunningAt(g, t)) return {};
  const p = state.figures.pressure(g, t);
  const out: Json = {};
  if (g.type === 'qemu') {
    out.memhost = state.figures.memhost(g, t);
    out.pressurecpufull = p.cpuFull;
  }
  return { ...out, pressurecpusome: p.cpuSome, pressureiosome: p.ioSome, pressureiofull: p.ioFull, pressurememorysome: p.memSome, pressurememoryfull: p.memFull };
}

/**
 * One guest in /cluster/resources; `reachable` is false when its node is offline. pvestatd
 * reports status running or stopped only: a paused VM is "running" here, with no qmpstatus
 * (neither schema lists one), so only status/current and qemu?full=1 tell it is paused.
 */
export function resourceEntry(state: ClusterState, g: Guest, reachable: boolean, t: number): Json {
  const f = state.figures;
  const entry: Json = {
    id: `${g.type}/${g.vmid}`,
    type: g.type,
    vmid: g.vmid,
    name: guestName(g),
    node: g.node,
    template: g.template ? 1 : 0,
  };
  if (!reachable) {
    entry.status = 'unknown';
  } else {
    entry.status = g.status;
    entry.maxcpu = f.maxcpu(g);
    entry.maxmem = f.maxmem(g);
    entry.maxdisk = f.maxdisk(g);
    Object.assign(entry, liveFigures(state, g, t));
    if (g.type === 'qemu' && state.profile.pressureFigures && f.isRunningAt(g, t)) entry.memhost = f.memhost(g, t);
  }
  if (g.ha) entry.hastate = g.ha.service;
  return withOptional(entry, g);
}

/**
 * An entry of GET /nodes/{node}/qemu or /lxc. pve-container lists vmid as a string (the key of
 * its status hash), against its own schema; qemu-server as a number. With full=1 every VM
 * carries qmpstatus, the one cheap way to see which running VMs are paused.
 */
export function listEntry(state: ClusterState, g: Guest, t: number, full: boolean): Json {
  const f = state.figures;
  const entry: Json = {
    vmid: g.type === 'lxc' ? String(g.vmid) : g.vmid,
    name: guestName(g),
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
  Object.assign(entry, pressureFigures(state, g, t));
  if (g.type === 'qemu' && full) {
    entry.qmpstatus = qmpstatus(g);
    if (g.status === 'running') Object.assign(entry, runningQemu(state, g));
  }
  return withOptional(entry, g);
}

function runningQemu(state: ClusterState, g: Guest): Json {
  const { qemu } = state.profile;
  return {
    'running-machine': `${g.ostype.startsWith('win') ? 'pc-q35' : 'pc-i440fx'}-${qemu.machine}`,
    'running-qemu': qemu.version,
  };
}

function pidOf(g: Guest): number {
  return 1000 + ((g.vmid * 7919 + Math.floor((g.startedAt ?? 0) / 1000)) % 900_000);
}

export function currentStatus(state: ClusterState, g: Guest, t: number): Json {
  const f = state.figures;
  const entry: Json = {
    vmid: g.vmid,
    name: guestName(g),
    status: g.status,
    cpus: f.maxcpu(g),
    maxmem: f.maxmem(g),
    maxdisk: f.maxdisk(g),
    ...liveFigures(state, g, t),
    ...pressureFigures(state, g, t),
    ha: g.ha ? haStatus(g) : { managed: 0 },
  };
  if (g.type === 'qemu') {
    entry.qmpstatus = qmpstatus(g);
    if (g.agentConfigured) entry.agent = 1;
    if (g.status === 'running') {
      Object.assign(entry, runningQemu(state, g));
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

function haStatus(g: Guest): Json {
  const ha: Json = { managed: 1, state: g.ha?.service };
  if (g.ha?.group) ha.group = g.ha.group;
  return ha;
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
    // An unnamed VM has no name line in its config at all.
    if (g.name !== undefined) cfg.name = g.name;
    Object.assign(cfg, {
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
      meta: `creation-qemu=${state.profile.qemu.version},ctime=${g.ctime}`,
    });
    if (windows) Object.assign(cfg, { machine: `pc-q35-${state.profile.qemu.machine.split('+')[0] ?? ''}`, bios: 'ovmf', efidisk0: `${g.storage}:vm-${g.vmid}-disk-1,efitype=4m,pre-enrolled-keys=1,size=4M` });
    if (g.agentConfigured) cfg.agent = '1';
  } else {
    if (g.name !== undefined) cfg.hostname = g.name;
    Object.assign(cfg, {
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
