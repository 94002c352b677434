/**
 * The network rule, enforced inside a fuzz run: a fuzzer that writes valid-looking requests
 * may write a host name or an address Rackdeck would then try to reach. Every name lookup is
 * refused (only `localhost` and literal loopback addresses resolve), and a UDP datagram to
 * anything but 127.0.0.0/8 is dropped. What was refused is counted, never sent.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';

const isLoopback = (host: string) => host === 'localhost' || (net.isIPv4(host) && host.startsWith('127.')) || host === '::1';

export interface LoopbackGuard {
  /** Names and addresses something tried to reach beyond loopback (refused). */
  readonly refused: string[];
  restore(): void;
}

type Callback = (error: NodeJS.ErrnoException | null, ...rest: unknown[]) => void;

export function guardLoopback(): LoopbackGuard {
  const refused: string[] = [];
  const saved = { lookup: dns.lookup, resolve4: dns.resolve4, resolve6: dns.resolve6, resolve: dns.resolve, send: dgram.Socket.prototype.send, plookup: dns.promises.lookup };
  const notFound = (host: string) => Object.assign(new Error(`getaddrinfo ENOTFOUND ${host} (blocked by the test's loopback guard)`), { code: 'ENOTFOUND', hostname: host });
  const block = (original: (...args: never[]) => unknown) =>
    function (this: unknown, host: string, ...rest: unknown[]) {
      if (isLoopback(host)) return (original as (...a: unknown[]) => unknown).call(this, host, ...rest);
      refused.push(host);
      const callback = rest.reverse().find((r): r is Callback => typeof r === 'function');
      if (callback) process.nextTick(() => callback(notFound(host)));
      return undefined;
    };
  Object.assign(dns, { lookup: block(saved.lookup), resolve4: block(saved.resolve4), resolve6: block(saved.resolve6), resolve: block(saved.resolve) });
  dns.promises.lookup = (async (host: string, ...rest: unknown[]) => {
    if (isLoopback(host)) return (saved.plookup as (...a: unknown[]) => unknown)(host, ...rest);
    refused.push(host);
    throw notFound(host);
  }) as typeof dns.promises.lookup;
  dgram.Socket.prototype.send = function (this: dgram.Socket, ...args: unknown[]) {
    const address = args.find((a, i) => i > 0 && typeof a === 'string') as string | undefined;
    if (address !== undefined && !isLoopback(address)) {
      refused.push(`udp:${address}`);
      const callback = args.find((a): a is Callback => typeof a === 'function');
      if (callback) process.nextTick(() => callback(notFound(address)));
      return;
    }
    return (saved.send as (...a: unknown[]) => void).apply(this, args);
  } as typeof dgram.Socket.prototype.send;
  return {
    refused,
    restore() {
      Object.assign(dns, { lookup: saved.lookup, resolve4: saved.resolve4, resolve6: saved.resolve6, resolve: saved.resolve });
      dns.promises.lookup = saved.plookup;
      dgram.Socket.prototype.send = saved.send;
    },
  };
}
