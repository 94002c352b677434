/**
 * The web face's doors (issue 14): the Host header (DNS rebinding), wrong tokens limited per
 * address and logged with throttling, and `rackdeck web-url` printing the address again.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { memoryLogger, silentLogger } from '../../src/main/base/logger';
import { WRONG_TOKEN_POLICY } from '../../src/main/faces/web/refusals';
import { startWebServer, type WebServer } from '../../src/main/faces/web/server';
import { useCliHome } from '../cli/cli-home';
import { openTestApp } from '../core/test-app';

const TOKEN = 'a-hardening-token-long-enough-for-zod';
let t: ReturnType<typeof openTestApp>;
let rendererDir: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(() => {
  t = openTestApp();
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Rackdeck</title>');
});
afterAll(async () => {
  for (const close of closers) await close();
  t.cleanup();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

async function serve(options: Partial<Parameters<typeof startWebServer>[0]> = {}): Promise<WebServer> {
  const web = await startWebServer({ app: t.app, host: '127.0.0.1', port: 0, token: TOKEN, rendererDir, log: silentLogger, ...options });
  closers.push(() => web.close());
  return web;
}

/** One GET with the Host header we choose (fetch would not let us). */
function get(port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', setHost: false, headers: host === undefined ? {} : { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the socket; resolves with 101 or the HTTP status it was refused with. */
function upgrade(port: number, token: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws?token=${encodeURIComponent(token)}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => undefined);
  });
}

describe('Host header check (DNS rebinding)', () => {
  it('answers its own address, localhost and the configured names; refuses any other name with 421', async () => {
    const web = await serve({ allowedHosts: ['rackdeck.home.arpa'] });
    const p = web.port;
    for (const ok of [`127.0.0.1:${p}`, `localhost:${p}`, 'LOCALHOST', `[::1]:${p}`, `rackdeck.home.arpa:${p}`, 'rackdeck.home.arpa.']) expect(await get(p, ok), ok).toBe(200);
    for (const bad of [`evil.example:${p}`, `127.0.0.1.evil.example:${p}`, 'rackdeck.home.arpa.evil', '10.1.2.3', '', 'a b', `127.0.0.1:${p}@evil`]) expect(await get(p, bad), bad).toBe(421);
    // No Host at all: Node's HTTP server refuses an HTTP/1.1 request without one before we see it.
    expect(await get(p, undefined)).toBe(400);
    // The socket too, token or not: a rebound page must not reach it.
    expect(await upgrade(p, TOKEN, { Host: `evil.example:${p}` })).toBe(421);
    expect(await upgrade(p, TOKEN)).toBe(101);
  });
});

describe(`wrong tokens: ${WRONG_TOKEN_POLICY.capacity} tries per address, then refused unseen; logged with throttling`, () => {
  it(`100 wrong tokens from one address: ${WRONG_TOKEN_POLICY.capacity} answered 401, the rest 429 (even the right token), a few log lines`, async () => {
    let now = 1_000_000;
    const log = memoryLogger();
    const web = await serve({ log, guard: { now: () => now } });
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push(await upgrade(web.port, `wrong-${i}`));
    const count = (s: number) => statuses.filter((x) => x === s).length;
    console.log(`wrong tokens: 100 tries → ${count(401)}×401, ${count(429)}×429; ${log.lines.length} log lines`);
    expect(count(401)).toBe(WRONG_TOKEN_POLICY.capacity);
    expect(count(429)).toBe(100 - WRONG_TOKEN_POLICY.capacity);
    // Locked out: the right token is not even looked at.
    expect(await upgrade(web.port, TOKEN)).toBe(429);
    expect(log.lines.length).toBeLessThanOrEqual(5);
    expect(log.lines.every((l) => l.includes('127.0.0.1'))).toBe(true);
    expect(log.lines.join('\n')).not.toContain('wrong-');
    // Time refills the bucket: one try per refill.
    now += WRONG_TOKEN_POLICY.refillMs;
    expect(await upgrade(web.port, TOKEN)).toBe(101);
    expect(await upgrade(web.port, 'wrong-again')).toBe(401);
    expect(await upgrade(web.port, TOKEN)).toBe(429);
    // Past the log's own throttle, the next line says how many were left out.
    now += 60_000;
    expect(await upgrade(web.port, 'wrong-later')).toBe(401);
    expect(log.lines.at(-1)).toMatch(/more like it not logged/);
  });

  it('a missing token counts as a wrong one', async () => {
    const web = await serve();
    expect(await upgrade(web.port, '')).toBe(401);
  });
});

describe('rackdeck web-url', () => {
  const { cli } = useCliHome('rackdeck-weburl-');

  it('prints the address with the token, the same every time, and the one serve will use', async () => {
    const first = await cli('web-url');
    expect(first.code).toBe(0);
    const m = /^http:\/\/127\.0\.0\.1:7373\/#token=([\w-]{24,})$/.exec(first.out);
    expect(m, first.out).not.toBeNull();
    const again = await cli('web-url');
    expect(again.out).toBe(first.out);
    expect((await cli('web-url', '--port', '8080')).out).toBe(`http://127.0.0.1:8080/#token=${m?.[1]}`);
    // Beyond loopback it is https, and says where the fingerprint comes from.
    const lan = await cli('web-url', '--host', '127.0.0.2');
    expect(lan.out).toMatch(/^https:\/\/127\.0\.0\.2:7373\/#token=/);
    expect(lan.out).toContain('first rackdeck serve');
  });

  it('refuses a bad port with exit code 2', async () => {
    expect((await cli('web-url', '--port', 'x')).code).toBe(2);
  });
});
