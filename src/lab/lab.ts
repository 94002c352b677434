import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { canBindAddress, DEFAULT_BASE_PORT, DEFAULT_FIRST_ADDRESS, type AddressPlan } from './addressing';
import type { LabDescription, LabHostDescription } from './description';
import { buildHostSpecs } from './hosts/catalog';
import { SimHost } from './hosts/host';
import type { InitialPower } from './hosts/spec';
import { ensureClientKey, type LabClientKey } from './keys/client-key';
import { startProxmoxCluster, type ProxmoxClusterHandle, type ProxmoxClusterOptions } from './proxmox';
import { pveProfile } from './proxmox/profile';
import { lazyTls } from './tls';
import { formatSecureOn } from './wol/magic-packet';
import { WolListener } from './wol/listener';

/**
 * A whole homelab on loopback: hosts with real SSH servers and service ports, and a
 * Wake-on-LAN listener that can wake them. Deterministic for a seed, cheap per host (keys and
 * SSH servers are made on first use), and it never binds outside 127.0.0.0/8.
 */
export interface LabOptions {
  /** Number of hosts; default 6. */
  hosts?: number;
  /** Same seed, same lab (names, MACs, passwords, host keys, figures). Default 1. */
  seed?: number;
  /** All hosts on 127.0.0.1 with a block of ports each; chosen automatically when 127.0.1.1 cannot be bound. */
  singleAddress?: boolean;
  /** First port of the per-host blocks in single-address mode; default 20000. */
  basePort?: number;
  /** First host address in distinct-address mode; default 127.0.1.1 (labs running side by side need different ones). */
  firstAddress?: string;
  /** Delay between a wake request and the host answering; default 4000 ms. */
  bootDelayMs?: number;
  /** Delay between a suspend/shutdown command and the host going down; default 1500 ms. */
  suspendDelayMs?: number;
  /** Where the client keypair is written; default $TMPDIR/rackdeck-lab-<seed>. */
  stateDir?: string;
  /** UDP port of the Wake-on-LAN listener on 127.0.0.1; default 40009, 0 for any free port. */
  wolPort?: number;
  /** Also receive magic packets on every host's own address (distinct-address mode only). */
  wolPerHost?: boolean;
  /** How many leading hosts are Proxmox nodes; default 1 below 4 hosts, 2 below 20, else 3. */
  proxmoxNodes?: number;
  /** 'seeded' (default) mixes on, suspended and off hosts. */
  initialPower?: 'seeded' | InitialPower;
  /** More OpenSSH public key lines every host accepts (e.g. a key Rackdeck generated). */
  authorizedKeys?: readonly string[];
  /** Clock for the hosts' figures; default Date.now. */
  now?: () => number;
  /**
   * The simulated Proxmox cluster on the lab's Proxmox hosts: guest count (default 8), or false
   * for none. Other cluster options (task delay, certificate key…) pass through.
   */
  proxmox?: false | (Omit<ProxmoxClusterOptions, 'nodes'> & { guests?: number });
}

export interface Lab {
  readonly hosts: readonly SimHost[];
  readonly wol: WolListener;
  readonly singleAddress: boolean;
  readonly seed: number;
  readonly stateDir: string;
  readonly clientKey: LabClientKey;
  /** The simulated Proxmox cluster, when the lab has Proxmox hosts and it was not turned off. */
  readonly proxmox: ProxmoxClusterHandle | undefined;
  /** By id, hostname or MAC. */
  host(key: string): SimHost | undefined;
  describe(): LabDescription;
  stop(): Promise<void>;
}

export const DEFAULT_WOL_PORT = 40009;

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const count = options.hosts ?? 6;
  if (!Number.isInteger(count) || count < 0) throw new Error(`hosts must be a non-negative integer, got ${count}`);
  const seed = options.seed ?? 1;
  const firstAddress = options.firstAddress ?? DEFAULT_FIRST_ADDRESS;
  // macOS only configures 127.0.0.1: fall back to one address with a block of ports per host.
  const singleAddress = options.singleAddress ?? !(await canBindAddress(firstAddress));
  const plan: AddressPlan = { singleAddress, firstAddress, basePort: options.basePort ?? DEFAULT_BASE_PORT };
  const stateDir = options.stateDir ?? join(tmpdir(), `rackdeck-lab-${seed}`);
  const clientKey = await ensureClientKey(stateDir, seed);
  const authorizedKeys = [clientKey.publicLine, ...(options.authorizedKeys ?? [])].map(parsePublicKey);

  const specs = buildHostSpecs({
    count, seed, plan,
    ...(options.proxmoxNodes !== undefined ? { proxmoxNodes: options.proxmoxNodes } : {}),
    ...(options.initialPower !== undefined ? { initialPower: options.initialPower } : {}),
  });
  const tls = lazyTls();
  const hosts = specs.map((spec) => new SimHost(spec, {
    seed, authorizedKeys, tls,
    bootDelayMs: options.bootDelayMs ?? 4000,
    suspendDelayMs: options.suspendDelayMs ?? 1500,
    ...(options.now ? { now: options.now } : {}),
  }));
  const byKey = new Map<string, SimHost>();
  for (const host of hosts) {
    byKey.set(host.id, host);
    byKey.set(host.hostname, host);
    byKey.set(host.mac, host);
  }

  let wol: WolListener | undefined;
  try {
    await Promise.all(hosts.map((host) => host.start()));
    const perHost = (options.wolPerHost ?? false) && !singleAddress;
    wol = await WolListener.start({
      port: options.wolPort ?? DEFAULT_WOL_PORT,
      ...(perHost ? { extraAddresses: hosts.map((h) => h.address) } : {}),
      resolve: (mac) => byKey.get(mac),
    });
  } catch (error) {
    await Promise.all(hosts.map((host) => host.stop()));
    throw error;
  }
  const listener = wol;
  const nodes = hosts.filter((h) => h.spec.role === 'proxmox');
  let proxmox: ProxmoxClusterHandle | undefined;
  if (options.proxmox !== false && nodes.length > 0) {
    try {
      proxmox = await startProxmoxCluster({ seed, ...(options.proxmox ?? {}), nodes });
      const cluster = proxmox;
      // The nodes' shells get pveum on that cluster (token setup over SSH), and pveversion says its release.
      const manager = `pve-manager/${pveProfile(cluster.version).version.version}/${pveProfile(cluster.version).version.repoid}`;
      for (const node of nodes) node.attachPveTools({ pveum: (args) => cluster.pveum(args), managerVersion: () => manager });
    } catch (error) {
      await Promise.all([...hosts.map((host) => host.stop()), listener.close()]);
      throw error;
    }
  }
  const cluster = proxmox;
  const perHostAddresses = (options.wolPerHost ?? false) && !singleAddress;

  return {
    hosts, wol: listener, singleAddress, seed, stateDir, clientKey, proxmox: cluster,
    host: (key) => byKey.get(key) ?? byKey.get(key.toLowerCase()),
    describe: (): LabDescription => ({
      seed,
      singleAddress,
      stateDir,
      clientKey: {
        privateKeyPath: clientKey.privateKeyPath, publicKeyPath: clientKey.publicKeyPath,
        publicKey: clientKey.publicLine, fingerprint: clientKey.fingerprint,
      },
      hosts: hosts.map((host) => describeHost(host, clientKey.privateKeyPath)),
      wol: { address: listener.address, port: listener.port, perHostAddresses },
      ...(cluster ? { proxmox: cluster.describe() } : {}),
    }),
    stop: async () => {
      await cluster?.stop();
      await Promise.all([...hosts.map((host) => host.stop()), listener.close()]);
    },
  };
}

function describeHost(host: SimHost, keyPath: string): LabHostDescription {
  const spec = host.spec;
  const key = host.hostKey();
  const nic = spec.nics[0];
  return {
    id: spec.id,
    hostname: spec.hostname,
    address: spec.address,
    ports: { ...spec.ports },
    mac: spec.mac,
    os: spec.os,
    role: spec.role,
    power: host.power(),
    ssh: {
      user: spec.user,
      port: spec.ports.ssh ?? 0,
      password: spec.password,
      keyPath,
      hostKeyFingerprint: key.fingerprint,
      hostKey: key.publicLine.split(' ').slice(0, 2).join(' '),
    },
    ...(spec.secureOn ? { secureOn: formatSecureOn(spec.secureOn) } : {}),
    wakeOn: (nic && host.machine.wakeOn(nic.name)) ?? 'd',
  };
}

function parsePublicKey(line: string): ParsedKey {
  const parsed = ssh2.utils.parseKey(line);
  if (parsed instanceof Error) throw new Error(`cannot parse authorized key: ${parsed.message}`);
  return parsed;
}
