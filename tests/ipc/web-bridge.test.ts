/**
 * The browser's web bridge (run here over the `ws` package) against a real web face: the
 * subscriptions a tab sends as its listeners come and go, deadlines and cancels that reach the
 * handler in main, and the calls in flight when the socket drops.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import * as z from 'zod';
import { createClient, type Events } from '../../src/shared/contract';
import { makeClient, RackdeckError, request } from '../../src/shared/ipc';
import { silentLogger } from '../../src/main/base/logger';
import { createRouter, type CallContext } from '../../src/main/ipc/router';
import type { RackdeckApp } from '../../src/main/root/app';
import { startWebServer, type WebServer } from '../../src/main/faces/web/server';
import { createWebTransport, type SocketClass, type WebTransport } from '../../src/renderer/bridge/web-bridge';
import { openTestApp } from '../core/test-app';

const TOKEN = 'a-test-token-that-is-long-enough';
let t: ReturnType<typeof openTestApp>;
let rendererDir: string;
const undo: (() => unknown)[] = [];

beforeAll(() => {
  t = openTestApp();
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Rackdeck</title>');
});
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});
afterAll(() => {
  t.cleanup();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

async function serve(app: RackdeckApp): Promise<WebServer> {
  const web = await startWebServer({ app, host: '127.0.0.1', port: 0, token: TOKEN, rendererDir, log: silentLogger });
  undo.push(() => web.close());
  return web;
}

/** The `ws` class, recording every frame the bridge sends and receives. */
function recordingSocket(frames: { out: unknown[]; in: unknown[] }): SocketClass {
  return class {
    static readonly OPEN = WebSocket.OPEN;
    private readonly ws: WebSocket;
    constructor(url: string) {
      this.ws = new WebSocket(url);
      this.ws.on('message', (data) => frames.in.push(JSON.parse(data.toString())));
    }
    get readyState() {
      return this.ws.readyState;
    }
    send(data: string) {
      frames.out.push(JSON.parse(data));
      this.ws.send(data);
    }
    close() {
      this.ws.close();
    }
    addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: { data: unknown }) => void) {
      this.ws.on(type, type === 'message' ? (data: WebSocket.RawData) => listener({ data: data.toString() }) : () => listener({ data: undefined }));
    }
  };
}

async function bridge(web: WebServer, Socket: SocketClass = WebSocket): Promise<WebTransport> {
  const transport = createWebTransport(`ws://127.0.0.1:${web.port}/api/ws`, TOKEN, Socket);
  undo.push(() => transport.close());
  await new Promise<void>((resolve) => {
    const off = transport.on('connection', (s) => {
      if ((s as { state: string }).state === 'open') {
        off();
        resolve();
      }
    });
  });
  return transport;
}

/** An app whose router has channels that wait for their signal, for deadlines and cancels. */
function waitingApp() {
  const tree = { t: { wait: request<string>()(z.object({}).strict()), echo: request<number>()(z.object({ n: z.number() }).strict()) } };
  const signals: AbortSignal[] = [];
  const router = createRouter(
    tree,
    {
      t: {
        wait: (_input: unknown, ctx: CallContext) =>
          new Promise<string>((resolve) => {
            if (ctx.signal) signals.push(ctx.signal);
            ctx.signal?.addEventListener('abort', () => resolve('stopped'));
          }),
        echo: async ({ n }: { n: number }) => n,
      },
    },
    silentLogger,
  );
  const app: RackdeckApp = { ...t.app, router };
  return { app, tree, signals };
}

describe('web bridge subscriptions', () => {
  it('subscribes once per topic however many listeners, unsubscribes with the last, and main stops sending', async () => {
    const web = await serve(t.app);
    const frames = { out: [] as unknown[], in: [] as unknown[] };
    const client = createClient(await bridge(web, recordingSocket(frames)));
    const heard: string[] = [];
    const offA = client.on('notice', (n) => heard.push(`a:${n.title}`));
    const offB = client.on('notice', (n) => heard.push(`b:${n.title}`));
    client.on('connection', () => undefined);
    expect(frames.out.filter((f) => 'subscribe' in (f as object))).toEqual([{ subscribe: 'notice' }]);
    // An answer comes after every frame sent before its request: main has the subscription.
    await client.app.info({});
    t.app.engine.notify({ level: 'info', title: 'one', body: '' });
    await vi.waitFor(() => expect(heard).toEqual(['a:one', 'b:one']));
    offA();
    expect(frames.out.filter((f) => 'unsubscribe' in (f as object))).toEqual([]);
    offB();
    expect(frames.out.filter((f) => 'unsubscribe' in (f as object))).toEqual([{ unsubscribe: 'notice' }]);
    await client.app.info({});
    const before = frames.in.length;
    t.app.engine.notify({ level: 'info', title: 'two', body: '' });
    await client.app.info({});
    // Only the answer came: main sent no notice after the unsubscribe.
    expect(frames.in.slice(before)).toEqual([{ id: expect.any(Number), result: expect.objectContaining({ ok: true }) }]);
  });
});

describe('web bridge deadlines and cancels', () => {
  it('rejects a call that is not answered in time with timeout, and main aborts its handler', async () => {
    const { app, tree, signals } = waitingApp();
    const client = makeClient<typeof tree, Events>(tree, await bridge(await serve(app)), { timeoutMs: 60_000 });
    const error = await client.t.wait({}, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RackdeckError);
    expect(error).toMatchObject({ code: 'timeout' });
    await vi.waitFor(() => expect(signals[0]?.aborted).toBe(true));
    expect(await client.t.echo({ n: 5 })).toBe(5);
  });

  it('rejects an aborted call with cancelled, and its handler sees its signal aborted', async () => {
    const { app, tree, signals } = waitingApp();
    const client = makeClient<typeof tree, Events>(tree, await bridge(await serve(app)), { timeoutMs: 60_000 });
    const stop = new AbortController();
    const running = client.t.wait({}, { signal: stop.signal });
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    expect(signals[0]?.aborted).toBe(false);
    stop.abort();
    await expect(running).rejects.toMatchObject({ name: 'RackdeckError', code: 'cancelled' });
    await vi.waitFor(() => expect(signals[0]?.aborted).toBe(true));
  });

  it('rejects every call in flight when the socket drops, instead of waiting for ever', async () => {
    const { app, tree, signals } = waitingApp();
    const web = await serve(app);
    const client = makeClient<typeof tree, Events>(tree, await bridge(web), { timeoutMs: 0 });
    const first = client.t.wait({});
    const second = client.t.wait({});
    await vi.waitFor(() => expect(signals).toHaveLength(2));
    await web.close();
    for (const lost of [first, second]) await expect(lost).rejects.toMatchObject({ code: 'failed', message: expect.stringMatching(/connection to Rackdeck was lost/) });
    // Main cancelled the handlers of the socket that went away.
    await vi.waitFor(() => expect(signals.every((s) => s.aborted)).toBe(true));
    await expect(client.t.echo({ n: 1 })).rejects.toMatchObject({ code: 'failed', message: 'Not connected to Rackdeck.' });
  });
});
