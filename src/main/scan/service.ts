import type { Clock } from '../base/clock';
import { mapLimit } from '../base/concurrency';
import { HandlerError } from '../base/errors';
import type { Prober } from '../drivers/probe';
import { StatusProber } from '../inventory/prober';
import { SCAN_DEFAULT_PORTS, scanInputSchema, type MacSource, type ScanAddHost, type ScanHost, type ScanInput, type ScanResult } from '../../shared/contract/scan';
import { serverInputSchema, type ServerConfig, type ServerSpec, type ServerView } from '../../shared/server';
import type { Settings } from '../../shared/settings';
import { addressesOf, nameFor, normalizeMac, parseSubnet } from './model';

/** An SSH login to read a host's MAC where the neighbour table has none (loopback lab hosts). */
export interface ScanSsh {
  user: string;
  keyPath: string;
  port: number;
}

/** What a scan needs of the world, handed to it by the composition root. */
export interface ScanPorts {
  /** The TCP prober the status loop uses; the scan wraps it in the same adaptive timeouts. */
  probe: Prober;
  /** The reverse DNS name of an address, or undefined. */
  reverse(address: string): Promise<string | undefined>;
  /** The kernel's neighbour table: IPv4 address → MAC. */
  neighbours(): Promise<Map<string, string>>;
  /** The IEEE OUI vendor of a MAC. */
  vendor(mac: string): Promise<string | undefined>;
  /** `ip -j link` over SSH, parsed to the first non-loopback MAC. */
  sshMac(address: string, ssh: ScanSsh): Promise<string | undefined>;
}

/** The engine as the scan sees it. */
export interface ScanEngine {
  clock: Clock;
  settings(): Settings;
  servers(): readonly ServerConfig[];
  view(id: string): ServerView | undefined;
  addServer(spec: ServerSpec): ServerView;
}

/**
 * The network scan (issue 17): probes every address of a subnet (at most a /16) on common ports
 * with the status loop's adaptive prober, then for each that answered its reverse name, its MAC
 * (neighbour table, what Rackdeck's init found, or SSH when asked) and vendor, and whether
 * Rackdeck knows it. `add` adds the selected hosts in one step, or none of them.
 */
export class ScanService {
  constructor(
    private readonly host: ScanEngine,
    private readonly ports: ScanPorts,
  ) {}

  async run(input: ScanInput, signal?: AbortSignal): Promise<ScanResult> {
    const parsed = scanInputSchema.parse(input);
    const subnet = parseSubnet(parsed.cidr);
    const ports = [...new Set(parsed.ports ?? SCAN_DEFAULT_PORTS)];
    const startedAt = this.host.clock.now();
    const settings = this.host.settings();
    const prober = new StatusProber(this.ports.probe, () => this.host.settings());
    const addresses = addressesOf(subnet);
    const answered: { address: string; openPorts: number[] }[] = [];
    // Expected silent ('off'): a silence costs one adaptive timeout, unconfirmed; an answer is confirmed once.
    await mapLimit(addresses, settings.probeConcurrency, async (address) => {
      if (signal?.aborted) return;
      const obs = await prober.observe(address, address, ports, 'off');
      const open = ports.filter((p) => obs.openPorts[String(p)] === true).sort((a, b) => a - b);
      if (open.length > 0) answered.push({ address, openPorts: open });
    });
    if (signal?.aborted) throw new HandlerError('cancelled', 'The scan was cancelled.');
    answered.sort((a, b) => compareAddresses(a.address, b.address));
    const neighbours = await this.ports.neighbours().catch(() => new Map<string, string>());
    const known = this.host.servers();
    const hosts = await mapLimit(answered, 32, (a) => this.describe(a.address, a.openPorts, neighbours, known, parsed.ssh));
    return { cidr: subnet.cidr, ports, scanned: addresses.length, hosts, startedAt, durationMs: this.host.clock.now() - startedAt };
  }

  private async describe(address: string, openPorts: number[], neighbours: Map<string, string>, known: readonly ServerConfig[], ssh: ScanSsh | undefined): Promise<ScanHost> {
    const server = known.find((s) => s.address.trim().toLowerCase() === address);
    const name = await this.ports.reverse(address).catch(() => undefined);
    let mac: { mac: string; source: MacSource } | undefined;
    const fromTable = neighbours.get(address);
    if (fromTable) mac = { mac: fromTable, source: 'neighbour' };
    if (!mac && server) {
      const view = this.host.view(server.id);
      const fromInit = view?.system?.interfaces.map((i) => normalizeMac(i.mac)).find((m) => m !== undefined);
      const configured = server.mac ? normalizeMac(server.mac) : undefined;
      const m = configured ?? fromInit;
      if (m) mac = { mac: m, source: 'inventory' };
    }
    if (!mac && ssh && openPorts.includes(ssh.port)) {
      const m = await this.ports.sshMac(address, ssh).catch(() => undefined);
      if (m) mac = { mac: m, source: 'ssh' };
    }
    const vendor = mac ? await this.ports.vendor(mac.mac).catch(() => undefined) : undefined;
    return {
      address,
      openPorts,
      ...(name ? { name } : {}),
      ...(mac ? { mac: mac.mac, macSource: mac.source } : {}),
      ...(vendor ? { vendor } : {}),
      ...(server ? { known: { id: server.id, name: server.name } } : {}),
    };
  }

  /** Adds every selected host, or, when any would be refused, none: each is checked before the first is added. */
  add(hosts: readonly ScanAddHost[]): { added: ServerView[] } {
    const existing = this.host.servers();
    const names = new Set(existing.map((s) => s.name.toLowerCase()));
    const addresses = new Set(existing.map((s) => s.address.trim().toLowerCase()));
    const specs: ServerSpec[] = [];
    hosts.forEach((h, i) => {
      const name = h.name ?? nameFor(h.address, undefined);
      const where = `host ${i + 1} (${h.address})`;
      if (addresses.has(h.address.toLowerCase())) throw new HandlerError('conflict', `${where}: Rackdeck already has a server at ${h.address}; nothing was added.`);
      if (names.has(name.toLowerCase())) throw new HandlerError('conflict', `${where}: the name "${name}" is taken; give it another; nothing was added.`);
      const parsed = serverInputSchema.safeParse({ name, address: h.address, ...(h.mac ? { mac: h.mac } : {}), ...(h.ports?.length ? { ports: h.ports } : {}) });
      if (!parsed.success) throw new HandlerError('bad_request', `${where}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}; nothing was added.`);
      if (h.mac && !normalizeMac(h.mac)) throw new HandlerError('bad_request', `${where}: "${h.mac}" is not a MAC address; nothing was added.`);
      names.add(name.toLowerCase());
      addresses.add(h.address.toLowerCase());
      specs.push(parsed.data);
    });
    return { added: specs.map((spec) => this.host.addServer(spec)) };
  }
}

function compareAddresses(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
