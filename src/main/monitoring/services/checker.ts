import type { ServiceReport, ServiceView } from '../../../shared/contract/monitoring';
import { mapLimit } from '../../base/concurrency';
import type { Prober } from '../../drivers/probe';
import { knownScheme, portName, portsToCheck, webUrl, worthSniffing, type WebScheme } from './catalog';

/** What an open port of an unknown service speaks, as far as a sniff could tell (io/sniff.ts). */
export interface SniffResult {
  scheme?: WebScheme;
  /** A name read from a banner (ssh, vnc, smtp…). */
  name?: string;
}

export type Sniffer = (host: string, port: number, timeoutMs: number) => Promise<SniffResult>;

export interface CheckTarget {
  id: string;
  address: string;
  ports: readonly number[];
}

export interface CheckOptions {
  commonPorts: boolean;
  timeoutMs: number;
  probe: Prober;
  sniff: Sniffer;
}

/**
 * Checks a server's services: every port at once (the probe), then, for open ports of unknown
 * services, what they speak. A sniff result is remembered per address and port, since a port's
 * protocol does not change between checks, and a sniff costs up to three connections.
 */
export class ServiceChecker {
  private readonly sniffed = new Map<string, SniffResult>();

  constructor(private options: CheckOptions) {}

  configure(options: Partial<CheckOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** `unchanged`: closed ports taken as they were, not knocked on this time (services/closed-ports.ts). */
  async check(target: CheckTarget, now: () => number, unchanged: readonly ServiceView[] = []): Promise<ServiceReport> {
    const all = portsToCheck(target.ports, this.options.commonPorts);
    // Only common ports still to be listed, never the server's own (they are always knocked on).
    const kept = new Map(unchanged.filter((v) => all.includes(v.port) && !target.ports.includes(v.port)).map((v) => [v.port, v]));
    const ports = all.filter((p) => !kept.has(p));
    const probed = await this.options.probe(target.address, ports, this.options.timeoutMs);
    const sniff = this.options.sniff;
    const services = await mapLimit(ports, 4, async (port): Promise<ServiceView> => {
      const open = probed.openPorts[String(port)] === true;
      const view: ServiceView = { port, name: portName(port), open, configured: target.ports.includes(port) };
      if (!open) return view;
      let scheme = knownScheme(port);
      if (!scheme && worthSniffing(port)) {
        const key = `${target.address}:${port}`;
        let found = this.sniffed.get(key);
        if (!found) {
          found = await sniff(target.address, port, this.options.timeoutMs);
          this.sniffed.set(key, found);
        }
        scheme = found.scheme;
        if (found.name) view.name = found.name;
        else if (scheme && view.name === String(port)) view.name = scheme;
      }
      if (scheme) view.url = webUrl(scheme, target.address, port);
      return view;
    });
    for (const v of kept.values()) services.push({ ...v });
    // Configured first, then open ones, then by port.
    services.sort((a, b) => Number(b.configured) - Number(a.configured) || Number(b.open) - Number(a.open) || a.port - b.port);
    return { serverId: target.id, checkedAt: now(), services };
  }

  forget(address: string): void {
    for (const key of [...this.sniffed.keys()]) if (key.startsWith(`${address}:`)) this.sniffed.delete(key);
  }
}
