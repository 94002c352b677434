import { endpointOf } from './endpoint';

/** A host key as a server offers it in the handshake. */
export interface OfferedHostKey {
  keyType: string;
  /** The public key blob, base64 (what a pin holds). */
  key: string;
  fingerprint: string;
}

/** OpenSSH's short name of a key type, as in "(ED25519)" and "ED25519 key fingerprint is …". */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-rsa' || keyType.startsWith('rsa-')) return 'RSA';
  if (keyType === 'ssh-dss') return 'DSA';
  return keyType.toUpperCase();
}

/** The host as ssh names it in its messages: `host` on port 22, `[host]:port` otherwise. */
export function sshHostName(host: string, port: number): string {
  return port === 22 ? host : endpointOf(host, port);
}
