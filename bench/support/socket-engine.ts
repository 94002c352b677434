/**
 * The renderer bench's stand-in engine on a real WebSocket: it serves the built renderer (with
 * the web face's own static-file reader) and answers /api/ws as the engine does, the snapshot
 * request with the servers it was given and every other call with a refusal; patches go out as
 * the engine sends them to a renderer (`servers.changes`, through the engine's own encoder).
 *
 * Playwright's routeWebSocket, which the e2e tests use, hands each frame to the page by evaluating
 * a script that carries it: for the snapshot of 2 000 servers (520 kB) that evaluation cost the
 * page's main thread more than the app's own parse, inside the very window the bench times. A
 * browser talking to `rackdeck serve` receives a frame on its network thread and gets a message
 * event: so does the page here. Bound to 127.0.0.1 only.
 */
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServersPatch } from '../../src/shared/events';
import type { ServerView } from '../../src/shared/server';
import { ChangesEncoder } from '../../src/shared/server-changes';
import { readStatic } from '../../src/main/faces/web/static-files';
import { BUILT_RENDERER } from '../../tests/e2e/harness/paths';
import { standInReply, type Cleanup, type StandInFrame } from '../../tests/e2e/harness';

export interface SocketEngine {
  /** The page's address, with a token (any is accepted). */
  openUrl: string;
  connected: Promise<void>;
  /** When the snapshot was handed to the socket (Date.now()), for first-render figures. */
  snapshotSentAt(): number | undefined;
  patch(patch: Omit<ServersPatch, 'seq'>): number;
}

/** `rendererDir`: another build's renderer (dist/renderer), for a comparison in the same run. */
export async function startSocketEngine(cleanup: Cleanup, servers: ServerView[], rendererDir = path.dirname(BUILT_RENDERER)): Promise<SocketEngine> {
  const root = rendererDir;
  const server = http.createServer((req, res) => {
    void readStatic(root, req.url ?? '/').then((file) => {
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': file.type }).end(req.method === 'HEAD' ? undefined : file.body);
    });
  });
  const wss = new WebSocketServer({ server, path: '/api/ws', perMessageDeflate: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.add('stop the stand-in engine', async () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  let seq = 0;
  let sentAt: number | undefined;
  let socket: WebSocket | undefined;
  let ready!: () => void;
  const connected = new Promise<void>((resolve) => (ready = resolve));
  // Primed with the snapshot's servers, as the engine primes its encoder with every snapshot it serves.
  const encoder = new ChangesEncoder();
  encoder.encode({ seq: 0, upsert: servers, remove: [] });
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as StandInFrame;
      if (frame.id === undefined) return; // (un)subscribe: every event goes to the one page anyway
      ws.send(standInReply(frame, { seq, servers }, 'stand-in engine'));
      if (frame.channel === 'servers.snapshot') {
        sentAt = Date.now();
        ready();
      }
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    openUrl: `http://127.0.0.1:${port}/#token=bench`,
    connected,
    snapshotSentAt: () => sentAt,
    patch(patch) {
      if (!socket) throw new Error('the page has not connected yet');
      seq += 1;
      socket.send(JSON.stringify({ event: 'servers.changes', payload: encoder.encode({ seq, ...patch }) }));
      return seq;
    },
  };
}
