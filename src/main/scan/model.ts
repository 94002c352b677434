import { SCAN_MAX_PREFIX } from '../../shared/contract/scan';
import { HandlerError } from '../base/errors';

/**
 * The network scan's pure parts: the subnet a scan covers (and the refusal of one too large),
 * the kernel's neighbour table as text, MAC and name tidying.
 */

export interface Subnet {
  /** Normalised: the network address and prefix (`192.168.1.0/24` for `192.168.1.77/24`). */
  cidr: string;
  prefix: number;
  first: number;
  /** How many addresses a scan probes: the network and broadcast addresses are left out below a /31. */
  count: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function ipv4ToInt(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Why a /N is refused, in the words the CLI and the dialog show. */
export function tooLargeReason(prefix: number): string {
  const size = 2 ** (32 - prefix);
  return (
    `a /${prefix} holds ${size.toLocaleString('en-US')} addresses; Rackdeck scans at most a /${SCAN_MAX_PREFIX} (65,536) at once, ` +
    `so a scan ends within minutes and does not flood the network with connection attempts. Scan the /${SCAN_MAX_PREFIX}s (or /24s) you use one at a time.`
  );
}

/** Parses `a.b.c.d/n` (or one address, a /32); refuses what is not one, and anything larger than a /16. */
export function parseSubnet(text: string): Subnet {
  const [address = '', prefixText, more] = text.trim().split('/');
  const base = ipv4ToInt(address);
  if (base === undefined || more !== undefined || (prefixText !== undefined && !/^\d{1,2}$/.test(prefixText))) {
    throw new HandlerError('bad_request', `"${text}" is not an IPv4 subnet: write it like 192.168.1.0/24`, { cidr: 'an IPv4 subnet like 192.168.1.0/24' });
  }
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (prefix > 32) throw new HandlerError('bad_request', `/${prefix} is not a prefix length: it is 0 to 32`, { cidr: 'a prefix length is 0 to 32' });
  if (prefix < SCAN_MAX_PREFIX) throw new HandlerError('bad_request', `Refused: ${tooLargeReason(prefix)}`, { cidr: `at most a /${SCAN_MAX_PREFIX}` });
  const size = 2 ** (32 - prefix);
  const network = Math.floor(base / size) * size;
  const inner = prefix <= 30;
  return { cidr: `${intToIpv4(network)}/${prefix}`, prefix, first: inner ? network + 1 : network, count: inner ? size - 2 : size };
}

/** Every address a scan of the subnet probes, in order. */
export function addressesOf(subnet: Subnet): string[] {
  const out: string[] = [];
  for (let i = 0; i < subnet.count; i++) out.push(intToIpv4(subnet.first + i));
  return out;
}

/** A MAC as `aa:bb:cc:dd:ee:ff`, or undefined when it is not one (or all zeros: an incomplete entry). */
export function normalizeMac(text: string): string | undefined {
  const hex = text.trim().toLowerCase().replace(/[-:.]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex) || /^0+$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}

/**
 * `/proc/net/arp`: `IP address  HW type  Flags  HW address  Mask  Device`, one entry a line.
 * Entries without a completed address (flags without 0x2) are left out.
 */
export function parseProcArp(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const [ip, , flags, hw] = line.trim().split(/\s+/);
    if (!ip || !flags || !hw || ipv4ToInt(ip) === undefined) continue;
    if ((Number.parseInt(flags, 16) & 0x2) === 0) continue;
    const mac = normalizeMac(hw);
    if (mac) out.set(ip, mac);
  }
  return out;
}

/** `ip -j link`'s interfaces: the first MAC of one that is not loopback. */
export function macFromIpLink(json: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  for (const entry of parsed as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { link_type: type, address } = entry as { link_type?: unknown; address?: unknown };
    if (type === 'loopback' || typeof address !== 'string') continue;
    const mac = normalizeMac(address);
    if (mac) return mac;
  }
  return undefined;
}

/** A server name from a reverse DNS name (its first label) or, without one, the address. */
export function nameFor(address: string, reverse: string | undefined): string {
  const label = reverse?.replace(/\.$/, '').split('.')[0];
  return label && /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(label) ? label : address;
}
