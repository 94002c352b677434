import { hostAddress, hostPorts, type AddressPlan } from '../addressing';
import { createRng, type Rng } from '../random';
import type { LabHostInfo } from '../types';
import { HARDWARE, memTotalKb, mountsFor, type MachineKind } from './hardware';
import { OS_PROFILES } from './os-profiles';
import type { HostSpec, InitialPower, NicSpec, ServiceName } from './spec';

/**
 * Turns (seed, count) into the machines of the lab. Proxmox nodes come first so the Proxmox
 * simulator can take hosts[0..n) as its nodes; the rest cycle through the kinds of machines a
 * homelab has, so a 6-host demo already shows a NAS, a web box, a Windows desktop and a server.
 */
export interface CatalogOptions {
  count: number;
  seed: number;
  plan: AddressPlan;
  /** Default: 1 below 4 hosts, 2 below 20, else 3. */
  proxmoxNodes?: number;
  /** 'seeded' (default) mixes on, suspended and off hosts; the others force one state. */
  initialPower?: 'seeded' | InitialPower;
}

interface Slot {
  kind: MachineKind;
  role: LabHostInfo['role'];
  os: LabHostInfo['os'];
  prefix: string;
}

const CYCLE: readonly Slot[] = [
  { kind: 'nas', role: 'nas', os: 'debian', prefix: 'nas' },
  { kind: 'web', role: 'web', os: 'debian', prefix: 'web' },
  { kind: 'desktop-windows', role: 'desktop', os: 'windows', prefix: 'DESKTOP' },
  { kind: 'server', role: 'server', os: 'debian', prefix: 'srv' },
  { kind: 'desktop-linux', role: 'desktop', os: 'ubuntu', prefix: 'ws' },
  { kind: 'server', role: 'server', os: 'ubuntu', prefix: 'app' },
  { kind: 'web', role: 'web', os: 'ubuntu', prefix: 'web' },
  { kind: 'server', role: 'server', os: 'debian', prefix: 'srv' },
];

const PROXMOX_SLOT: Slot = { kind: 'proxmox', role: 'proxmox', os: 'proxmox', prefix: 'pve' };

const SERVICES: Readonly<Record<MachineKind, readonly ServiceName[]>> = {
  proxmox: ['ssh', 'proxmox'],
  nas: ['ssh', 'http', 'https'],
  web: ['ssh', 'http', 'https'],
  server: ['ssh'],
  'desktop-linux': ['ssh', 'vnc'],
  'desktop-windows': ['ssh', 'rdp'],
};

export function defaultProxmoxNodes(count: number): number {
  return count < 4 ? 1 : count < 20 ? 2 : 3;
}

export function buildHostSpecs(options: CatalogOptions): HostSpec[] {
  const { count, seed, plan } = options;
  // Separate streams so adding a field to one part never reshuffles MACs or passwords.
  const layoutRng = createRng(seed ^ 0x1ab5eed);
  const macRng = createRng(seed ^ 0x3ac0ffee);
  const secretRng = createRng(seed ^ 0x5ec2e75);
  const proxmoxCount = Math.min(count, Math.max(0, options.proxmoxNodes ?? defaultProxmoxNodes(count)));
  const usedMacs = new Set<string>();
  const usedNames = new Set<string>();
  const counters = new Map<string, number>();
  const specs: HostSpec[] = [];

  for (let index = 0; index < count; index++) {
    const slot = index < proxmoxCount ? PROXMOX_SLOT : (CYCLE[(index - proxmoxCount) % CYCLE.length] as Slot);
    const hw = HARDWARE[slot.kind];
    const profile = OS_PROFILES[slot.os];
    const hostname = nextHostname(slot, counters, usedNames, layoutRng);
    const memKb = memTotalKb(layoutRng.pick(hw.memGiB));
    const address = hostAddress(plan, index);
    const services = SERVICES[slot.kind];
    const nics = buildNics(slot, hw.nicNames, hw.nicAltnames, address, macRng, usedMacs, hw.rxRate, hw.txRate);
    const primary = nics.find((n) => n.kind === 'ether') as NicSpec;
    const windows = slot.os === 'windows';
    specs.push({
      id: hostname.toLowerCase(),
      hostname,
      address,
      mac: primary.mac,
      os: slot.os,
      role: slot.role,
      ports: hostPorts(plan, index, services),
      index,
      user: slot.role === 'proxmox' ? 'root' : 'admin',
      password: randomPassword(secretRng),
      ...(windows ? { secureOn: Buffer.from(Array.from({ length: 6 }, () => secretRng.int(0, 255))) } : {}),
      kernel: profile.kernel,
      osRelease: profile.osRelease,
      prettyName: profile.prettyName,
      sshIdent: profile.sshIdent,
      cpuModel: hw.cpuModel,
      cpuMhz: hw.cpuMhz,
      cpus: hw.cpus,
      memTotalKb: memKb,
      swapTotalKb: hw.swapGiB * 1024 * 1024,
      nics,
      mounts: mountsFor(slot.kind, slot.os, memKb, layoutRng.pick(hw.rootDiskBytes), layoutRng),
      machineId: hex(layoutRng, 16),
      initialPower: 'on',
      initialUptimeSec: layoutRng.int(3600, 45 * 86400),
      cpuLoad: hw.cpuLoad[0] + layoutRng.next() * (hw.cpuLoad[1] - hw.cpuLoad[0]),
      memLoad: hw.memLoad[0] + layoutRng.next() * (hw.memLoad[1] - hw.memLoad[0]),
      canHibernate: hw.swapGiB * 1024 * 1024 >= memKb || windows,
    });
  }
  assignInitialPower(specs, options.initialPower ?? 'seeded', layoutRng);
  return specs;
}

function nextHostname(slot: Slot, counters: Map<string, number>, used: Set<string>, rng: Rng): string {
  if (slot.kind === 'desktop-windows') {
    // Windows names its machines DESKTOP-XXXXXXX out of the box.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    for (;;) {
      const name = `DESKTOP-${Array.from({ length: 7 }, () => rng.pick([...alphabet])).join('')}`;
      if (!used.has(name)) return remember(used, name);
    }
  }
  const n = (counters.get(slot.prefix) ?? 0) + 1;
  counters.set(slot.prefix, n);
  const name = slot.kind === 'proxmox' ? `${slot.prefix}${n}` : `${slot.prefix}${String(n).padStart(2, '0')}`;
  return remember(used, name);
}

function remember(used: Set<string>, name: string): string {
  used.add(name);
  return name;
}

function buildNics(
  slot: Slot, names: readonly string[], altnames: readonly (string | undefined)[], address: string,
  rng: Rng, usedMacs: Set<string>, rxRate: number, txRate: number,
): NicSpec[] {
  const ipv4 = { local: address, prefixlen: 24, broadcast: address.replace(/\.\d+$/, '.255') };
  const nics: NicSpec[] = names.map((name, i) => {
    const altname = altnames[i];
    const first = i === 0;
    return {
      ifindex: i + 2,
      name,
      altnames: altname === undefined ? [] : [altname],
      mac: uniqueMac(rng, usedMacs),
      kind: 'ether',
      carrier: first,
      speedMbps: slot.kind === 'nas' ? 2500 : 1000,
      qdisc: slot.kind === 'proxmox' || slot.kind === 'server' ? 'mq' : 'fq_codel',
      wake: { supports: 'pumbg', mode: 'g' },
      ...(first && slot.kind !== 'proxmox' ? { ipv4 } : {}),
      rxRate: first ? rxRate : 0,
      txRate: first ? txRate : 0,
    } satisfies NicSpec;
  });
  if (slot.kind === 'proxmox') {
    const port = nics[0] as NicSpec;
    port.master = 'vmbr0';
    // A Linux bridge takes the MAC of its first port, which is why WoL to vmbr0's MAC works.
    nics.push({
      ifindex: nics.length + 2, name: 'vmbr0', altnames: [], mac: port.mac, kind: 'bridge', carrier: true,
      speedMbps: 10000, qdisc: 'noqueue', ipv4, rxRate: port.rxRate * 0.9, txRate: port.txRate * 0.9,
    });
  }
  return nics;
}

/** Locally administered unicast (02:…), never a real vendor's prefix. */
function uniqueMac(rng: Rng, used: Set<string>): string {
  for (;;) {
    const mac = ['02', ...Array.from({ length: 5 }, () => rng.int(0, 255).toString(16).padStart(2, '0'))].join(':');
    if (!used.has(mac)) {
      used.add(mac);
      return mac;
    }
  }
}

function randomPassword(rng: Rng): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 16 }, () => rng.pick([...alphabet])).join('');
}

function hex(rng: Rng, bytes: number): string {
  return Array.from({ length: bytes }, () => rng.int(0, 255).toString(16).padStart(2, '0')).join('');
}

/**
 * Proxmox nodes start on (the cluster simulator needs them); the others are mostly on, with a
 * few asleep or off, and at least one of each once there are enough machines for a demo.
 */
function assignInitialPower(specs: HostSpec[], mode: 'seeded' | InitialPower, rng: Rng): void {
  if (mode !== 'seeded') {
    for (const spec of specs) spec.initialPower = mode;
    return;
  }
  const others = specs.filter((s) => s.role !== 'proxmox');
  for (const spec of others) {
    const r = rng.next();
    spec.initialPower = r < 0.65 ? 'on' : r < 0.85 ? 'suspended' : 'off';
  }
  if (others.length >= 3) {
    ensureOne(others, 'suspended', rng);
    ensureOne(others, 'off', rng);
  }
  for (const spec of others) {
    // Some running machines have Wake-on-LAN switched off: Rackdeck should notice before it suspends them.
    const nic = spec.nics[0];
    if (spec.initialPower === 'on' && nic?.wake && rng.next() < 0.15) nic.wake.mode = 'd';
  }
}

function ensureOne(specs: HostSpec[], power: InitialPower, rng: Rng): void {
  if (specs.some((s) => s.initialPower === power)) return;
  const candidates = specs.filter((s) => s.initialPower === 'on');
  if (candidates.length > 1) rng.pick(candidates).initialPower = power;
}
