import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An agent key is `rdk_<id>_<secret>`: the id (public, 8 random bytes) finds the record without
 * trying every hash; the secret (32 random bytes) is what proves the agent. Only a salted
 * SHA-256 of the secret is stored. A slow KDF (scrypt) buys nothing against a 256-bit random
 * secret and would let anyone burn our CPU with bogus keys, so a fast hash it is.
 */
const KEY_PATTERN = /^rdk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewKey {
  id: string;
  key: string;
  salt: string;
  hash: string;
}

export function hashSecret(secret: string, salt: string): string {
  return createHash('sha256').update(Buffer.from(salt, 'hex')).update(secret, 'utf8').digest('hex');
}

export function newAgentKey(): NewKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  return { id, key: `rdk_${id}_${secret}`, salt, hash: hashSecret(secret, salt) };
}

export function parseAgentKey(key: string): { id: string; secret: string } | undefined {
  const m = KEY_PATTERN.exec(key);
  return m ? { id: m[1] as string, secret: m[2] as string } : undefined;
}

export function secretMatches(secret: string, salt: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret, salt), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key from `Authorization: Bearer <key>`, or undefined when the header is absent or not that. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}
