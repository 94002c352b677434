import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../../store/atomic-file';

/** What the web face serves HTTPS with, and what it tells the admin about it. */
export interface TlsMaterial {
  key: string;
  cert: string;
  /** SHA-256 of the certificate, as browsers show it (AB:CD:…). */
  fingerprint: string;
  /** `provided`: the admin's files; `generated`: made now; `kept`: made on an earlier start. */
  source: 'provided' | 'generated' | 'kept';
  certPath: string;
}

export interface TlsRequest {
  home: string;
  /** The address the face binds to: the certificate names it (or every interface's address). */
  host: string;
  /** Extra DNS names the admin lets the face answer to (`settings.web.allowedHosts`). */
  names?: readonly string[];
  /** The admin's own certificate and key (`settings.web.tls`); a self-signed pair otherwise. */
  files?: { certFile: string; keyFile: string } | undefined;
  now?: number;
}

/** Where the generated pair lives: in the home, the key 0600 in a 0700 folder. */
export const TLS_DIR = 'web-tls';

/** Every address of this machine's interfaces, for a face bound to all of them. */
export function interfaceAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => i.address.replace(/%.*$/, ''));
}

/**
 * The certificate and key for HTTPS beyond loopback: the admin's files when set (checked to be
 * a pair), else a self-signed pair generated on first use and kept in `<home>/web-tls/`,
 * generated again only when it no longer names the address or is about to expire.
 */
export async function webTlsMaterial(request: TlsRequest): Promise<TlsMaterial> {
  if (request.files) return provided(request.files);
  const dir = path.join(request.home, TLS_DIR);
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  const now = request.now ?? Date.now();
  const { ips, dns } = subjectNames(request.host, request.names ?? []);
  const kept = readPair(certPath, keyPath);
  if (kept && covers(kept.x509, ips, dns, now)) {
    return { key: kept.key, cert: kept.cert, fingerprint: kept.x509.fingerprint256, source: 'kept', certPath };
  }
  const made = await generate(ips, dns, now);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  writeFileAtomic(keyPath, made.key, 0o600);
  writeFileAtomic(certPath, made.cert, 0o600);
  return { ...made, fingerprint: new X509Certificate(made.cert).fingerprint256, source: 'generated', certPath };
}

function provided(files: { certFile: string; keyFile: string }): TlsMaterial {
  let cert: string;
  let key: string;
  try {
    cert = fs.readFileSync(files.certFile, 'utf8');
    key = fs.readFileSync(files.keyFile, 'utf8');
  } catch (error) {
    throw new Error(`The web face's certificate (settings.web.tls) could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) throw new Error(`${files.keyFile} is not the key of ${files.certFile}`);
  } catch (error) {
    throw new Error(`The web face's certificate (settings.web.tls) is not usable: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { key, cert, fingerprint: x509.fingerprint256, source: 'provided', certPath: files.certFile };
}

function readPair(certPath: string, keyPath: string): { cert: string; key: string; x509: X509Certificate } | undefined {
  try {
    const cert = fs.readFileSync(certPath, 'utf8');
    const key = fs.readFileSync(keyPath, 'utf8');
    const x509 = new X509Certificate(cert);
    return x509.checkPrivateKey(createPrivateKey(key)) ? { cert, key, x509 } : undefined;
  } catch {
    // Missing or damaged: a new pair is made (the old one holds nothing the admin typed).
    return undefined;
  }
}

function subjectNames(host: string, names: readonly string[]): { ips: string[]; dns: string[] } {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  const bound = bare === '' || bare === '0.0.0.0' || bare === '::' ? interfaceAddresses() : [bare];
  const all = [...bound, ...names, '127.0.0.1', 'localhost'];
  return {
    ips: [...new Set(all.filter((n) => net.isIP(n) !== 0))],
    dns: [...new Set(all.filter((n) => net.isIP(n) === 0).map((n) => n.toLowerCase()))],
  };
}

const DAY = 86_400_000;

function covers(x509: X509Certificate, ips: readonly string[], dns: readonly string[], now: number): boolean {
  if (Date.parse(x509.validTo) < now + 7 * DAY) return false;
  return ips.every((ip) => x509.checkIP(ip) !== undefined) && dns.every((name) => x509.checkHost(name) !== undefined);
}

async function generate(ips: readonly string[], dns: readonly string[], now: number): Promise<{ key: string; cert: string }> {
  // Loaded only when the face is opened beyond loopback.
  const { generate: selfSign } = await import('selfsigned');
  const pems = await selfSign([{ name: 'commonName', value: 'Rackdeck web face' }, { name: 'organizationName', value: 'Rackdeck' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY),
    notAfterDate: new Date(now + 825 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...dns.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** The fingerprint of the certificate the face would serve, when there is one already (for `rackdeck web-url`). */
export function knownFingerprint(home: string, files?: { certFile: string; keyFile: string }): string | undefined {
  try {
    return new X509Certificate(fs.readFileSync(files?.certFile ?? path.join(home, TLS_DIR, 'cert.pem'), 'utf8')).fingerprint256;
  } catch {
    return undefined;
  }
}
