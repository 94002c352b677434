/**
 * The spellings of network things an admin types (MAC addresses, IP addresses, host names),
 * checked the one way every face shares: the contract's zod schemas (server.ts) call these,
 * and so the desktop form, the web face, the CLI and the config file refuse the same input
 * with the same words. Pure and zod-free, so the WoL driver's model can use it too.
 */

/** The four spellings `ip link`, Windows, Cisco and label printers produce. */
export const MAC_FORMS = ['aa:bb:cc:dd:ee:ff', 'aa-bb-cc-dd-ee-ff', 'aabb.ccdd.eeff', 'aabbccddeeff'] as const;

const MAC_PATTERNS = [
  /^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i,
];

export const MAC_MESSAGE = `not a MAC address; accepted forms: ${MAC_FORMS.join(', ')}`;

/** The six bytes as lower-case hex pairs, or undefined when `input` is none of the four forms. */
export function macPairs(input: string): string[] | undefined {
  const trimmed = input.trim();
  for (const re of MAC_PATTERNS) {
    const m = re.exec(trimmed);
    if (m) return m.slice(1, 7).map((h) => h.toLowerCase());
  }
  return undefined;
}

/** `AA-BB-CC-DD-EE-FF` → `aa:bb:cc:dd:ee:ff`: the one form Rackdeck stores, shows and puts in commands. */
export function normalizeMac(input: string): string | undefined {
  return macPairs(input)?.join(':');
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/**
 * An IPv6 literal as `ip -6 addr` prints one: up to eight groups, one `::` at most, an IPv4
 * tail allowed (::ffff:192.0.2.1), and a zone for link-local addresses (fe80::1%eno1).
 */
export function isIpv6(text: string): boolean {
  const [addr = '', zone, ...more] = text.split('%');
  if (more.length > 0 || (zone !== undefined && !/^[A-Za-z0-9_.-]{1,15}$/.test(zone))) return false;
  if (!addr.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(addr)) return false;
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  let count = 0;
  for (const [i, g] of groups.entries()) {
    if (i === groups.length - 1 && g.includes('.')) {
      if (!isIpv4(g)) return false;
      count += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) count += 1;
    else return false;
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * A host name per RFC 1123: dot-separated labels of letters, digits and inner dashes, 1–63
 * characters each, 253 in all, a trailing dot allowed. Its last label is not all digits (RFC
 * 1123 2.1): `999.1.2.3` is a mistyped IP address, and a resolver would ask DNS for it forever.
 */
export function isHostname(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name === '' || name.length > 253) return false;
  const labels = name.split('.');
  if (!labels.every((l) => LABEL.test(l))) return false;
  return !/^\d+$/.test(labels[labels.length - 1] as string);
}

export const ADDRESS_MESSAGE = 'an address is an IPv4 address (four numbers 0–255), an IPv6 address or a host name (letters, digits, dashes and dots)';
export const NUMERIC_NAME_MESSAGE = 'not an IPv4 address (four numbers 0–255), and a host name cannot be all digits and dots';

/** Why `text` is not an address, or undefined when it is one. */
export function addressProblem(text: string): string | undefined {
  if (isIpv4(text) || isIpv6(text) || isHostname(text)) return undefined;
  return /^[\d.]+$/.test(text) ? NUMERIC_NAME_MESSAGE : ADDRESS_MESSAGE;
}

const SECUREON = [/^(?:(?:25[0-5]|2[0-4]\d|1\d\d|\d{1,2})\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|\d{1,2})$/, /^[0-9a-f]{2}(?:[:-]?[0-9a-f]{2}){3}$/i, /^[0-9a-f]{2}(?:[:-]?[0-9a-f]{2}){5}$/i];
export const SECUREON_MESSAGE = 'a SecureOn password is 4 bytes as 192.168.1.1 or 6 bytes as aa:bb:cc:dd:ee:ff';

/** A SecureOn password as network cards take it: 4 bytes dotted, or 6 bytes in hex. */
export function isSecureOnPassword(text: string): boolean {
  return SECUREON.some((re) => re.test(text.trim()));
}
