/**
 * A WebSocket client over a raw TCP socket, for frames no well-behaved library would send: the
 * handshake by hand, then any bytes at all.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export interface RawFrame {
  fin?: boolean;
  rsv1?: boolean;
  opcode?: number;
  /** Client frames must be masked; false sends one that is not. */
  mask?: boolean;
  payload: Buffer;
  /** Claims this length instead of the payload's (a frame over the limit without sending it all). */
  declaredLength?: number;
}

export function encodeFrame(f: RawFrame): Buffer {
  const length = f.declaredLength ?? f.payload.length;
  const first = (f.fin === false ? 0 : 0x80) | (f.rsv1 ? 0x40 : 0) | (f.opcode ?? 0x1);
  const masked = f.mask !== false;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, (masked ? 0x80 : 0) | length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, f.payload]);
  const key = randomBytes(4);
  const body = Buffer.from(f.payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] as number) ^ (key[i % 4] as number);
  return Buffer.concat([header, key, body]);
}

export interface RawSocket {
  socket: net.Socket;
  /** Everything the server sent after the 101. */
  received(): Buffer;
  /** Resolves once the connection is closed (by either side). */
  closed: Promise<void>;
}

/** Opens /api/ws with a hand-written upgrade request and resolves once the server switched protocols. */
export function rawUpgrade(host: string, port: number, token: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(
        [
          `GET /api/ws?token=${encodeURIComponent(token)} HTTP/1.1`,
          `Host: ${host}:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (upgraded) return;
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString('latin1');
      if (!head.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
        return;
      }
      upgraded = true;
      buffer = buffer.subarray(end + 4);
      resolve({ socket, received: () => buffer, closed });
    });
    socket.once('close', () => {
      if (!upgraded) reject(new Error('closed before the upgrade'));
    });
  });
}

/** The status code of the first close frame the server sent, if it sent one. */
export function closeCodeOf(bytes: Buffer): number | undefined {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = (bytes[at] as number) & 0x0f;
    let length = (bytes[at + 1] as number) & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(offset));
      offset += 8;
    }
    if (opcode === 0x8) return length >= 2 ? bytes.readUInt16BE(offset) : 1005;
    at = offset + length;
  }
  return undefined;
}
