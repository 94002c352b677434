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

/** The leading 16-bit groups of an IPv6 address ("fe80::1" → [0xfe80, 0, …]), zone left off. */
function ipv6Groups(address: string): number[] | undefined {
  const a = address.replace(/%.*$/, '').toLowerCase();
  const [head = '', tail] = a.split('::');
  const parse = (part: string) => (part ? part.split(':') : []).map((h) => (h.includes('.') ? NaN : parseInt(h, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  if ([...left, ...right].some((n) => !Number.isInteger(n) || n < 0 || n > 0xffff)) return undefined;
  return tail === undefined ? left : [...left, ...Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
}

/**
 * Whether a guest may be reached at an address it reports (agent, container, config): an IP
 * that is neither the guest's own loopback (127.0.0.1, ::1), nor unspecified, link-local
 * (169.254/16, fe80::/10), multicast or broadcast. Those exist on every guest and lead to
 * nothing (or to the laptop itself). Other 127.x addresses stay usable: the lab's guests live
 * on them. An IPv4-mapped IPv6 address is judged as its IPv4 address.
 */
export function isReachableGuestAddress(address: string): boolean {
  const a = address.trim();
  if (!isIpAddress(a)) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a)?.[1];
  const v4 = IPV4.test(a) ? a : mapped;
  if (v4) {
    const [o1 = 0, o2 = 0] = v4.split('.').map(Number);
    if (v4 === '127.0.0.1' || v4 === '0.0.0.0' || v4 === '255.255.255.255') return false;
    if (o1 === 169 && o2 === 254) return false;
    if (o1 >= 224) return false; // multicast 224/4 and the reserved 240/4
    return true;
  }
  const g = ipv6Groups(a);
  if (!g) return false;
  const first = g[0] ?? 0;
  if (g.every((x) => x === 0)) return false; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return false; // ::1
  if ((first & 0xffc0) === 0xfe80) return false; // fe80::/10 link-local
  if ((first & 0xff00) === 0xff00) return false; // ff00::/8 multicast
  return true;
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
