/**
 * The WebSocket protocol fuzz (issue 14): frames the protocol refuses, and a thousand frames of
 * random bytes, sent over raw TCP to the real `rackdeck serve`. Each may close its own socket,
 * with the code that says why; none may end the process, and a valid client is served after.
 */
import { randomBytes, randomInt } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Cleanup, makeHome } from '../e2e/harness';
import { closeCodeOf, encodeFrame, rawUpgrade, type RawFrame } from './raw-ws';
import { spawnServe, type ServeProcess } from './serve-process';

const RANDOM_FRAMES = 1_000;
const RANDOM_HTTP = 200;
const HOST = '127.0.0.1';

const suite = new Cleanup();
let serve: ServeProcess;
beforeAll(async () => {
  serve = await spawnServe(suite, makeHome(suite));
});
afterAll(() => suite.run());

/** Sends `bytes` on a fresh upgraded socket, then ends our side; resolves with the close code the server sent, if any. */
async function sendOnSocket(bytes: Buffer): Promise<number | undefined> {
  const raw = await rawUpgrade(HOST, serve.port, serve.token);
  raw.socket.write(bytes);
  raw.socket.end();
  await raw.closed;
  return closeCodeOf(raw.received());
}

/** Runs `n` jobs, `width` at a time. */
async function inBatches<T>(n: number, width: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await job(i);
      }
    }),
  );
  return results;
}

/** A valid client, end to end: it connects and the engine answers it. */
async function validClientServed(): Promise<boolean> {
  const ws = new WebSocket(`ws://${HOST}:${serve.port}/api/ws?token=${encodeURIComponent(serve.token)}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const answer = new Promise<{ id: number; result: { ok: boolean } }>((resolve) => ws.on('message', (d) => resolve(JSON.parse(d.toString()) as { id: number; result: { ok: boolean } })));
  ws.send(JSON.stringify({ id: 1, channel: 'servers.snapshot', input: {} }));
  const { result } = await answer;
  ws.close();
  return result.ok;
}

const text = (s: string) => Buffer.from(s, 'utf8');
const REFUSED: { name: string; frame: RawFrame; code: number }[] = [
  { name: 'a frame over the 1 MiB payload limit', frame: { payload: text('{'), declaredLength: 2 * 1024 * 1024 }, code: 1009 },
  { name: 'invalid UTF-8 in a text frame', frame: { payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }, code: 1007 },
  { name: 'an unmasked client frame', frame: { payload: text('{"subscribe":"notice"}'), mask: false }, code: 1002 },
  { name: 'a frame with RSV1 set (no extension was agreed)', frame: { payload: text('{"subscribe":"notice"}'), rsv1: true }, code: 1002 },
];

/** Random bytes, half of them behind a plausible frame header so the parser gets past the first byte. */
function randomFrame(): Buffer {
  const body = randomBytes(randomInt(0, 600));
  if (randomInt(2) === 0) return body;
  return Buffer.concat([encodeFrame({ fin: randomInt(4) !== 0, rsv1: randomInt(8) === 0, opcode: randomInt(16), mask: randomInt(10) !== 0, payload: body }), randomBytes(randomInt(0, 8))]);
}

describe(`WebSocket protocol fuzz: ${REFUSED.length} refused frames and ${RANDOM_FRAMES} random byte frames`, () => {
  for (const { name, frame, code } of REFUSED) {
    it(`${name}: that socket is closed with ${code}, serve lives on`, async () => {
      expect(await sendOnSocket(encodeFrame(frame))).toBe(code);
      expect(await validClientServed()).toBe(true);
      expect(serve.alive()).toBe(true);
    });
  }

  it(`${RANDOM_FRAMES} random byte frames over raw TCP, and ${RANDOM_HTTP} random byte requests before any upgrade: serve alive and serving a valid client`, async () => {
    const codes = await inBatches(RANDOM_FRAMES, 16, () => sendOnSocket(randomFrame()));
    const garbage = await inBatches(RANDOM_HTTP, 16, async () => {
      const socket = net.connect({ host: HOST, port: serve.port });
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.on('error', () => undefined);
      // Read what it answers (a 400), or the end of the answer never comes.
      socket.resume();
      socket.end(randomBytes(randomInt(1, 2000)));
      await closed;
      return true;
    });
    const tally = new Map<string, number>();
    for (const c of codes) tally.set(String(c ?? 'no close frame'), (tally.get(String(c ?? 'no close frame')) ?? 0) + 1);
    console.log(`ws fuzz: ${codes.length} random frames (close codes: ${[...tally].map(([c, n]) => `${c}×${n}`).join(', ')}), ${garbage.length} random requests; serve alive: ${serve.alive()}`);
    expect(codes).toHaveLength(RANDOM_FRAMES);
    expect(garbage).toHaveLength(RANDOM_HTTP);
    expect(serve.alive()).toBe(true);
    expect(await validClientServed()).toBe(true);
    // Every protocol error was noted, throttled: a flood is a few lines, not one per frame.
    const lines = serve.output().split('\n').filter((l) => l.includes('closed the socket of')).length;
    expect(lines).toBeLessThan(50);
  });
});
