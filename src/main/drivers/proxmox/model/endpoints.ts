import { ProxmoxError } from './errors';

/**
 * Pure: how a cluster is reached and when its certificate is trusted: the API's base URL, a
 * SHA-256 fingerprint in the form the Proxmox GUI shows, and the trust rule the HTTPS layer
 * applies to every finished handshake.
 */

const HEX64 = /^[0-9A-F]{64}$/;

/** "aa:bb…", "AABB…", "sha256:AA BB …" → "AA:BB:…" (the form the Proxmox GUI shows). */
export function normalizeFingerprint(input: string): string {
  const hex = input.trim().replace(/^sha-?256[:= ]?/i, '').replace(/[\s:-]/g, '').toUpperCase();
  if (!HEX64.test(hex)) throw new Error('a SHA-256 fingerprint is 64 hex digits, optionally separated by colons');
  return hex.match(/../g)!.join(':');
}

export function isFingerprint(input: string): boolean {
  try {
    normalizeFingerprint(input);
    return true;
  } catch {
    return false;
  }
}

/** "pve.lan", "https://pve.lan:8006/", "10.0.0.5:8006" → "https://pve.lan:8006". Plain http is refused. */
export function normalizeBaseUrl(input: string): string {
  const raw = input.trim();
  if (!raw) throw new Error('a cluster URL is required');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`"${input}" is not a URL`);
  }
  if (url.protocol !== 'https:') throw new Error('the Proxmox API is served over https; a plain http URL would send the credentials in clear');
  if (url.username || url.password) throw new Error('put credentials in the token or user fields, not in the URL');
  const port = url.port || '8006';
  return `https://${url.hostname}:${port}`;
}

export interface TrustInput {
  /** Whether the chain verified against the CAs and the name matched. */
  authorized: boolean;
  authorizationError?: string | undefined;
  /** The presented certificate's SHA-256 fingerprint, "AA:BB:…". */
  fingerprint: string;
  /** The pinned fingerprint, normalised, if the admin pinned one. */
  pinned?: string | undefined;
  host: string;
}

/**
 * Pure trust rule. With a pin, the certificate must be exactly the pinned one (a different one,
 * even CA-signed, is a changed certificate and is refused, named). Without a pin, the CA
 * verification must pass; otherwise the error carries the presented fingerprint so the admin
 * can compare it with the one the node shows and pin it.
 */
export function judgeCertificate(input: TrustInput): ProxmoxError | null {
  if (input.pinned) {
    if (input.fingerprint === input.pinned) return null;
    return new ProxmoxError(
      'certificate_mismatch',
      `The certificate of ${input.host} has changed: it presented ${input.fingerprint}, but ${input.pinned} is pinned. ` +
        'If the node was reinstalled or its certificate renewed, check the new fingerprint on the node and trust it again.',
      { fingerprint: input.fingerprint, expectedFingerprint: input.pinned },
    );
  }
  if (input.authorized) return null;
  return new ProxmoxError(
    'certificate_untrusted',
    `The certificate of ${input.host} is not trusted (${input.authorizationError ?? 'unknown issuer'}). ` +
      `Its SHA-256 fingerprint is ${input.fingerprint}; compare it with the one shown on the node (Datacenter → node → System → Certificates) and pin it to trust it.`,
    { fingerprint: input.fingerprint },
  );
}

export interface CertificateInfo {
  /** "AA:BB:…" */
  fingerprint: string;
  /** Whether the system's CAs (and the extra CA, if given) vouch for it and the name matches. */
  authorized: boolean;
  authorizationError?: string;
  subject?: string;
  issuer?: string;
  validTo?: string;
}
