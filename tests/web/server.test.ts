import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { silentLogger } from '../../src/main/base/logger';
import { startWebServer, type WebServer } from '../../src/main/faces/web/server';
import { openTestApp } from '../core/test-app';

const TOKEN = 'a-test-token-that-is-long-enough';
let web: WebServer;
let t: ReturnType<typeof openTestApp>;
let rendererDir: string;

beforeAll(async () => {
  t = openTestApp();
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-renderer-'));
  fs.writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><title>Rackdeck</title><script type="module" crossorigin src="./assets/index-abc.js"></script><link rel="stylesheet" crossorigin href="./assets/index-def.css">',
  );
  fs.writeFileSync(path.join(os.tmpdir(), 'rackdeck-secret.txt'), 'secret');
  web = await startWebServer({ app: t.app, host: '127.0.0.1', port: 0, token: TOKEN, rendererDir, log: silentLogger });
});
afterAll(async () => {
  await web.close();
  t.cleanup();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

function connect(token: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api/ws?token=${encodeURIComponent(token)}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, channel: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { id?: number; result?: unknown };
      if (frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, input }));
  });
}

describe('web face', () => {
  it('prints a loopback URL with the token in the fragment', () => {
    expect(web.openUrl).toBe(`http://127.0.0.1:${web.port}/#token=${TOKEN}`);
  });

  it('refuses a wrong or missing token', async () => {
    await expect(connect('wrong')).rejects.toThrow('HTTP 401');
    await expect(connect('')).rejects.toThrow('HTTP 401');
  });

  it("refuses another site's page even with the token", async () => {
    await expect(connect(TOKEN, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('carries requests and the events a socket subscribed to', async () => {
    const ws = await connect(TOKEN, { Origin: `http://127.0.0.1:${web.port}` });
    const events: unknown[] = [];
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as { event?: string };
      if (f.event) events.push(f);
    });
    ws.send(JSON.stringify({ subscribe: 'servers.patch' }));
    const added = (await call(ws, 1, 'servers.add', { name: 'web', address: '127.0.0.1', ports: [1] })) as { ok: boolean; value: { id: string } };
    expect(added.ok).toBe(true);
    const bad = (await call(ws, 2, 'servers.add', { name: 'x' })) as { ok: boolean; error: { fields: Record<string, string> } };
    expect(bad.ok).toBe(false);
    expect(Object.keys(bad.error.fields)).toEqual(['address']);
    await t.clock.advance(200);
    await vi.waitFor(() => expect(events.some((e) => (e as { event: string }).event === 'servers.patch')).toBe(true));
    // Never subscribed: a notice is not sent to this socket (the answer after it would come after it).
    t.app.engine.notify({ level: 'info', title: 'not for this socket', body: '' });
    await call(ws, 3, 'app.info', {});
    expect(events.some((e) => (e as { event: string }).event === 'notice')).toBe(false);
    ws.close();
  });

  it('refuses a subscription to an event the contract does not have', async () => {
    const ws = await connect(TOKEN);
    const answer = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
    ws.send(JSON.stringify({ subscribe: 'no.such.event' }));
    expect(JSON.parse(await answer)).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad_request', message: expect.stringContaining('no.such.event') } } });
    ws.close();
  });

  it('answers a malformed frame without dying', async () => {
    const ws = await connect(TOKEN);
    const answer = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
    ws.send('not json');
    expect(JSON.parse(await answer)).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad_request' } } });
    ws.close();
  });

  it('serves the renderer with a CSP and never a file outside it', async () => {
    const index = await fetch(`http://127.0.0.1:${web.port}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const climb = await fetch(`http://127.0.0.1:${web.port}/..%2f..%2f..%2frackdeck-secret.txt`);
    expect(await climb.text()).not.toContain('secret');
    const api = await fetch(`http://127.0.0.1:${web.port}/api/servers`);
    expect(api.status).toBe(404);
    const post = await fetch(`http://127.0.0.1:${web.port}/`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it("names the page's script and style sheet in its headers, so the browser fetches them before parsing the page", async () => {
    const index = await fetch(`http://127.0.0.1:${web.port}/`);
    expect(index.headers.get('link')).toBe('</assets/index-abc.js>; rel=modulepreload; crossorigin, </assets/index-def.css>; rel=preload; as=style; crossorigin');
    await index.text();
    // Only the page: an asset's response names nothing.
    const missing = await fetch(`http://127.0.0.1:${web.port}/assets/index-abc.js`);
    expect(missing.headers.get('link')).toBeNull();
  });
});

describe('static files', () => {
  it('serves from a root given with a trailing slash, as the CLI passes it', async () => {
    const { readStatic } = await import('../../src/main/faces/web/static-files');
    const file = await readStatic(`${rendererDir}/`, '/');
    expect(file?.body.toString()).toContain('<title>Rackdeck</title>');
    expect(await readStatic(`${rendererDir}/`, '/assets/missing.js')).toBeNull();
    expect((await readStatic(rendererDir, '/some/route'))?.type).toMatch(/text\/html/);
  });

  it('keeps a hashed asset in memory once read, and reads index.html and missing assets afresh', async () => {
    const { staticFiles } = await import('../../src/main/faces/web/static-files');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-assets-'));
    try {
      fs.mkdirSync(path.join(dir, 'assets'));
      fs.writeFileSync(path.join(dir, 'index.html'), 'one');
      fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'export {};');
      const read = staticFiles(dir);
      expect((await read('/assets/index-abc.js'))?.type).toMatch(/javascript/);
      expect((await read('/assets/later-def.js'))).toBeNull();
      // An asset's name never changes its bytes: the copy in memory is served, even once the file is gone.
      fs.rmSync(path.join(dir, 'assets', 'index-abc.js'));
      expect((await read('/assets/index-abc.js'))?.body.toString()).toBe('export {};');
      // index.html is read each time (a rebuild under a running engine), and so is an asset missing before.
      fs.writeFileSync(path.join(dir, 'index.html'), 'two');
      fs.writeFileSync(path.join(dir, 'assets', 'later-def.js'), 'export {};');
      expect((await read('/'))?.body.toString()).toBe('two');
      expect((await read('/assets/later-def.js'))?.body.toString()).toBe('export {};');
      // Another spelling of a path is no key of the map, and cannot climb out of the folder.
      expect(await read('/assets/..%2f..%2frackdeck-secret.txt')).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the script and style sheet a page names as the page is served, before the browser asks', async () => {
    const { staticFiles, assetsNamedIn } = await import('../../src/main/faces/web/static-files');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-assets-'));
    try {
      fs.mkdirSync(path.join(dir, 'assets'));
      const html = '<script type="module" crossorigin src="./assets/index-abc.js"></script><link rel="stylesheet" crossorigin href="./assets/index-def.css"><link rel="icon" href="data:image/svg+xml,x">';
      fs.writeFileSync(path.join(dir, 'index.html'), html);
      fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'export {};');
      fs.writeFileSync(path.join(dir, 'assets', 'index-def.css'), 'body{}');
      expect(assetsNamedIn(Buffer.from(html))).toEqual(['/assets/index-abc.js', '/assets/index-def.css']);
      const read = staticFiles(dir);
      const reads = vi.spyOn(fsp, 'readFile');
      try {
        expect((await read('/'))?.body.toString()).toBe(html);
        // Both reads were started by the page's own request, before anyone asked for the files.
        const started = reads.mock.calls.map(([file]) => path.basename(String(file)));
        expect(started).toEqual(['index.html', 'index-abc.js', 'index-def.css']);
        expect((await read('/assets/index-abc.js'))?.body.toString()).toBe('export {};');
        expect(reads).toHaveBeenCalledTimes(3);
      } finally {
        reads.mockRestore();
      }
      expect((await read('/assets/index-def.css'))?.body.toString()).toBe('body{}');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
