/**
 * One node's HTTPS listener (pveproxy): serves /api2/json on the node's loopback address and
 * port, shapes answers like pveproxy (status-line reasons, empty 401 bodies with a delay,
 * gzip, Connection: close on errors) and upgrades vncwebsocket requests to console websockets.
 * While the node is not powered on, the listener is closed.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { WebSocketServer } from 'ws';
import type { ClusterState } from './cluster-state';
import { dispatch, type ApiOutcome, type ApiRequest } from './dispatch';
import type { NodeRecord } from './model';
import type { RequestLog } from './request-log';
import type { LabServices, Router } from './router';
import { ARRAY_SEPARATOR } from './schema-check';
import { WebsocketGrant } from './routes/console';

export interface ListenerDeps {
  state: ClusterState;
  services: LabServices;
  router: Router;
  log: RequestLog;
  wss: WebSocketServer;
}

const API_PREFIX = '/api2/json';
const MAX_BODY = 64 * 1024;

const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/** pveproxy puts the first line of the message in the status line. */
function reasonPhrase(message: string): string {
  const first = message.split('\n').find((l) => l.length > 0) ?? '';
  return first.replace(/[^\x20-\x7e]/g, '?').slice(0, 200) || 'Error';
}

function jsonScalar(v: unknown): string {
  return typeof v === 'boolean' ? (v ? '1' : '0') : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Form fields given more than once are one array parameter (e.g. bulk actions' vms). */
function decodeForm(form: URLSearchParams): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of form) params[k] = params[k] === undefined ? v : `${params[k]}${ARRAY_SEPARATOR}${v}`;
  return params;
}

function decodeParams(query: URLSearchParams, body: string, contentType: string | undefined): Record<string, string> {
  let params: Record<string, string> = {};
  if (body.length > 0) {
    if (contentType?.split(';')[0]?.trim() === 'application/json') {
      const parsed: unknown = JSON.parse(body);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('JSON body is not an object');
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
        if (v === null || v === undefined) continue;
        params[k] = Array.isArray(v) ? v.map(jsonScalar).join(ARRAY_SEPARATOR) : jsonScalar(v);
      }
    } else {
      params = decodeForm(new URLSearchParams(body));
    }
  }
  // Query parameters win over body parameters, as in pveproxy's extract_params.
  Object.assign(params, decodeForm(query));
  delete params._dc;
  return params;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY) throw new Error('for data too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export class NodeListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private tls: { key: string; cert: string };

  constructor(
    private readonly node: NodeRecord,
    private readonly deps: ListenerDeps,
    tls: { key: string; cert: string },
  ) {
    this.tls = tls;
  }

  get listening(): boolean {
    return this.server?.listening === true;
  }

  async listen(): Promise<void> {
    if (this.server) return;
    const server = createServer({ key: this.tls.key, cert: this.tls.cert, keepAlive: true }, (req, res) => {
      void this.onRequest(req, res);
    });
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.onUpgrade(req, socket, head);
    });
    server.on('clientError', (_err, socket: Duplex) => socket.destroy());
    server.on('tlsClientError', () => undefined);
    this.server = server;
    server.listen({ host: this.node.address, port: this.node.port });
    try {
      await once(server, 'listening');
    } catch (err) {
      this.server = undefined;
      throw err;
    }
    const addr = server.address();
    if (this.node.port === 0 && addr && typeof addr === 'object') this.node.port = addr.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    this.dropConnections();
    await closed;
  }

  /** New certificate for new connections; existing ones are cut, as a pveproxy restart would. */
  setCertificate(tls: { key: string; cert: string }): void {
    this.tls = tls;
    this.server?.setSecureContext(tls);
    this.dropConnections();
  }

  private dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { state, log } = this.deps;
    const started = performance.now();
    if (state.faults.dropConnections) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'https://lab.invalid');
    const method = req.method ?? 'GET';
    const apiPath = url.pathname === API_PREFIX ? '/' : url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : undefined;
    const finish = (status: number): void =>
      log.record({ time: state.clock.now(), node: this.node.name, method, path: apiPath ?? url.pathname, status, durationMs: performance.now() - started });

    let params: Record<string, string>;
    try {
      const body = await readBody(req);
      if (body.length > 0 && method !== 'POST' && method !== 'PUT') throw new Error(`Unexpected content for method '${method}'`);
      params = decodeParams(url.searchParams, body, header(req, 'content-type'));
    } catch (err) {
      this.send(req, res, 501, reasonPhrase(err instanceof Error ? err.message : String(err)));
      finish(501);
      return;
    }
    if (apiPath === undefined) {
      this.send(req, res, 501, `no such file '${url.pathname}'`);
      finish(501);
      return;
    }
    await sleep(state.faults.latencyMs);
    const outcome = await dispatch(state, this.deps.services, this.deps.router, this.node, this.apiRequest(req, method, apiPath, params));
    const status = await this.respond(req, res, outcome, started);
    finish(status);
  }

  private apiRequest(req: IncomingMessage, method: string, path: string, params: Record<string, string>): ApiRequest {
    return {
      method,
      path,
      params,
      authorization: header(req, 'authorization'),
      cookie: header(req, 'cookie'),
      csrf: header(req, 'csrfpreventiontoken'),
    };
  }

  private async respond(req: IncomingMessage, res: ServerResponse, outcome: ApiOutcome, started: number): Promise<number> {
    if (outcome.ok) {
      const data = outcome.data instanceof WebsocketGrant ? { port: outcome.data.port } : outcome.data;
      const body: Record<string, unknown> = { data };
      // prepare_response_data only adds a true total.
      if (outcome.total) body.total = outcome.total;
      this.send(req, res, 200, 'OK', JSON.stringify(body));
      return 200;
    }
    const err = outcome.error;
    if (err.status === 401) {
      await sleep(this.deps.state.settings.authFailDelayMs - (performance.now() - started));
    }
    if (err.emptyBody) {
      this.send(req, res, err.status, reasonPhrase(err.message));
    } else {
      const body: Record<string, unknown> = { data: null, message: err.message };
      if (err.errors) body.errors = err.errors;
      this.send(req, res, err.status, reasonPhrase(err.message), JSON.stringify(body));
    }
    return err.status;
  }

  private send(req: IncomingMessage, res: ServerResponse, status: number, reason: string, body?: string): void {
    if (res.destroyed) return;
    const date = new Date(this.deps.state.clock.now()).toUTCString();
    const headers: Record<string, string | number> = {
      Server: 'pve-api-daemon/3.0',
      Date: date,
      Expires: date,
      'Cache-Control': 'max-age=0',
      Pragma: 'no-cache',
    };
    if (status >= 300) headers.Connection = 'close';
    let payload: Buffer | undefined;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json;charset=UTF-8';
      payload = Buffer.from(body, 'utf8');
      if (payload.length > 1024 && /\bgzip\b/.test(header(req, 'accept-encoding') ?? '')) {
        payload = gzipSync(payload, { level: 1 });
        headers['Content-Encoding'] = 'gzip';
      }
    }
    headers['Content-Length'] = payload?.length ?? 0;
    res.writeHead(status, reason, headers);
    res.end(payload);
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { state, log, services, router, wss } = this.deps;
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'https://lab.invalid');
    const path = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const record = (status: number): void =>
      log.record({ time: state.clock.now(), node: this.node.name, method: 'GET', path, status, durationMs: performance.now() - started });
    socket.on('error', () => socket.destroy());
    if (state.faults.dropConnections) {
      socket.destroy();
      return;
    }
    const protocols = (header(req, 'sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
    if (!url.pathname.startsWith(`${API_PREFIX}/`) || !/websocket$/.test(path)) {
      this.rawResponse(socket, 501, `no such file '${url.pathname}'`);
      record(501);
      return;
    }
    if (!protocols.includes('binary')) {
      this.rawResponse(socket, 501, protocols[0] ? `unsupported websocket-protocol protocol '${protocols.join(', ')}'` : 'missing websocket-protocol header');
      record(501);
      return;
    }
    await sleep(state.faults.latencyMs);
    const params = decodeParams(url.searchParams, '', undefined);
    const outcome = await dispatch(state, services, router, this.node, this.apiRequest(req, 'GET', path, params));
    if (!outcome.ok) {
      const err = outcome.error;
      if (err.status === 401) await sleep(state.settings.authFailDelayMs - (performance.now() - started));
      this.rawResponse(socket, err.status, reasonPhrase(err.message));
      record(err.status);
      return;
    }
    const grant = outcome.data;
    if (!(grant instanceof WebsocketGrant) || !grant.session) {
      // Nothing listens on that console port: pveproxy cannot connect and drops the client.
      socket.destroy();
      record(502);
      return;
    }
    const session = grant.session;
    wss.handleUpgrade(req, socket, head, (ws) => {
      record(101);
      services.consoles.attach(ws, session, outcome.principal);
    });
  }

  private rawResponse(socket: Duplex, status: number, reason: string): void {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nServer: pve-api-daemon/3.0\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
}
