import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/main/base/logger';
import { startWebServer, type WebServer } from '../../src/main/faces/web/server';
import { openTestApp } from '../core/test-app';

// Notes when the web face loads `ws` (the real package is still what it gets): this file makes no
// WebSocket of its own, so the first load is the face's.
const loaded = vi.hoisted(() => ({ ws: false }));
vi.mock('ws', async (importOriginal) => {
  loaded.ws = true;
  return importOriginal();
});

let web: WebServer;
let t: ReturnType<typeof openTestApp>;
let rendererDir: string;

beforeAll(async () => {
  t = openTestApp();
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Rackdeck</title><script type="module" src="./assets/index-abc.js"></script>');
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(path.join(rendererDir, 'assets', 'index-abc.js'), 'export {};');
  web = await startWebServer({ app: t.app, host: '127.0.0.1', port: 0, token: 'a-test-token-that-is-long-enough', rendererDir, log: silentLogger });
});
afterAll(async () => {
  await web.close();
  t.cleanup();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

it("loads the WebSocket server when the page's script is served, before the page asks for its socket (issue 16)", async () => {
  // Not before the URL is printed: starting the engine does not pay for it.
  expect(loaded.ws).toBe(false);
  // Nor with the HTML, while the browser parses it and streams the script in, nor for a HEAD
  // (the page's check that the face answers at all).
  expect((await fetch(`http://127.0.0.1:${web.port}/`)).status).toBe(200);
  await fetch(`http://127.0.0.1:${web.port}/assets/index-abc.js`, { method: 'HEAD' });
  expect(loaded.ws).toBe(false);
  const script = await fetch(`http://127.0.0.1:${web.port}/assets/index-abc.js`);
  expect(await script.text()).toBe('export {};');
  await vi.waitFor(() => expect(loaded.ws).toBe(true));
});
