import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';

/**
 * Deterministic ed25519 keys for the lab: a host key must survive restarts of the lab (so a
 * pinned fingerprint stays valid) and differ between seeds, so keys are derived from labels
 * instead of generated. The private key is written in OpenSSH's own format because that is what
 * ssh2 (and `ssh -i`) read; Node cannot export ed25519 to it.
 */
export interface Ed25519KeyPair {
  /** `-----BEGIN OPENSSH PRIVATE KEY-----` text, unencrypted. */
  privateOpenSsh: string;
  /** `ssh-ed25519 AAAA… comment`, one line without a newline. */
  publicLine: string;
  /** The SSH wire encoding of the public key (what fingerprints hash). */
  publicBlob: Buffer;
  /** `SHA256:…` exactly as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const KEY_TYPE = 'ssh-ed25519';

/** 32 bytes from labelled parts; the NUL separator keeps ('ab','c') apart from ('a','bc'). */
export function deriveSeed(...parts: readonly (string | number)[]): Buffer {
  return createHash('sha256').update(parts.map(String).join('\0')).digest();
}

export function ed25519FromSeed(seed: Buffer, comment: string): Ed25519KeyPair {
  if (seed.length !== 32) throw new Error(`ed25519 seed must be 32 bytes, got ${seed.length}`);
  const publicRaw = publicFromSeed(seed);
  const publicBlob = Buffer.concat([sshString(KEY_TYPE), sshString(publicRaw)]);
  return {
    privateOpenSsh: encodePrivate(seed, publicRaw, publicBlob, comment),
    publicLine: `${KEY_TYPE} ${publicBlob.toString('base64')} ${comment}`.trimEnd(),
    publicBlob,
    fingerprint: sshFingerprint(publicBlob),
  };
}

/**
 * The public half of an ed25519 seed. Importing as JWK builds the key from raw bytes and is
 * about 7× faster than DER, whose OpenSSL 3 decoder chain costs ~1.5 ms a key: that is the
 * difference between describe() of 1000 hosts taking 0.2 s or 2 s. Node derives the public
 * key from `d` alone; the DER path stays as a fallback should a runtime insist on `x`.
 */
function publicFromSeed(seed: Buffer): Buffer {
  try {
    const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: '' }, format: 'jwk' });
    const x = createPublicKey(privateKey).export({ format: 'jwk' }).x;
    if (typeof x === 'string' && x.length > 0) return Buffer.from(x, 'base64url');
  } catch {
    // fall through to DER
  }
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32);
}

export function sshFingerprint(publicBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicBlob).digest('base64').replace(/=+$/, '')}`;
}

function sshString(value: string | Buffer): Buffer {
  const body = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

function uint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

/** The openssh-key-v1 container (PROTOCOL.key in OpenSSH), cipher "none". */
function encodePrivate(seed: Buffer, publicRaw: Buffer, publicBlob: Buffer, comment: string): string {
  // The check integer is random in OpenSSH; derived here so the file is byte-stable.
  const check = createHash('sha256').update(seed).digest().readUInt32BE(0);
  const body = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString(KEY_TYPE),
    sshString(publicRaw),
    sshString(Buffer.concat([seed, publicRaw])),
    sshString(comment),
  ]);
  const padLength = (8 - (body.length % 8)) % 8;
  const padding = Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1));
  const container = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(Buffer.concat([body, padding])),
  ]);
  const lines = container.toString('base64').match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}
