import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { EngineApp } from '../../root/stepped';
import { openConnection } from '../../ipc/connection';
import { dispatchFrame, MALFORMED_FRAME, parseFrame } from '../frames';
import type { ThrottledLog } from './refusals';

/**
 * One authenticated socket: its frames go through the router as one connection of the web
 * face, and the events it subscribed to come back as `{event, payload}` frames.
 *
 * A frame the WebSocket protocol refuses (over the size limit, invalid UTF-8, unmasked, a
 * reserved bit set) makes `ws` close this socket with the matching code (1009, 1007, 1002) and
 * then emit 'error' on it; with no listener that error would end the whole process, the engine
 * and every other client with it. It is noted (throttled) and that socket alone is gone.
 */
export function serveSocket(ws: WebSocket, app: EngineApp, remote: string, lines: ThrottledLog): void {
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
  ws.on('error', (error: Error & { code?: string }) => {
    // ws has already sent the close frame with the code that says why; it drops the socket
    // when the peer answers it (or after its close timeout).
    lines.warn(`web face: closed the socket of ${remote}: ${error.message}${error.code ? ` (${error.code})` : ''}`);
  });
  ws.on('close', () => {
    connection.close();
    app.connectionClosed(connection.id);
  });
  // The frames are those of the control socket too (../frames.ts).
  const handle = async (text: string) => {
    const frame = parseFrame(text);
    if (frame) await dispatchFrame(connection, frame, reply);
    else reply(MALFORMED_FRAME);
  };
  ws.on('message', (data) => {
    void handle(data.toString()).catch((error: unknown) => {
      // Nothing here should throw; if it does, this socket goes, never the process.
      lines.warn(`web face: a frame from ${remote} failed: ${error instanceof Error ? error.message : String(error)}`);
      ws.terminate();
    });
  });
}
