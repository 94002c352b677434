import { parseMac, type Mac } from './mac';

/**
 * The magic packet: 6 × 0xFF, then the MAC 16 times, then the optional SecureOn password.
 * NICs match it anywhere in a frame, so the UDP port only matters to routers and firewalls.
 */
export function magicPacket(mac: Mac | string, password?: Buffer): Buffer {
  const m = typeof mac === 'string' ? parseMac(mac) : mac;
  if (password && password.length !== 4 && password.length !== 6) {
    throw new Error(`a SecureOn password is 4 or 6 bytes, got ${password.length}`);
  }
  const parts = [Buffer.alloc(6, 0xff), ...Array.from({ length: 16 }, () => m.bytes)];
  if (password) parts.push(password);
  return Buffer.concat(parts);
}

export const SECUREON_FORMS = ['a.b.c.d (4 bytes, as ether-wake takes it)', 'aa:bb:cc:dd:ee:ff (6 bytes)', '8 or 12 hex digits'] as const;

/**
 * A SecureOn password as ether-wake and NIC vendors write it: 4 bytes in dotted decimal, or
 * 4/6 bytes in hex, with or without separators.
 */
export function parseSecureOn(input: string): Buffer {
  const s = input.trim();
  const dotted = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (dotted) {
    const bytes = dotted.slice(1).map(Number);
    if (bytes.every((b) => b <= 255)) return Buffer.from(bytes);
  }
  const hex = s.replace(/[:.-]/g, '');
  const separatorsOk = /^[0-9a-f]{2}(?:[:-]?[0-9a-f]{2})*$/i.test(s);
  if (separatorsOk && /^[0-9a-f]+$/i.test(hex) && (hex.length === 8 || hex.length === 12)) return Buffer.from(hex, 'hex');
  throw new Error(`"${input}" is not a SecureOn password; accepted forms: ${SECUREON_FORMS.join(', ')}`);
}
