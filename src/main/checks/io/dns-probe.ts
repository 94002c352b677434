import type Dns from 'node:dns';
import type { DnsProbe } from '../ports';
import { nodeModule } from '../../base/node-module';

const dns = nodeModule<typeof Dns>('node:dns');

/**
 * One A/AAAA query to one resolver (node's c-ares Resolver with `setServers`, so a port other
 * than 53 works: `127.0.0.1:5353`, `[::1]:5353`), one try, the check's own timeout.
 */
export const dnsProbe: DnsProbe = async ({ name, type, server, port, timeoutMs }) => {
  const resolver = new (dns().promises.Resolver)({ timeout: timeoutMs, tries: 1 });
  resolver.setServers([server.includes(':') ? `[${server}]:${port}` : `${server}:${port}`]);
  try {
    const addresses = type === 'A' ? await resolver.resolve4(name) : await resolver.resolve6(name);
    return { addresses };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { error: e.code === 'ETIMEOUT' ? 'no answer in time' : e.message, ...(e.code ? { code: e.code } : {}) };
  } finally {
    resolver.cancel();
  }
};
