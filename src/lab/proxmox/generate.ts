/**
 * Seeded generation of the cluster's contents: guests (a mix of VMs and containers in every
 * interesting state), storages, ISO/template files and when guests were backed up. The same
 * seed gives the same cluster; nothing here reads Math.random.
 */
import type { Rng } from '../random';
import type { Guest, GuestHa, GuestNic, NodeRecord, Snapshot, StorageDef, StorageFile } from './model';

const GiB = 1024 ** 3;

const ROLES = [
  'web', 'db', 'app', 'cache', 'proxy', 'dns', 'mail', 'git', 'ci', 'mon',
  'log', 'vpn', 'media', 'files', 'dev', 'test', 'k8s', 'backup', 'auth', 'home',
] as const;
const TAGS = ['prod', 'dev', 'test', 'web', 'db', 'critical', 'k8s', 'media', 'backup'] as const;
const TEMPLATE_NAMES = ['tpl-debian-12', 'tpl-ubuntu-2404', 'tpl-rocky-9', 'tpl-win2022'] as const;
const CPU_MODELS = [
  'Intel(R) Xeon(R) E-2278G CPU @ 3.40GHz',
  'AMD Ryzen 9 5950X 16-Core Processor',
  'Intel(R) Core(TM) i5-8500T CPU @ 2.10GHz',
  'AMD EPYC 7302P 16-Core Processor',
] as const;

interface Archetype {
  type: 'qemu' | 'lxc';
  role: string;
  state: 'running' | 'stopped' | 'paused';
  template?: boolean;
  agent?: 'none' | 'configured' | 'running';
  ignoresAcpi?: boolean;
  dhcp?: boolean;
  ha?: boolean;
  ostype?: string;
  tags?: string[];
  snapshots?: number;
}

/** The first eight guests cover every state a client must handle, so even the default lab shows them. */
const ARCHETYPES: readonly Archetype[] = [
  { type: 'qemu', role: 'web', state: 'running', agent: 'running', ha: true, tags: ['prod', 'web'], snapshots: 2 },
  { type: 'lxc', role: 'db', state: 'running', tags: ['db', 'prod'], snapshots: 1 },
  { type: 'qemu', role: 'app', state: 'stopped', agent: 'running', tags: ['dev'] },
  { type: 'lxc', role: 'cache', state: 'stopped', dhcp: true },
  { type: 'qemu', role: 'win', state: 'running', agent: 'none', ignoresAcpi: true, ostype: 'win11', tags: ['test'] },
  { type: 'qemu', role: 'tpl', state: 'stopped', template: true, agent: 'configured' },
  { type: 'lxc', role: 'dns', state: 'running', dhcp: true, tags: ['critical'] },
  { type: 'qemu', role: 'media', state: 'paused', agent: 'configured', tags: ['media'] },
];

export function generateNodes(
  rng: Rng,
  hosts: readonly NodeRecord['host'][],
  guestCount: number,
  now: number,
): NodeRecord[] {
  return hosts.map((host, i) => {
    const cpus = rng.pick([8, 12, 16, 24, 32]);
    const perNode = Math.ceil(guestCount / Math.max(1, hosts.length));
    // Enough memory for its share of guests, so big labs do not look absurdly overcommitted.
    const memGiB = Math.max(rng.pick([32, 64, 128]), Math.ceil((perNode * 2.4) / 32) * 32);
    return {
      name: host.info.hostname,
      host,
      nodeid: i + 1,
      address: host.info.address,
      port: host.info.ports.proxmox ?? 8006,
      cpus,
      cpuModel: rng.pick(CPU_MODELS),
      memBytes: memGiB * GiB,
      rootBytes: rng.pick([68, 94, 100]) * GiB,
      swapBytes: 8 * GiB,
      bootedAt: now - rng.int(2, 60) * 86_400_000 - rng.int(0, 86_399) * 1000,
      baseCpu: 0.01 + rng.next() * 0.04,
    };
  });
}

function mac(seed: number, index: number): string {
  // An odd multiplier is a bijection modulo 2^24: every guest gets its own address.
  const v = (Math.imul(index + 1, 0x9e3779b1) + Math.imul(seed, 0x1f3)) & 0xffffff;
  const b = [v >>> 16, (v >>> 8) & 0xff, v & 0xff].map((x) => x.toString(16).toUpperCase().padStart(2, '0'));
  return `BC:24:11:${b.join(':')}`;
}

/** Guest addresses are loopback addresses, so anything that probes them stays on this machine. */
function address(index: number): { ip: string; gw: string } {
  const subnet = 10 + Math.floor(index / 250);
  return { ip: `127.0.${subnet}.${(index % 250) + 2}`, gw: `127.0.${subnet}.1` };
}

export function seededUuid(rng: Rng): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
}

function randomArchetype(rng: Rng, templatesSoFar: number, index: number, total: number): Archetype {
  const type = rng.next() < 0.55 ? 'qemu' : 'lxc';
  if (type === 'qemu' && templatesSoFar < Math.max(1, Math.floor(total * 0.03)) && rng.next() < 0.06) {
    return { type, role: 'tpl', state: 'stopped', template: true, agent: 'configured' };
  }
  const roll = rng.next();
  const state = roll < 0.68 ? 'running' : roll < 0.95 || type === 'lxc' ? 'stopped' : 'paused';
  const tagCount = rng.int(0, 2);
  const tags = [...new Set(Array.from({ length: tagCount }, () => rng.pick(TAGS)))].sort();
  const agentRoll = rng.next();
  const windows = type === 'qemu' && rng.next() < 0.08;
  return {
    type,
    role: windows ? 'win' : ROLES[(index * 7 + rng.int(0, ROLES.length - 1)) % ROLES.length] ?? 'app',
    state,
    agent: type === 'lxc' ? 'none' : agentRoll < 0.6 ? 'running' : agentRoll < 0.75 ? 'configured' : 'none',
    ignoresAcpi: windows ? rng.next() < 0.5 : rng.next() < 0.02,
    ostype: windows ? 'win11' : undefined,
    dhcp: type === 'lxc' && rng.next() < 0.3,
    ha: rng.next() < 0.1,
    tags,
    snapshots: rng.next() < 0.15 ? rng.int(1, 3) : 0,
  };
}

const SNAPSHOT_NAMES = ['clean-install', 'before-upgrade', 'pre-update', 'known-good', 'weekly'] as const;

function makeSnapshots(rng: Rng, count: number, type: 'qemu' | 'lxc', now: number): Snapshot[] {
  const snaps: Snapshot[] = [];
  let t = Math.floor(now / 1000) - rng.int(20, 200) * 86_400;
  for (let i = 0; i < count; i++) {
    t += rng.int(1, 20) * 86_400 + rng.int(0, 86_399);
    const name = SNAPSHOT_NAMES[i % SNAPSHOT_NAMES.length] ?? `snap${i}`;
    const vmstate = type === 'qemu' && rng.next() < 0.4;
    snaps.push({
      name,
      description: rng.pick(['', 'before apt full-upgrade', 'fresh install', 'known good state']),
      snaptime: t,
      parent: snaps[i - 1]?.name,
      vmstate,
      wasRunning: vmstate,
    });
  }
  return snaps;
}

function haEntry(state: 'started' | 'stopped'): GuestHa {
  return { request: state, service: state, maxRestart: 1, maxRelocate: 1, failback: true };
}

export function generateGuests(rng: Rng, seed: number, nodes: readonly NodeRecord[], count: number, now: number): Guest[] {
  const guests: Guest[] = [];
  const roleCounts = new Map<string, number>();
  let templates = 0;
  for (let i = 0; i < count; i++) {
    const a = ARCHETYPES[i] ?? randomArchetype(rng, templates, i, count);
    const vmid = 100 + i;
    let name: string;
    if (a.template) {
      name = TEMPLATE_NAMES[templates % TEMPLATE_NAMES.length] ?? 'tpl';
      if (templates >= TEMPLATE_NAMES.length) name += `-${Math.floor(templates / TEMPLATE_NAMES.length) + 1}`;
      templates++;
    } else {
      const n = (roleCounts.get(a.role) ?? 0) + 1;
      roleCounts.set(a.role, n);
      name = `${a.role}-${String(n).padStart(2, '0')}`;
    }
    const node = nodes[i % nodes.length];
    if (!node) throw new Error('a Proxmox cluster needs at least one node');
    const { ip, gw } = address(i);
    const nic: GuestNic =
      a.type === 'qemu'
        ? { key: 'net0', mac: mac(seed, i), bridge: 'vmbr0', model: 'virtio', ifname: 'ens18', ip: `${ip}/24`, gw, leased: `${ip}/24`, firewall: true }
        : {
            key: 'net0',
            mac: mac(seed, i),
            bridge: 'vmbr0',
            ifname: 'eth0',
            ip: a.dhcp ? 'dhcp' : `${ip}/24`,
            gw: a.dhcp ? undefined : gw,
            leased: `${ip}/24`,
            firewall: true,
          };
    const running = a.state !== 'stopped' && !a.template;
    const snapshots = makeSnapshots(rng, a.snapshots ?? 0, a.type, now);
    const windows = a.ostype?.startsWith('win') ?? false;
    guests.push({
      vmid,
      type: a.type,
      node: node.name,
      name,
      status: running ? 'running' : 'stopped',
      paused: a.state === 'paused',
      template: a.template ?? false,
      tags: a.tags ?? [],
      ha: a.ha && !a.template ? haEntry(running ? 'started' : 'stopped') : undefined,
      cores: a.type === 'qemu' ? rng.pick(windows ? [4, 8] : [1, 2, 2, 4, 8]) : rng.pick([1, 1, 2, 4]),
      sockets: 1,
      memoryMiB: a.type === 'qemu' ? rng.pick(windows ? [8192, 16384] : [1024, 2048, 2048, 4096, 8192]) : rng.pick([256, 512, 1024, 2048]),
      swapMiB: a.type === 'lxc' ? 512 : 0,
      diskGiB: a.type === 'qemu' ? rng.pick(windows ? [64, 100] : [16, 32, 32, 64, 100]) : rng.pick([4, 8, 8, 16, 32]),
      diskUsedFraction: 0.15 + rng.next() * 0.6,
      storage: 'local-lvm',
      ostype: a.ostype ?? (a.type === 'qemu' ? 'l26' : rng.pick(['debian', 'debian', 'ubuntu', 'alpine'])),
      onboot: !a.template && rng.next() < 0.6,
      agentConfigured: a.agent === 'configured' || a.agent === 'running',
      agentInstalled: a.agent === 'running',
      ignoresAcpi: a.ignoresAcpi ?? false,
      hung: false,
      startedAt: running ? now - rng.int(600, 40 * 86_400) * 1000 : undefined,
      nics: [nic],
      snapshots,
      currentParent: snapshots[snapshots.length - 1]?.name,
      load: {
        cpu: 0.01 + rng.next() ** 2 * 0.5,
        mem: 0.3 + rng.next() * 0.5,
        net: Math.round(2_000 + rng.next() ** 3 * 2_000_000),
        disk: Math.round(10_000 + rng.next() ** 3 * 5_000_000),
      },
      uuid: seededUuid(rng),
      ctime: Math.floor(now / 1000) - rng.int(30, 700) * 86_400,
      configVersion: 1,
    });
  }
  return guests;
}

export function defaultStorages(nodeCount: number, guestCount: number): StorageDef[] {
  const lvmGiB = Math.max(512, Math.ceil((guestCount / Math.max(1, nodeCount)) * 40 / 256) * 256);
  return [
    { id: 'local', type: 'dir', content: ['backup', 'iso', 'vztmpl'], shared: false, totalBytes: 94 * GiB, path: '/var/lib/vz' },
    { id: 'local-lvm', type: 'lvmthin', content: ['images', 'rootdir'], shared: false, totalBytes: lvmGiB * GiB, vgname: 'pve', thinpool: 'data' },
    {
      id: 'nas',
      type: 'nfs',
      content: ['backup', 'iso', 'vztmpl'],
      shared: true,
      totalBytes: 8 * 1024 * GiB,
      path: '/mnt/pve/nas',
      // Loopback like every simulated address: configuration data only, never connected to.
      server: '127.0.200.10',
      export: '/export/pve',
    },
  ];
}

const ISOS = [
  ['debian-12.8.0-amd64-netinst.iso', 661_651_456],
  ['ubuntu-24.04.1-live-server-amd64.iso', 2_773_874_688],
  ['virtio-win-0.1.262.iso', 708_411_392],
] as const;
const CT_TEMPLATES = [
  ['debian-12-standard_12.7-1_amd64.tar.zst', 126_020_787, 'tzst'],
  ['ubuntu-24.04-standard_24.04-2_amd64.tar.zst', 141_589_318, 'tzst'],
  ['alpine-3.20-default_20240908_amd64.tar.xz', 3_064_516, 'txz'],
] as const;

/** ISO images and container templates on every node's local storage. */
export function generateFiles(rng: Rng, nodes: readonly NodeRecord[], now: number): StorageFile[] {
  const files: StorageFile[] = [];
  const nowSec = Math.floor(now / 1000);
  for (const node of nodes) {
    for (const [name, size] of ISOS) {
      files.push({ storage: 'local', node: node.name, volid: `local:iso/${name}`, content: 'iso', format: 'iso', size, ctime: nowSec - rng.int(5, 300) * 86_400 });
    }
    for (const [name, size, format] of CT_TEMPLATES) {
      files.push({ storage: 'local', node: node.name, volid: `local:vztmpl/${name}`, content: 'vztmpl', format, size, ctime: nowSec - rng.int(5, 300) * 86_400 });
    }
  }
  return files;
}

/**
 * Which guests were backed up when (about a third of them, once or twice in the last two
 * weeks): the runs backups.ts turns into vzdump tasks and backup volumes.
 */
export function generateBackupRuns(rng: Rng, guests: readonly Guest[], now: number): { guest: Guest; startSec: number }[] {
  const runs: { guest: Guest; startSec: number }[] = [];
  const nowSec = Math.floor(now / 1000);
  for (const g of guests) {
    if (g.template || rng.next() > 0.3) continue;
    const copies = rng.int(1, 2);
    for (let c = 0; c < copies; c++) {
      runs.push({ guest: g, startSec: nowSec - (c * 7 + rng.int(0, 6)) * 86_400 - rng.int(0, 3600) });
    }
  }
  return runs;
}
