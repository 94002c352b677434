import { createHash } from 'node:crypto';

/** `SHA256:<base64 without padding>`, the form `ssh-keygen -lf` and OpenSSH's warnings print. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`…). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  if (len <= 0 || len > 64 || 4 + len > keyBlob.length) return 'unknown';
  const name = keyBlob.subarray(4, 4 + len).toString('ascii');
  return /^[a-z0-9@.-]+$/i.test(name) ? name : 'unknown';
}
