import type Https from 'node:https';
import net from 'node:net';
import type Tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { AxiosInstance } from 'axios';
import { judgeCertificate, normalizeBaseUrl, normalizeFingerprint, type CertificateInfo } from './model/endpoints';
import { ProxmoxError, errorFromTransport } from './model/errors';
import { nodeModule } from '../../base/node-module';

const https = nodeModule<typeof Https>('node:https');
const tls = nodeModule<typeof Tls>('node:tls');

/**
 * The HTTPS layer of the Proxmox driver. TLS is verified against the system's CAs, or pinned to
 * one certificate's SHA-256 fingerprint (trust on first use). There is no switch that accepts
 * any certificate: a self-signed cluster is reachable only once its fingerprint is pinned.
 *
 * The decision is taken on the finished handshake, before the socket is handed to the HTTP
 * layer, so no request (and no token or password) is ever written to a server that was refused.
 */

export interface TlsOptions {
  /** Pinned SHA-256 fingerprint (any accepted spelling). */
  fingerprint?: string | undefined;
  /** Extra CA certificates (PEM) for a private CA, added to the system's. */
  ca?: string | string[] | undefined;
  /** Handshake deadline. */
  timeoutMs?: number;
}

let pinnedAgent: (new (options?: TlsOptions) => Https.Agent) | undefined;

/**
 * An https.Agent that finishes the handshake itself and hands the socket over only if trusted.
 * Its class is made by the first call: it extends https.Agent, and node:https (with tls and
 * http) is then loaded by the first cluster a process talks to, not by every start.
 */
export function newPinnedAgent(options: TlsOptions = {}): Https.Agent {
  pinnedAgent ??= definePinnedAgent();
  return new pinnedAgent(options);
}

function definePinnedAgent(): new (options?: TlsOptions) => Https.Agent {
  return class PinnedAgent extends https().Agent {
    private readonly pinned: string | undefined;
    private readonly extraCa: string[] | undefined;
    private readonly handshakeTimeoutMs: number;

    constructor(options: TlsOptions = {}) {
      super({ keepAlive: true, maxSockets: 8 });
      this.pinned = options.fingerprint ? normalizeFingerprint(options.fingerprint) : undefined;
      this.extraCa = options.ca === undefined ? undefined : Array.isArray(options.ca) ? options.ca : [options.ca];
      this.handshakeTimeoutMs = options.timeoutMs ?? 10_000;
    }

    override createConnection(options: Https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
      const host = String(options.host ?? options.hostname ?? 'localhost');
      const servername = typeof options.servername === 'string' && options.servername && !net.isIP(options.servername) ? options.servername : net.isIP(host) ? undefined : host;
      const socket = tls().connect({
        host,
        port: Number(options.port ?? 443),
        ...(servername ? { servername } : {}),
        ...(this.extraCa ? { ca: [...tls().rootCertificates, ...this.extraCa] } : {}),
        // Verification still runs (socket.authorized: CA chain and hostname); the refusal is ours,
        // below, before a byte is sent: CA-valid, or exactly the pinned fingerprint.
        rejectUnauthorized: false, // judged in secureConnect against CA or pinned fingerprint
        ALPNProtocols: ['http/1.1'],
      });
      let settled = false;
      const done = (err: Error | null) => {
        if (settled) return;
        settled = true;
        socket.setTimeout(0);
        socket.removeListener('error', onError);
        if (err) {
          socket.destroy();
          callback?.(err, socket);
        } else {
          callback?.(null, socket);
        }
      };
      const onError = (err: Error) => done(err);
      socket.once('error', onError);
      socket.setTimeout(this.handshakeTimeoutMs, () => done(Object.assign(new Error(`TLS handshake with ${host} timed out`), { code: 'ETIMEDOUT' })));
      socket.once('secureConnect', () => {
        const cert = socket.getPeerCertificate();
        const fingerprint = cert && typeof cert.fingerprint256 === 'string' ? cert.fingerprint256.toUpperCase() : '';
        if (!fingerprint) return done(new ProxmoxError('certificate_untrusted', `${host} presented no certificate`));
        const refusal = judgeCertificate({
          authorized: socket.authorized,
          authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
          fingerprint,
          pinned: this.pinned,
          host: `${host}:${String(options.port ?? 443)}`,
        });
        done(refusal);
      });
      return undefined;
    }
  };
}

export interface HttpOptions extends TlsOptions {
  baseUrl: string;
  /** Per-request deadline. */
  requestTimeoutMs?: number;
}

export interface RawResponse {
  status: number;
  statusText: string;
  body: unknown;
}

export interface ProxmoxHttp {
  readonly baseUrl: string;
  /** Sends one request; socket and TLS failures become ProxmoxErrors, HTTP errors come back as responses. */
  send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options?: { params?: URLSearchParams; body?: URLSearchParams; headers?: Record<string, string> }): Promise<RawResponse>;
  close(): void;
}

export function createHttp(options: HttpOptions): ProxmoxHttp {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const agent = newPinnedAgent(options);
  // axios (and the fetch it probes when loaded) is loaded by the first request, not by every
  // start of the engine: a CLI command that talks to no cluster never pays for it.
  let made: Promise<AxiosInstance> | undefined;
  const instance = () =>
    (made ??= import('axios').then(({ default: axios }) =>
      axios.create({
        baseURL: `${baseUrl}/api2/json`,
        httpsAgent: agent,
        timeout: options.requestTimeoutMs ?? 30_000,
        // Proxmox never redirects the API; a proxy from the environment must not see the token.
        proxy: false,
        maxRedirects: 0,
        validateStatus: () => true,
        responseType: 'json',
        headers: { Accept: 'application/json' },
      }),
    ));
  return {
    baseUrl,
    async send(method, path, opts = {}) {
      const request = `${method} ${path}`;
      try {
        const res = await (await instance()).request({
          method,
          url: path,
          ...(opts.params && [...opts.params.keys()].length ? { params: opts.params } : {}),
          ...(opts.body ? { data: opts.body.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...opts.headers } } : { headers: { ...opts.headers } }),
        });
        return { status: res.status, statusText: res.statusText ?? '', body: res.data as unknown };
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        if (cause instanceof ProxmoxError) throw cause;
        throw errorFromTransport(error, request);
      }
    },
    close() {
      agent.destroy();
    },
  };
}

/**
 * Reads the certificate a cluster presents, without sending anything over the connection: for
 * the "trust this fingerprint?" step of adding a self-signed cluster.
 */
export function inspectCertificate(url: string, options: { ca?: string | string[]; timeoutMs?: number } = {}): Promise<CertificateInfo> {
  const base = new URL(normalizeBaseUrl(url));
  const host = base.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const extra = options.ca === undefined ? undefined : Array.isArray(options.ca) ? options.ca : [options.ca];
    const socket = tls().connect({
      host,
      port: Number(base.port),
      ...(net.isIP(host) ? {} : { servername: host }),
      ...(extra ? { ca: [...tls().rootCertificates, ...extra] } : {}),
      // Only reads the certificate for trust on first use (its fingerprint is shown); nothing is sent.
      rejectUnauthorized: false, // reads the fingerprint to pin, sends nothing
    });
    const fail = (error: unknown) => {
      socket.destroy();
      reject(errorFromTransport(error, `TLS ${host}:${base.port}`));
    };
    socket.setTimeout(options.timeoutMs ?? 10_000, () => fail(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' })));
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const name = (o: unknown) => {
        if (typeof o !== 'object' || o === null) return undefined;
        const rec = o as Record<string, unknown>;
        const v = rec.CN ?? rec.O;
        return typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : undefined;
      };
      const info: CertificateInfo = {
        fingerprint: String(cert.fingerprint256 ?? '').toUpperCase(),
        authorized: socket.authorized,
        ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
        ...(name(cert.subject) ? { subject: name(cert.subject) } : {}),
        ...(name(cert.issuer) ? { issuer: name(cert.issuer) } : {}),
        ...(cert.valid_to ? { validTo: cert.valid_to } : {}),
      };
      socket.end();
      socket.destroy();
      resolve(info);
    });
  });
}
