/**
 * The Wake-on-LAN magic packet (AMD's "Magic Packet" white paper): six 0xFF bytes, the target
 * MAC sixteen times, optionally a 4- or 6-byte SecureOn password. The lab parses the UDP payload
 * strictly, so a sender that pads, truncates or repeats the MAC wrong is caught in tests.
 */
export type MagicPacket =
  | { ok: true; mac: string; password?: Buffer }
  | { ok: false; reason: 'length' | 'sync' | 'repetition' };

const SYNC_LENGTH = 6;
const MAC_LENGTH = 6;
const REPETITIONS = 16;
const BASE_LENGTH = SYNC_LENGTH + MAC_LENGTH * REPETITIONS;

export function parseMagicPacket(payload: Buffer): MagicPacket {
  const extra = payload.length - BASE_LENGTH;
  if (extra !== 0 && extra !== 4 && extra !== 6) return { ok: false, reason: 'length' };
  for (let i = 0; i < SYNC_LENGTH; i++) if (payload[i] !== 0xff) return { ok: false, reason: 'sync' };
  const mac = payload.subarray(SYNC_LENGTH, SYNC_LENGTH + MAC_LENGTH);
  for (let r = 1; r < REPETITIONS; r++) {
    const start = SYNC_LENGTH + r * MAC_LENGTH;
    if (!payload.subarray(start, start + MAC_LENGTH).equals(mac)) return { ok: false, reason: 'repetition' };
  }
  const text = [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
  return extra === 0 ? { ok: true, mac: text } : { ok: true, mac: text, password: Buffer.from(payload.subarray(BASE_LENGTH)) };
}

export function buildMagicPacket(mac: string, password?: Buffer): Buffer {
  const bytes = parseMac(mac);
  if (password !== undefined && password.length !== 4 && password.length !== 6) {
    throw new Error('SecureOn password must be 4 or 6 bytes');
  }
  return Buffer.concat([Buffer.alloc(SYNC_LENGTH, 0xff), ...Array.from({ length: REPETITIONS }, () => bytes), password ?? Buffer.alloc(0)]);
}

export function parseMac(mac: string): Buffer {
  const hex = mac.replace(/[:-]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) throw new Error(`not a MAC address: ${mac}`);
  return Buffer.from(hex, 'hex');
}

/** SecureOn passwords are written like MACs (6 bytes) or dotted quads (4 bytes) in ethtool. */
export function formatSecureOn(password: Buffer): string {
  return [...password].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
