/**
 * IPv4 arithmetic for the subnet-directed broadcast (address | ~netmask). Pure, so it can be
 * tested for any subnet without sending a packet anywhere.
 */
export function parseIpv4(text: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not an IPv4 address`);
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) throw new Error(`"${text}" is not an IPv4 address`);
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
}

/** A netmask as `255.255.240.0`, `20` or `/20`; a non-contiguous mask is refused. */
export function parseNetmask(text: string): number {
  const t = text.trim();
  const prefix = /^\/?(\d{1,2})$/.exec(t);
  if (prefix) {
    const bits = Number(prefix[1]);
    if (bits > 32) throw new Error(`prefix length ${bits} is over 32`);
    return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  }
  const mask = parseIpv4(t);
  const inverted = ~mask >>> 0;
  // Contiguous ⇔ the inverted mask is 2^k − 1.
  if ((inverted & (inverted + 1)) !== 0) throw new Error(`"${text}" is not a contiguous netmask`);
  return mask;
}

export function directedBroadcast(address: string, netmask: string): string {
  const addr = parseIpv4(address);
  const mask = parseNetmask(netmask);
  return formatIpv4((addr | (~mask >>> 0)) >>> 0);
}
