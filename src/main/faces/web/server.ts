import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RackdeckApp } from '../../root/app';
import type { Logger } from '../../base/logger';
import { openConnection } from '../../ipc/connection';
import { dispatchFrame, MALFORMED_FRAME, parseFrame } from '../frames';
import { readStatic } from './static-files';
import { CONTENT_SECURITY_POLICY, originAllowed, tokenMatches } from './security';

export interface WebServerOptions {
  app: RackdeckApp;
  host: string;
  port: number;
  token: string;
  /** Folder with the built renderer (index.html and assets). */
  rendererDir: string;
  log: Logger;
  /** Extra plain-HTTP routes by exact path, outside the socket's token (e.g. `/metrics`, issue 19: it checks its own scrape token). */
  routes?: Readonly<Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>>>;
}

export interface WebServer {
  url: string;
  /** The URL to open, token included (in the fragment, so it never reaches a server log). */
  openUrl: string;
  port: number;
  close(): Promise<void>;
}

/** Limit of one WebSocket message; the largest legitimate request is a few kilobytes. */
const MAX_FRAME = 1024 * 1024;

/**
 * The headless face: serves the built renderer and carries the IPC contract over a WebSocket
 * at /api/ws. Requests go through the same router as the desktop face; the events a socket
 * subscribed to are forwarded as `{event, payload}` frames, those addressed to another socket
 * (another tab's console output) never.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { app, token, log } = options;
  const rendererDir = options.rendererDir;

  const server = http.createServer(async (req, res) => {
    const headers = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    };
    const route = options.routes?.[(req.url ?? '/').split('?')[0] ?? '/'];
    if (route) {
      await route(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, headers);
        res.end();
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    const url = req.url ?? '/';
    if (url.startsWith('/api/')) {
      // All data travels over the authenticated socket; there is no open data endpoint.
      res.writeHead(404, headers).end();
      return;
    }
    const file = await readStatic(rendererDir, url);
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found. Was the renderer built (npm run build)?');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': file.type, 'Cache-Control': url.includes('/assets/') ? 'max-age=31536000, immutable' : 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/api/ws') return refuse(404, 'Not Found');
    if (!originAllowed(req.headers.origin, req.headers.host)) return refuse(403, 'Forbidden');
    if (!tokenMatches(token, url.searchParams.get('token'))) {
      log.warn(`refused a WebSocket with a wrong token from ${req.socket.remoteAddress ?? '?'}`);
      return refuse(401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  const serveSocket = (ws: WebSocket) => {
    const reply = (frame: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const connection = openConnection({
      id: `web:${randomUUID()}`,
      face: 'web',
      router: app.router,
      events: app.engine.events,
      send: (event, payload) => reply({ event, payload }),
    });
    ws.on('close', () => {
      connection.close();
      app.connectionClosed(connection.id);
    });
    ws.on('message', async (data) => {
      // The frames are those of the control socket too (../frames.ts).
      const frame = parseFrame(data.toString());
      if (frame) await dispatchFrame(connection, frame, reply);
      else reply(MALFORMED_FRAME);
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostForUrl}:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
