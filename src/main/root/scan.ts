import { readNeighbours } from '../scan/io/neighbours';
import { ouiVendor } from '../scan/io/oui';
import { reverseResolver } from '../scan/io/reverse-dns';
import { sshMacReader } from '../scan/io/ssh-mac';
import { ScanService, type ScanPorts } from '../scan/service';
import type { Core } from './core';

/** Fakes or a resolver a test brings (the lab's tests: a DNS server of their own on 127.x). */
export interface ScanOptions {
  dnsServers?: string[];
  ports?: Partial<ScanPorts>;
}

/** Builds the network scan (issue 17) on the engine: its prober, its inventory, and the real adapters. */
export function composeScan(core: Core, options: ScanOptions = {}): ScanService {
  const { engine } = core;
  return new ScanService(
    {
      clock: engine.clock,
      settings: () => engine.settings,
      servers: () => engine.servers(),
      view: (id) => engine.view(id),
      addServer: (spec) => engine.addServer(spec),
    },
    {
      probe: options.ports?.probe ?? engine.prober,
      reverse: options.ports?.reverse ?? reverseResolver(options.dnsServers ? { servers: options.dnsServers } : {}),
      neighbours: options.ports?.neighbours ?? (() => readNeighbours()),
      vendor: options.ports?.vendor ?? ouiVendor,
      sshMac: options.ports?.sshMac ?? sshMacReader(core.home, engine.clock),
    },
  );
}
