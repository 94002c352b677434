import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import { bindIpc, describeSender, type ContentsLike, type IpcMainLike } from '../../src/main/faces/electron/ipc-binding';
import { senderAllowed, type SenderInfo } from '../../src/main/faces/electron/sender';
import { request, type WireResult } from '../../src/shared/ipc';
import { createRouter, type CallContext } from '../../src/main/ipc/router';
import { IPC_CONTROL, IPC_EVENT, IPC_REQUEST } from '../../src/shared/ipc-channels';

const indexHtml = path.join(os.tmpdir(), 'rack deck', 'dist', 'renderer', 'index.html');
const indexUrl = pathToFileURL(indexHtml).href;

describe('sender validation', () => {
  const ours: SenderInfo = { contentsId: 7, frameUrl: indexUrl, isMainFrame: true };
  const expected = { contentsId: 7, indexUrl };

  it('accepts our window showing our page, with or without a hash', () => {
    expect(senderAllowed(ours, expected)).toBe(true);
    expect(senderAllowed({ ...ours, frameUrl: `${indexUrl}#server=nas` }, expected)).toBe(true);
  });

  it('accepts another spelling of the same path (encoded characters)', () => {
    expect(indexUrl).toContain('rack%20deck');
    expect(senderAllowed({ ...ours, frameUrl: indexUrl.replace('rack%20deck', 'rack%20d%65ck') }, expected)).toBe(true);
  });

  it.each<[string, Partial<SenderInfo>]>([
    ['another WebContents', { contentsId: 8 }],
    ['a subframe', { isMainFrame: false }],
    ['a frame that is gone', { frameUrl: undefined }],
    ['a web page', { frameUrl: 'https://evil.example/index.html' }],
    ['the loopback web face', { frameUrl: 'http://127.0.0.1:7373/' }],
    ['another file', { frameUrl: pathToFileURL(path.join(os.tmpdir(), 'evil.html')).href }],
    ['a file on another host', { frameUrl: indexUrl.replace('file:///', 'file://attacker/') }],
    ['a data URL', { frameUrl: 'data:text/html,<script>1</script>' }],
    ['garbage', { frameUrl: 'not a url' }],
  ])('refuses %s', (_what, change) => {
    expect(senderAllowed({ ...ours, ...change }, expected)).toBe(false);
  });

  it('refuses everyone when there is no window', () => {
    expect(senderAllowed(ours, { contentsId: undefined, indexUrl })).toBe(false);
  });

  it('compares paths case-insensitively on Windows only', () => {
    const upper = { ...ours, frameUrl: indexUrl.toUpperCase().replace('FILE:', 'file:') };
    expect(senderAllowed(upper, { ...expected, platform: 'win32' })).toBe(true);
    expect(senderAllowed(upper, { ...expected, platform: 'linux' })).toBe(false);
  });

  it('reads the sender from an IPC event', () => {
    const top = { url: indexUrl, parent: null };
    const fake = (frame: unknown) => ({ sender: { id: 3 }, senderFrame: frame }) as unknown as IpcMainInvokeEvent;
    expect(describeSender(fake(top))).toEqual({ contentsId: 3, frameUrl: indexUrl, isMainFrame: true });
    expect(describeSender(fake({ url: indexUrl, parent: top }))).toEqual({ contentsId: 3, frameUrl: indexUrl, isMainFrame: false });
    expect(describeSender(fake(null))).toEqual({ contentsId: 3, frameUrl: undefined, isMainFrame: false });
  });
});

describe('ipc binding', () => {
  type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
  let home: string;
  let app: RackdeckApp;
  let clock: FakeClock;
  let handlers: Map<string, Handler>;
  let sent: { channel: string; name: unknown; payload: unknown }[];
  let contents: (ContentsLike & { destroyed: boolean }) | undefined;
  let unbind: () => void;

  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const eventFrom = (from: SenderInfo) =>
    ({ sender: { id: from.contentsId }, senderFrame: from.frameUrl ? { url: from.frameUrl, parent: from.isMainFrame ? null : {} } : null }) as unknown as IpcMainInvokeEvent;
  const call = (from: SenderInfo, channel: unknown, input: unknown, callId?: number) => handlers.get(IPC_REQUEST)!(eventFrom(from), channel, input, callId) as Promise<WireResult>;
  const control = (from: SenderInfo, op: string, arg?: unknown) => handlers.get(IPC_CONTROL)!(eventFrom(from), op, arg) as Promise<boolean>;
  const ours = (): SenderInfo => ({ contentsId: 1, frameUrl: indexUrl, isMainFrame: true });

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-ipc-'));
    clock = new FakeClock();
    app = createApp({ home, face: 'desktop', clock, log: silentLogger, probe: async () => ({ openPorts: { '22': true } }) });
    handlers = new Map();
    sent = [];
    contents = {
      id: 1,
      destroyed: false,
      isDestroyed() {
        return this.destroyed;
      },
      send: (channel: string, name: unknown, payload: unknown) => void sent.push({ channel, name, payload }),
    } as ContentsLike & { destroyed: boolean };
    unbind = bindIpc({ ipcMain, router: app.router, events: app.engine.events, contents: () => contents, indexUrl, platform: 'linux', log: silentLogger });
  });
  afterEach(async () => {
    unbind();
    await app.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('routes our page\'s requests to the router as the desktop face', async () => {
    const info = await call(ours(), 'app.info', {});
    expect(info).toMatchObject({ ok: true, value: { face: 'desktop', home } });
    const added = await call(ours(), 'servers.add', { name: 'nas', address: '127.0.0.1' });
    expect(added).toMatchObject({ ok: true, value: { id: 'nas', name: 'nas' } });
    expect(app.engine.servers().map((s) => s.id)).toEqual(['nas']);
  });

  it('refuses a request from another frame and changes nothing', async () => {
    const result = await call({ ...ours(), frameUrl: 'https://evil.example/' }, 'servers.add', { name: 'evil', address: '127.0.0.1' });
    expect(result).toEqual({ ok: false, error: { code: 'unauthorized', message: expect.any(String) } });
    expect(app.engine.servers()).toEqual([]);
  });

  it('refuses everything once the window is gone', async () => {
    contents = undefined;
    expect(await call(ours(), 'app.info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('answers a non-string channel and a bad input with clear errors', async () => {
    expect(await call(ours(), 42, {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call(ours(), 'servers.add', { name: '' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call(ours(), 'nope.nothing', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  it('forwards the engine events the page subscribed to with send, and stops when the window is destroyed', async () => {
    expect(await control(ours(), 'subscribe', 'servers.patch')).toBe(true);
    expect(await control(ours(), 'subscribe', 'notice')).toBe(true);
    await call(ours(), 'servers.add', { name: 'nas', address: '127.0.0.1' });
    await clock.advance(1000);
    const patches = sent.filter((s) => s.name === 'servers.patch');
    expect(patches.length).toBeGreaterThan(0);
    expect(patches.every((p) => p.channel === IPC_EVENT)).toBe(true);
    expect(patches.flatMap((p) => (p.payload as { upsert: { id: string; power: string }[] }).upsert).at(-1)).toMatchObject({ id: 'nas', power: 'on' });

    contents!.destroyed = true;
    const before = sent.length;
    app.engine.notify({ level: 'info', title: 't', body: 'b' });
    expect(sent.length).toBe(before);
    contents!.destroyed = false;
    app.engine.notify({ level: 'info', title: 't', body: 'b' });
    expect(sent.at(-1)).toMatchObject({ channel: IPC_EVENT, name: 'notice', payload: { title: 't' } });
  });

  it('sends only what the page subscribed to, and forgets it on a new page (reset)', async () => {
    app.engine.notify({ level: 'info', title: 'unheard', body: 'b' });
    expect(sent).toEqual([]);
    await control(ours(), 'subscribe', 'notice');
    app.engine.notify({ level: 'info', title: 'heard', body: 'b' });
    expect(sent.map((s) => (s.payload as { title: string }).title)).toEqual(['heard']);
    await control(ours(), 'unsubscribe', 'notice');
    app.engine.notify({ level: 'info', title: 'after unsubscribe', body: 'b' });
    await control(ours(), 'subscribe', 'notice');
    await control(ours(), 'reset');
    app.engine.notify({ level: 'info', title: 'after reset', body: 'b' });
    expect(sent.map((s) => (s.payload as { title: string }).title)).toEqual(['heard']);
    expect(await control(ours(), 'subscribe', 'no.such.event')).toBe(false);
  });

  it('refuses subscriptions and cancels from another frame', async () => {
    expect(await control({ ...ours(), frameUrl: 'https://evil.example/' }, 'subscribe', 'notice')).toBe(false);
    app.engine.notify({ level: 'info', title: 't', body: 'b' });
    expect(sent).toEqual([]);
  });

  it('cancels a call the page gave up on, by its number: its handler sees the signal abort', async () => {
    unbind();
    let seen: AbortSignal | undefined;
    const tree = { t: { wait: request<string>()(z.object({}).strict()) } };
    const waiting = (_input: unknown, ctx: CallContext) =>
      new Promise<string>((resolve) => {
        seen = ctx.signal;
        ctx.signal?.addEventListener('abort', () => resolve('stopped'));
      });
    const router = createRouter(tree, { t: { wait: waiting } }, silentLogger);
    unbind = bindIpc({ ipcMain, router, events: app.engine.events, contents: () => contents, indexUrl, platform: 'linux', log: silentLogger });
    const running = call(ours(), 't.wait', {}, 7);
    expect(seen?.aborted).toBe(false);
    expect(await control({ ...ours(), frameUrl: 'https://evil.example/' }, 'cancel', 7)).toBe(false);
    expect(seen?.aborted).toBe(false);
    expect(await control(ours(), 'cancel', 7)).toBe(true);
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(seen?.aborted).toBe(true);
  });

  it('unbinding removes the handlers and stops forwarding', async () => {
    await control(ours(), 'subscribe', 'notice');
    unbind();
    expect(handlers.has(IPC_REQUEST)).toBe(false);
    expect(handlers.has(IPC_CONTROL)).toBe(false);
    app.engine.notify({ level: 'info', title: 't', body: 'b' });
    expect(sent).toEqual([]);
    unbind = () => {};
  });
});
