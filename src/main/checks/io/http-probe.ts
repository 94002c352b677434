import type Http from 'node:http';
import type Https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { HttpResult } from '../model/network';
import type { HttpProbe } from '../ports';
import { nodeModule } from '../../base/node-module';

const http = nodeModule<typeof Http>('node:http');
const https = nodeModule<typeof Https>('node:https');

const BODY_LIMIT = 1024 * 1024;
const MAX_REDIRECTS = 10;

/**
 * One HTTP(S) check request with node's own clients: a fresh connection each time (no agent,
 * so the certificate is seen on every run), redirects followed by hand (so each hop is known and
 * capped), the first MiB of the body kept for the keyword, and the peer certificate's expiry
 * read even when verification is off for a self-signed homelab UI.
 */
export const httpProbe: HttpProbe = async (req, signal) => {
  const started = performance.now();
  const redirects: string[] = [];
  let url = new URL(req.url);
  let cert: HttpResult['cert'];
  for (;;) {
    const hop = await once(url, req.method, req.verifyTls, signal);
    cert ??= hop.cert;
    const location = hop.location;
    if (req.followRedirects && location && hop.status >= 300 && hop.status < 400) {
      if (redirects.length >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
      redirects.push(url.toString());
      continue;
    }
    return { status: hop.status, body: hop.body, durationMs: performance.now() - started, redirects, ...(cert ? { cert } : {}) };
  }
};

interface Hop {
  status: number;
  body: string;
  location?: string;
  cert?: HttpResult['cert'];
}

function once(url: URL, method: 'GET' | 'HEAD', verifyTls: boolean, signal: AbortSignal): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const options = { method, signal, agent: false as const, headers: { 'user-agent': 'Rackdeck-check', accept: '*/*' }, ...(secure ? { rejectUnauthorized: verifyTls } : {}) };
    const request = (secure ? https() : http()).request(url, options, (res) => {
      let cert: HttpResult['cert'];
      if (secure) {
        const socket = res.socket as TLSSocket;
        const peer = socket.getPeerCertificate();
        if (peer && peer.valid_to) {
          const authError = socket.authorizationError;
          cert = {
            validTo: Date.parse(peer.valid_to),
            subject: String(peer.subject?.CN ?? ''),
            issuer: String(peer.issuer?.CN ?? ''),
            authorized: socket.authorized,
            ...(authError ? { authorizationError: String(authError) } : {}),
          };
        }
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < BODY_LIMIT) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('error', reject);
      res.on('end', () => {
        const location = res.headers.location;
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8'), ...(location ? { location } : {}), ...(cert ? { cert } : {}) });
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => reject(new Error(describe(error))));
    request.end();
  });
}

function describe(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'the host name does not resolve';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'self-signed certificate (turn off "verify TLS" to check it anyway)';
    case 'CERT_HAS_EXPIRED':
      return 'the certificate has expired';
    case 'ABORT_ERR':
      return 'no answer in time';
    default:
      return e.message;
  }
}
