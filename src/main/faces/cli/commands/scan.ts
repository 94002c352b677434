import type { ScanAddHost, ScanResult } from '../../../../shared/contract/scan';
import { nameFor, parseSubnet } from '../../../scan/model';
import { intOption, onePositional, parse, UsageError } from '../args';
import type { Command } from '../command';
import { table } from '../format';

/** `rackdeck scan <cidr>` (issue 17): what answers on a subnet, and adding what was found. */

export function parsePorts(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new UsageError('--ports takes a comma-separated list like 22,80,443');
  if (parts.length > 32) throw new UsageError('--ports takes at most 32 ports');
  return parts.map((p) => intOption(p, 'ports', 1, 65535) as number);
}

export function scanRows(result: ScanResult): string[] {
  return table([
    ['ADDRESS', 'NAME', 'MAC', 'VENDOR', 'OPEN PORTS', 'KNOWN AS'],
    ...result.hosts.map((h) => [h.address, h.name ?? '', h.mac ? `${h.mac}${h.macSource === 'neighbour' ? '' : ` (${h.macSource})`}` : '', h.vendor ?? '', h.openPorts.join(','), h.known?.name ?? '-']),
  ]);
}

/** The hosts `--add` names: `new` (every one Rackdeck does not know) or a list of addresses found. */
export function selectHosts(result: ScanResult, which: string): ScanAddHost[] {
  const wanted = which === 'new' ? result.hosts.filter((h) => !h.known) : which.split(',').map((a) => {
    const host = result.hosts.find((h) => h.address === a.trim());
    if (!host) throw new UsageError(`--add: ${a.trim()} did not answer the scan`);
    return host;
  });
  return wanted.map((h) => ({ address: h.address, name: nameFor(h.address, h.name), ports: h.openPorts, ...(h.mac ? { mac: h.mac } : {}) }));
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'find what answers on a subnet: addresses, names, MACs and vendors, and which Rackdeck knows',
  usage: `rackdeck scan <cidr> [--ports P,P,…] [--ssh-user U --ssh-key FILE [--ssh-port P]] [--add new|ADDR,…] [--json]

  <cidr>       an IPv4 subnet, at most a /16 (larger ones are refused, exit 2)
  --ports      the ports to try (default 22,80,443,445,3389,5900,8006,2222)
  --ssh-user, --ssh-key, --ssh-port
               log in to hosts whose MAC the neighbour table lacks (loopback lab hosts) to read it
  --add        add what was found in one step: "new" for every host Rackdeck does not know, or
               the addresses to add (named by reverse DNS, or by address)
  --json       machine-readable output

Example: rackdeck scan 192.168.1.0/24 --ports 22,445 --add new`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, {
      ports: { type: 'string' },
      'ssh-user': { type: 'string' },
      'ssh-key': { type: 'string' },
      'ssh-port': { type: 'string' },
      add: { type: 'string' },
      json: { type: 'boolean' },
    });
    const cidr = onePositional(positionals, 'cidr');
    try {
      parseSubnet(cidr);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const ports = values.ports === undefined ? undefined : parsePorts(values.ports);
    const sshUser = values['ssh-user'];
    const sshKey = values['ssh-key'];
    if ((sshUser === undefined) !== (sshKey === undefined)) throw new UsageError('--ssh-user and --ssh-key go together');
    const sshPort = intOption(values['ssh-port'], 'ssh-port', 1, 65535);
    const { client } = ctx.open();
    const result = await client.scan.run({
      cidr,
      ...(ports ? { ports } : {}),
      ...(sshUser !== undefined && sshKey !== undefined ? { ssh: { user: sshUser, keyPath: sshKey, ...(sshPort === undefined ? {} : { port: sshPort }) } } : {}),
    });
    const toAdd = values.add === undefined ? [] : selectHosts(result, values.add);
    const added = toAdd.length > 0 ? (await client.scan.add({ hosts: toAdd })).added : [];
    if (values.json) {
      ctx.io.out(JSON.stringify(values.add === undefined ? result : { ...result, added }, null, 2));
      return 0;
    }
    ctx.io.out(`${result.cidr}: ${result.hosts.length} of ${result.scanned} addresses answered on ${result.ports.join(',')} (${(result.durationMs / 1000).toFixed(1)} s)`);
    if (result.hosts.length > 0) for (const line of scanRows(result)) ctx.io.out(line);
    if (values.add !== undefined) ctx.io.out(added.length === 0 ? 'Nothing to add: every host found is known already.' : `Added ${added.map((s) => `${s.name} (${s.address})`).join(', ')}`);
    return 0;
  },
};
