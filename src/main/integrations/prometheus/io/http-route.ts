import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScrapeHandler } from '../../ports';

/** An HTTP route over the exporter: the web face's `/metrics` and the loopback listener's. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** `handle` may be a promise: the web face's exporter is composed just after the engine's URL (root/stepped.ts). */
export function metricsRoute(handle: () => ScrapeHandler | Promise<ScrapeHandler>): HttpRoute {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('GET only\n');
      return;
    }
    const answer = await (await handle())({ remoteAddress: req.socket.remoteAddress, authorization: req.headers.authorization });
    res.writeHead(answer.status, { 'Content-Type': answer.contentType, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...(answer.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="rackdeck-metrics"' } : {}) });
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  };
}
