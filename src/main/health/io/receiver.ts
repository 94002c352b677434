import type Http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeZodError } from '../../ipc/router';
import { discardBody, readBody } from './http-body';
import type { KeyCheck } from '../key-store';
import { bearerToken } from '../keys';
import { DEFAULT_LIMITS, PING_PATH, REPORT_PATH, type AgentReceiver, type ReceiverLimits, type ReceiverOptions } from '../receiver-port';
import { agentReportSchema, toFigures } from '../report-schema';
import { RateLimiter } from '../token-bucket';
import { nodeModule } from '../../base/node-module';

const http = nodeModule<typeof Http>('node:http');

interface WireError {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

const BASE_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function fail(res: ServerResponse, status: number, error: WireError, headers: Record<string, string> = {}): void {
  send(res, status, { ok: false, error }, headers);
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type] = contentType.split(';');
  return type?.trim().toLowerCase() === 'application/json';
}

/**
 * The agent receiver: an HTTP listener separate from the web face (agents on the LAN must reach
 * it; the web face stays on loopback). Two routes only. Checks run cheapest first (route, type,
 * declared size, key, rate) so junk costs little, and a rejected request changes nothing.
 */
export async function startReceiver(options: ReceiverOptions): Promise<AgentReceiver> {
  const limits: ReceiverLimits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  const { clock, log } = options;
  const perAgent = new RateLimiter(limits.perAgent);
  const perAddress = new RateLimiter(limits.perAddress);
  // Refused keys are logged, but not a line per request of a flood.
  const logLimiter = new RateLimiter({ capacity: 5, refillMs: 60_000 });

  const tooMany = (res: ServerResponse, retryAfterMs: number, what: string) =>
    fail(res, 429, { code: 'rate_limited', message: `Too many requests ${what}; retry in ${Math.ceil(retryAfterMs / 1000)} s` }, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))), Connection: 'close' });

  const refuseKey = (req: IncomingMessage, res: ServerResponse, check: Extract<KeyCheck, { ok: false }>, remote: string) => {
    const now = clock.now();
    const slot = perAddress.take(`auth:${remote}`, now);
    if (logLimiter.take(remote, now).allowed) {
      // The key's value is never logged; a revoked key is named by its public id.
      log.warn(`agent receiver: refused ${req.method ?? '?'} ${req.url ?? '?'} from ${remote}: ${check.reason} key${check.keyId ? ` (id ${check.keyId})` : ''}`);
    }
    if (!slot.allowed) return tooMany(res, slot.retryAfterMs, 'with invalid keys from this address');
    const message =
      check.reason === 'missing'
        ? 'An agent key is required: send "Authorization: Bearer <key>"'
        : check.reason === 'revoked'
          ? 'This agent key was revoked; create a new one in Rackdeck'
          : 'Unknown agent key';
    fail(res, 401, { code: 'unauthorized', message }, { 'WWW-Authenticate': 'Bearer realm="rackdeck-agent"', Connection: 'close' });
  };

  const handleReport = async (req: IncomingMessage, res: ServerResponse, remote: string) => {
    if (!isJson(req.headers['content-type'])) {
      return fail(res, 415, { code: 'unsupported_media_type', message: 'Content-Type must be application/json' }, { Connection: 'close' });
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      return fail(res, 413, { code: 'too_large', message: `A report is at most ${limits.maxBodyBytes} bytes` }, { Connection: 'close' });
    }
    const check = options.verifyKey(bearerToken(req.headers.authorization));
    if (!check.ok) return refuseKey(req, res, check, remote);
    const slot = perAgent.take(check.keyId, clock.now());
    if (!slot.allowed) return tooMany(res, slot.retryAfterMs, 'from this agent');

    const read = await readBody(req, limits.maxBodyBytes);
    if (!read.ok) {
      if (read.reason === 'too_large') return fail(res, 413, { code: 'too_large', message: `A report is at most ${limits.maxBodyBytes} bytes` }, { Connection: 'close' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(read.body.toString('utf8'));
    } catch (error) {
      return fail(res, 400, { code: 'bad_request', message: `Malformed JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
    const parsed = agentReportSchema.safeParse(json);
    if (!parsed.success) {
      const wire = describeZodError(parsed.error);
      return fail(res, 400, { code: 'bad_request', message: wire.message.replace(/^Invalid request/, 'Invalid report'), ...(wire.fields ? { fields: wire.fields } : {}) });
    }
    const verdict = options.onReport(check.serverId, toFigures(parsed.data), { keyId: check.keyId, remote });
    if (!verdict.accepted) return fail(res, verdict.status, { code: 'refused', message: verdict.message });
    send(res, 200, { ok: true, ...verdict.body });
  };

  const handlePing = (req: IncomingMessage, res: ServerResponse, remote: string) => {
    const slot = perAddress.take(`ping:${remote}`, clock.now());
    if (!slot.allowed) return tooMany(res, slot.retryAfterMs, 'from this address');
    const presented = bearerToken(req.headers.authorization);
    if (req.headers.authorization !== undefined) {
      const check = options.verifyKey(presented);
      if (!check.ok) return refuseKey(req, res, check, remote);
      return send(res, 200, { ok: true, service: 'rackdeck-agent-receiver', version: options.version, serverId: check.serverId });
    }
    send(res, 200, { ok: true, service: 'rackdeck-agent-receiver', version: options.version });
  };

  const server = http().createServer({ requestTimeout: 15_000, headersTimeout: 10_000 }, (req, res) => {
    const remote = req.socket.remoteAddress ?? '?';
    const pathname = (req.url ?? '/').split('?')[0];
    const route = pathname === REPORT_PATH ? 'report' : pathname === PING_PATH ? 'ping' : undefined;
    let handled: Promise<void> | void;
    if (!route) handled = fail(res, 404, { code: 'not_found', message: `Only POST ${REPORT_PATH} and GET ${PING_PATH} live here` });
    else if (route === 'report' && req.method !== 'POST') handled = fail(res, 405, { code: 'method_not_allowed', message: `${REPORT_PATH} takes POST` }, { Allow: 'POST' });
    else if (route === 'ping' && req.method !== 'GET' && req.method !== 'HEAD') handled = fail(res, 405, { code: 'method_not_allowed', message: `${PING_PATH} takes GET` }, { Allow: 'GET, HEAD' });
    else handled = route === 'report' ? handleReport(req, res, remote) : handlePing(req, res, remote);
    void Promise.resolve(handled)
      .catch((error: unknown) => {
        log.error('agent receiver: request failed', error);
        fail(res, 500, { code: 'failed', message: 'Internal error' });
      })
      .finally(() => {
        // Whatever we answered without reading is drained (bounded), so the client reads our answer.
        if (!req.complete) discardBody(req);
      });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error('agent receiver: server error', error));
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    host: options.host,
    port,
    url: `http://${hostForUrl}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
