/**
 * The cluster's TLS certificate: self-signed like a fresh pve-ssl.pem, valid for every node
 * name and loopback address, with its fingerprint in the form Proxmox and openssl print.
 */
import { X509Certificate } from 'node:crypto';

export interface LabCertificate {
  key: string;
  cert: string;
  fingerprint: string;
}

/** SHA-256 of the certificate's DER as upper-case hex pairs joined by ':'. */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

export async function createCertificate(opts: {
  commonName: string;
  dnsNames: readonly string[];
  addresses: readonly string[];
  now: number;
  /** RSA 2048 like pve-ssl.pem; EC P-256 generates ~25x faster (tests). */
  keyType?: 'rsa' | 'ec';
}): Promise<LabCertificate> {
  const day = 86_400_000;
  const ips = [...new Set(['127.0.0.1', ...opts.addresses])];
  const dns = [...new Set(['localhost', ...opts.dnsNames])];
  // Loaded on first use, so that only a running lab pays for it.
  const { generate } = await import('selfsigned');
  const pems = await generate(
    [
      { name: 'commonName', value: opts.commonName },
      { name: 'organizationName', value: 'Proxmox Virtual Environment' },
      { shortName: 'OU', value: 'PVE Cluster Node' },
    ],
    {
      keyType: opts.keyType ?? 'rsa',
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(opts.now - day),
      notAfterDate: new Date(opts.now + 2 * 365 * day),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [...dns.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))],
        },
      ],
    },
  );
  return { key: pems.private, cert: pems.cert, fingerprint: fingerprintOf(pems.cert) };
}
