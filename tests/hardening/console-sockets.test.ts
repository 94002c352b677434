/**
 * The console websockets to Proxmox (termproxy and VNC) are the engine's clients of someone
 * else's server: a frame that server gets wrong (a reserved bit, invalid UTF-8, over the size
 * limit) makes `ws` raise 'error' on the socket. Each console ends with a reason; the process
 * does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { AddressInfo, Socket } from 'node:net';
import { FakeClock } from '../../src/main/base/clock';
import { TermproxySource } from '../../src/main/consoles/io/proxmox/termproxy-source';
import { VncRelaySource } from '../../src/main/consoles/io/proxmox/vnc-source';
import type { SourceEnd } from '../../src/main/consoles/source';

/** What the bad server sends right after the upgrade: raw bytes of one broken frame. */
const BROKEN: { name: string; bytes: Buffer }[] = [
  { name: 'RSV1 set', bytes: Buffer.from([0xc1, 0x01, 0x41]) },
  { name: 'invalid UTF-8 in a text frame', bytes: Buffer.from([0x81, 0x02, 0xff, 0xfe]) },
  { name: 'a masked server frame', bytes: Buffer.from([0x82, 0x81, 1, 2, 3, 4, 0x41]) },
  { name: 'a reserved opcode', bytes: Buffer.from([0x83, 0x00]) },
  { name: 'a frame over 64 MiB', bytes: Buffer.from([0x82, 0x7f, 0, 0, 0, 0, 0x10, 0, 0, 0]) },
];

let server: WebSocketServer;
let port: number;
let next: Buffer = Buffer.alloc(0);
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => void uncaught.push(e);

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  port = (server.address() as AddressInfo).port;
  server.on('connection', (ws) => {
    ws.on('error', () => undefined);
    // Past the library, straight onto the wire.
    (ws as unknown as { _socket: Socket })._socket.write(next);
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  process.off('uncaughtException', onUncaught);
});

function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { maxPayload: 64 * 1024 * 1024 });
    ws.once('open', () => {
      ws.pause();
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

describe(`console websockets: ${BROKEN.length} broken frames from the server, for termproxy and VNC`, () => {
  for (const { name, bytes } of BROKEN) {
    it(`${name}: both consoles end with a reason, the process lives`, async () => {
      next = bytes;
      const term = new TermproxySource(await open(), { user: 'root@pam', ticket: 't', port: 5900 }, { clock: new FakeClock(), size: { cols: 80, rows: 24 }, what: 'The shell of pve1' });
      const termEnd = new Promise<SourceEnd>((resolve) => term.onClose(resolve));
      const vnc = new VncRelaySource(await open(), 'ticket', 'The screen of VM 100');
      const vncEnd = new Promise<SourceEnd>((resolve) => vnc.onClose(resolve));
      const ends = await Promise.all([termEnd, vncEnd]);
      for (const end of ends) expect(end.error).toBe(true);
      expect(uncaught).toEqual([]);
    });
  }
});
