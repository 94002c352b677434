/**
 * The agent receiver is the engine's other listener, and the one agents on the LAN reach: raw
 * bytes, cut requests, bodies that stop halfway and oversized declarations must each end their
 * own connection, and the receiver (and the process) go on answering.
 */
import { randomBytes, randomInt } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/base/clock';
import { memoryLogger } from '../../src/main/base/logger';
import { startReceiver } from '../../src/main/health/io/receiver';
import type { AgentReceiver } from '../../src/main/health/receiver-port';

const RANDOM = 500;
let receiver: AgentReceiver;
const log = memoryLogger();
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => void uncaught.push(e);

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  receiver = await startReceiver({
    host: '127.0.0.1',
    port: 0,
    clock: systemClock,
    log,
    version: 'fuzz',
    verifyKey: (key) => (key === 'good-key' ? { ok: true, keyId: 'k1', serverId: 's1' } : { ok: false, reason: key ? 'unknown' : 'missing' }),
    onReport: () => ({ accepted: true, body: {} }),
  });
});
afterAll(async () => {
  await receiver.close();
  process.off('uncaughtException', onUncaught);
});

/** Sends bytes and half-closes; resolves when the receiver has closed the connection. */
function send(bytes: Buffer, halfClose = true): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: receiver.port });
    socket.on('error', () => undefined);
    socket.resume();
    socket.once('close', () => resolve());
    if (halfClose) socket.end(bytes);
    else {
      socket.write(bytes);
      // A client that vanishes mid-body: reset, not a polite end.
      socket.once('data', () => undefined);
      setImmediate(() => socket.resetAndDestroy());
    }
  });
}

const header = (body: string, extra = '') => `POST /api/health/report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer good-key\r\n${extra}\r\n${body}`;

describe(`agent receiver: ${RANDOM} random byte requests and cut ones`, () => {
  it('each ends its own connection; the receiver still answers a ping', async () => {
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < RANDOM; i++) jobs.push(send(randomBytes(randomInt(1, 3000))));
    jobs.push(send(Buffer.from(header('{"cpu":', 'Content-Length: 500\r\n')), false));
    jobs.push(send(Buffer.from(header('', 'Content-Length: 99999999999\r\n'))));
    jobs.push(send(Buffer.from(header('x'.repeat(10), 'Transfer-Encoding: chunked\r\n'))));
    jobs.push(send(Buffer.from('GET /api/health/ping HTTP/1.1\r\nHost: x\r\n' + 'X-Long: ' + 'a'.repeat(100_000) + '\r\n\r\n')));
    await Promise.all(jobs);
    const ping = await fetch(`${receiver.url}/api/health/ping`);
    expect(ping.status).toBe(200);
    expect(uncaught).toEqual([]);
    console.log(`receiver fuzz: ${jobs.length} bad connections, receiver answering: ${ping.status === 200}`);
  });
});
