import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { EngineApp } from '../../root/stepped';
import type { Logger } from '../../base/logger';
import type { BucketPolicy } from '../../health/token-bucket';
import { assetsNamedIn, staticFiles } from './static-files';
import { allowedHostnames, CONTENT_SECURITY_POLICY, hostnameOfHeader, isDefaultLoopback, originAllowed, tokenMatches } from './security';
import { ThrottledLog, WrongTokenGuard } from './refusals';
import { serveSocket } from './session';
import { interfaceAddresses, webTlsMaterial, type TlsMaterial } from './tls';

export interface WebServerOptions {
  app: EngineApp;
  host: string;
  port: number;
  token: string;
  /** Folder with the built renderer (index.html and assets). */
  rendererDir: string;
  log: Logger;
  /** Names the Host header may carry besides the bound address (`settings.web.allowedHosts`). */
  allowedHosts?: readonly string[] | undefined;
  /** Where a generated certificate is kept when the face is bound beyond loopback (the home). */
  home?: string | undefined;
  /** The admin's own certificate (`settings.web.tls`), used instead of a generated one. */
  tlsFiles?: { certFile: string; keyFile: string } | undefined;
  /** Extra plain-HTTP routes by exact path, outside the socket's token (e.g. `/metrics`, issue 19: it checks its own scrape token). */
  routes?: Readonly<Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>> | undefined;
  /** Wrong-token limits and their clock (tests); the defaults are WRONG_TOKEN_POLICY and Date.now. */
  guard?: { policy?: BucketPolicy; now?: () => number } | undefined;
}

export interface WebServer {
  url: string;
  /** The URL to open, token included (in the fragment, so it never reaches a server log). */
  openUrl: string;
  port: number;
  /** Set when the face is served over HTTPS (bound beyond loopback). */
  tls?: Pick<TlsMaterial, 'fingerprint' | 'source' | 'certPath'>;
  /** What the admin is told at every start: the warning when bound beyond loopback, the certificate. */
  notices: string[];
  /** Resolves once the page itself (index.html) has first been sent to a browser. */
  pageSent: Promise<void>;
  close(): Promise<void>;
}

/** Limit of one WebSocket message; the largest legitimate request is a few kilobytes. */
const MAX_FRAME = 1024 * 1024;

const HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const plainAddress = (address: string | undefined) => (address ?? '?').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/**
 * The headless face: serves the built renderer and carries the IPC contract over a WebSocket
 * at /api/ws. Requests go through the same router as the desktop face; the events a socket
 * subscribed to are forwarded as `{event, payload}` frames, those addressed to another socket
 * (another tab's console output) never.
 *
 * Bound to the default loopback (127.0.0.1, ::1, localhost) it speaks plain HTTP; bound to
 * anything else it speaks HTTPS only, with the admin's certificate or a self-signed one kept in
 * the home. Every request must name this face in its Host header (DNS rebinding), a socket
 * needs the token, and wrong tokens are limited per address.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { app, token, log, rendererDir } = options;
  const hosts = allowedHostnames(options.host, options.allowedHosts ?? [], interfaceAddresses);
  const guard = new WrongTokenGuard({ log, ...options.guard });
  const lines = new ThrottledLog(log, options.guard?.now);
  const readFile = staticFiles(rendererDir);
  const hostAllowed = (req: IncomingMessage) => {
    const name = hostnameOfHeader(req.headers.host);
    return name !== undefined && hosts.has(name);
  };

  // ws is loaded when the page's script is first served (or at the first socket), not before the
  // URL is printed (issue 16): a browser asks for a socket only once it runs that script.
  let wss: Promise<WebSocketServer> | undefined;
  let pageWasSent: () => void = () => undefined;
  const pageSent = new Promise<void>((resolve) => (pageWasSent = resolve));
  const sockets = () => (wss ??= import('ws').then(({ WebSocketServer: Server }) => new Server({ noServer: true, maxPayload: MAX_FRAME, perMessageDeflate: false })));

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req)) {
      res.writeHead(421, { ...HEADERS, 'Content-Type': 'text/plain' }).end('This Rackdeck does not answer to that name. Open it by its address, or add the name to settings.web.allowedHosts.');
      return;
    }
    const route = options.routes?.[(req.url ?? '/').split('?')[0] ?? '/'];
    if (route) {
      await route(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, HEADERS).end();
      return;
    }
    const url = req.url ?? '/';
    if (url.startsWith('/api/')) {
      // All data travels over the authenticated socket; there is no open data endpoint.
      res.writeHead(404, HEADERS).end();
      return;
    }
    const file = await readFile(url);
    if (!file) {
      res.writeHead(404, { ...HEADERS, 'Content-Type': 'text/plain' }).end('Not found. Was the renderer built (npm run build)?');
      return;
    }
    const html = file.type.startsWith('text/html');
    res.writeHead(200, {
      ...HEADERS,
      'Content-Type': file.type,
      'Cache-Control': url.includes('/assets/') ? 'max-age=31536000, immutable' : 'no-cache',
      ...(html ? preloadHeader(file.body) : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    if (html && req.method === 'GET') pageWasSent();
    // The page's script was asked for: its socket follows once the browser has compiled the
    // script and begun to run it. ws (~30–100 ms to load) is loaded meanwhile, rather than once the
    // handshake waits on it (issue 16). Not as the HTML goes out: the engine would then take a
    // core from the browser just as it parses the page and streams the script in. A failure is
    // told at the upgrade, as before.
    if (req.method === 'GET' && file.type.startsWith('text/javascript')) sockets().catch(() => undefined);
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    onRequest(req, res).catch((error: unknown) => {
      lines.warn(`web face: ${req.url ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500, HEADERS);
      res.end();
    });
  };

  const tls = isDefaultLoopback(options.host) ? undefined : await tlsFor(options);
  // node:https (and TLS under it, ~5 ms to load) only for a face bound beyond loopback.
  const server = tls ? (await import('node:https')).createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the socket over without an error listener: a reset here must not end the process.
    socket.on('error', () => socket.destroy());
    const remote = plainAddress(req.socket.remoteAddress);
    const refuse = (status: number, text: string, extra = '') => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${extra}Content-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (!hostAllowed(req)) return refuse(421, 'Misdirected Request');
    if (url.pathname !== '/api/ws') return refuse(404, 'Not Found');
    if (!originAllowed(req.headers.origin, req.headers.host)) return refuse(403, 'Forbidden');
    const wait = guard.lockedOut(remote);
    if (wait !== undefined) {
      guard.throttled(remote);
      return refuse(429, 'Too Many Requests', `Retry-After: ${Math.max(1, Math.ceil(wait / 1000))}\r\n`);
    }
    if (!tokenMatches(token, url.searchParams.get('token'))) {
      guard.refused(remote, url.searchParams.get('token') ? 'a WebSocket with a wrong token' : 'a WebSocket without a token');
      return refuse(401, 'Unauthorized');
    }
    sockets().then(
      (server) => server.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, app, remote, lines)),
      (error: unknown) => {
        lines.warn(`web face: the WebSocket server could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
        socket.destroy();
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error('web face: server error', error));
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `${tls ? 'https' : 'http'}://${hostForUrl}:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    ...(tls ? { tls: { fingerprint: tls.fingerprint, source: tls.source, certPath: tls.certPath } } : {}),
    notices: tls ? exposureNotices(options.host, tls) : [],
    pageSent,
    close: async () => {
      const open = await wss?.catch(() => undefined);
      for (const client of open?.clients ?? []) client.terminate();
      open?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The page's script and style sheet named in its response headers, so the browser asks for them as
 * the headers arrive rather than once its parser reaches the tags: a fresh tab first builds the
 * page's JavaScript context, 30–100 ms before it parses a byte of the HTML (Chrome traces, issue
 * 16). `crossorigin` as on the tags, so the preloaded responses are the ones the tags use.
 */
function preloadHeader(html: Buffer): { Link?: string } {
  const links = assetsNamedIn(html).flatMap((p) => (p.endsWith('.js') ? [`<${p}>; rel=modulepreload; crossorigin`] : p.endsWith('.css') ? [`<${p}>; rel=preload; as=style; crossorigin`] : []));
  return links.length ? { Link: links.join(', ') } : {};
}

async function tlsFor(options: WebServerOptions): Promise<TlsMaterial> {
  if (!options.tlsFiles && !options.home) throw new Error(`The web face serves HTTPS beyond loopback: bind it to 127.0.0.1, or give it a home for its certificate (${options.host} was asked)`);
  return webTlsMaterial({ home: options.home ?? '', host: options.host, names: options.allowedHosts ?? [], files: options.tlsFiles });
}

/** The warning printed at every start beyond loopback, and what to compare the browser's certificate with. */
function exposureNotices(host: string, tls: TlsMaterial): string[] {
  const how = tls.source === 'provided' ? `the certificate in ${tls.certPath}` : `a self-signed certificate (${tls.source === 'generated' ? 'made now' : 'made earlier'}, kept in ${tls.certPath})`;
  return [
    `Warning: listening on ${host}, beyond this machine: anyone who can reach it and has the token can control your servers.`,
    `HTTPS with ${how}. Its SHA-256 fingerprint, to compare with what your browser shows: ${tls.fingerprint}`,
  ];
}
