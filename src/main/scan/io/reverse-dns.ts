import type DnsPromises from 'node:dns/promises';
import { nodeModule } from '../../base/node-module';

const dnsPromises = nodeModule<typeof DnsPromises>('node:dns/promises');

/**
 * Reverse DNS (PTR) names, with a deadline. A loopback address is asked only of a loopback DNS
 * server: its name means nothing to the network's DNS, and no query about it leaves the machine
 * (the lab's tests bring a resolver of their own on 127.x).
 */
export function reverseResolver(options: { servers?: string[]; timeoutMs?: number } = {}): (address: string) => Promise<string | undefined> {
  const resolver = new (dnsPromises().Resolver)({ timeout: options.timeoutMs ?? 2_000, tries: 1 });
  if (options.servers?.length) resolver.setServers(options.servers);
  const loopbackOnly = resolver.getServers().every((s) => /^(\[?::1\]?|127\.)/.test(s));
  return async (address) => {
    if (address.startsWith('127.') && !loopbackOnly) return undefined;
    try {
      const [name] = await resolver.reverse(address);
      return name;
    } catch {
      return undefined;
    }
  };
}
