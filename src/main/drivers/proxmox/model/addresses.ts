import type { GuestAddress, ProxmoxGuestInfo } from '../../../../shared/contract/proxmox';

/** Pure: what Rackdeck can tell of an address without asking the network. */

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * Whether a string is an IPv4 or IPv6 address, as `net.isIP` answers (a zone index such as
 * "%eth0" allowed), without the I/O module: the WHATWG URL parser is the IPv6 grammar.
 */
export function isIpAddress(input: string): boolean {
  if (IPV4.test(input)) return true;
  const at = input.indexOf('%');
  const address = at < 0 ? input : input.slice(0, at);
  const zone = at < 0 ? undefined : input.slice(at + 1);
  if (!address.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(address) || (zone !== undefined && !/^[\w.-]+$/.test(zone))) return false;
  try {
    new URL(`http://[${address}]/`);
    return true;
  } catch {
    return false;
  }
}

export interface LookupQuery {
  ip?: string;
  hostname?: string;
  name?: string;
}

/**
 * Reverse lookup: which guest holds this IP, answers to this hostname (the first label of an
 * FQDN counts) or carries this name/alias. IP wins over hostname, hostname over name.
 */
export function reverseLookup<G extends Pick<ProxmoxGuestInfo, 'name' | 'vmid' | 'id'>>(
  guests: readonly G[],
  addresses: ReadonlyMap<string, readonly GuestAddress[]>,
  q: LookupQuery,
): G | undefined {
  if (q.ip) {
    const ip = q.ip.trim().replace(/^\[|\]$/g, '').toLowerCase();
    const hit = guests.find((g) => addresses.get(g.id)?.some((a) => a.address.toLowerCase() === ip));
    if (hit) return hit;
  }
  if (q.hostname) {
    const host = q.hostname.trim().toLowerCase().replace(/\.$/, '');
    const short = host.split('.')[0];
    const hit = guests.find((g) => g.name.toLowerCase() === host) ?? guests.find((g) => g.name.toLowerCase() === short);
    if (hit) return hit;
  }
  if (q.name) {
    const name = q.name.trim().toLowerCase();
    if (/^\d+$/.test(name)) {
      const byId = guests.find((g) => g.vmid === Number(name));
      if (byId) return byId;
    }
    return guests.find((g) => g.name.toLowerCase() === name) ?? guests.find((g) => g.id === name);
  }
  return undefined;
}
