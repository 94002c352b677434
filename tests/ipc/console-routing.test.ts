/**
 * A console's output belongs to the tab that opened it: two browser tabs (web bridges over real
 * sockets) and a CLI run (the local transport) all listen to console events, one tab runs a
 * command on a real sshd, and only that tab hears its output, its stats and its end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createClient, type RackdeckClient } from '../../src/shared/contract';
import type { ConsoleClosed, ConsoleData, ConsoleStatsEvent } from '../../src/shared/contract/consoles';
import type { Notice } from '../../src/shared/events';
import { silentLogger } from '../../src/main/base/logger';
import { SshPool, sshTargetFor } from '../../src/main/drivers/ssh';
import { localTransport } from '../../src/main/ipc/local-transport';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { KnownHostsStore } from '../../src/main/store/known-hosts';
import { startWebServer, type WebServer } from '../../src/main/faces/web/server';
import { createWebTransport, type WebTransport } from '../../src/renderer/bridge/web-bridge';
import { startSshd, sshdAvailable, type SshdFixture } from '../ssh/sshd-fixture';

const TOKEN = 'a-test-token-that-is-long-enough';
let sshd: SshdFixture;
let home: string;
let app: RackdeckApp;
let web: WebServer;
const transports: WebTransport[] = [];

beforeAll(async () => {
  if (!sshdAvailable) return;
  sshd = await startSshd();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-ipc-consoles-'));
  fs.writeFileSync(path.join(home, 'index.html'), '<!doctype html>');
  app = createApp({ home, face: 'web', log: silentLogger, probe: async () => ({ openPorts: {} }) });
  await app.router.handle('servers.add', { name: 'box', address: '127.0.0.1', ports: [sshd.port], ssh: { user: sshd.user, port: sshd.port, auth: 'key', keyPath: sshd.key.path } }, { face: 'test' });
  // "Connect once": the first connection pins the host key in the data folder.
  const pool = new SshPool({ knownHosts: new KnownHostsStore(home) });
  await pool.exec(sshTargetFor(app.engine.get('box'), { get: () => undefined }), 'true');
  pool.close();
  web = await startWebServer({ app, host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: home, log: silentLogger });
});

afterAll(async () => {
  for (const transport of transports) transport.close();
  await web?.close();
  await app?.stop();
  await sshd?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

/** A client that records every console event and notice it hears. */
function listening(client: RackdeckClient) {
  const heard = { data: [] as ConsoleData[], closed: [] as ConsoleClosed[], stats: [] as ConsoleStatsEvent[], notices: [] as Notice[] };
  client.on('console.data', (d) => heard.data.push(d));
  client.on('console.closed', (c) => heard.closed.push(c));
  client.on('console.stats', (s) => heard.stats.push(s));
  client.on('notice', (n) => heard.notices.push(n));
  return heard;
}

async function tab() {
  const transport = createWebTransport(`ws://127.0.0.1:${web.port}/api/ws`, TOKEN, WebSocket);
  transports.push(transport);
  const client = createClient(transport);
  const open = new Promise<void>((resolve) => client.on('connection', (s) => s.state === 'open' && resolve()));
  const heard = listening(client);
  await open;
  return { client, heard };
}

const text = (data: ConsoleData[], sessionId: string) => Buffer.concat(data.filter((d) => d.sessionId === sessionId).map((d) => Buffer.from(d.data, 'base64'))).toString();

describe.skipIf(!sshdAvailable)('console events go to the connection that opened the session', () => {
  it("a tab's command output, stats and end reach that tab only", async () => {
    const a = await tab();
    const b = await tab();
    const cli = createClient(localTransport(app, 'cli'));
    const fromCli = listening(cli);

    const run = await a.client.consoles.exec({ serverId: 'box', owner: 'window-tab-a', spec: { type: 'command', command: 'echo only-for-$((6*7))' } });
    await vi.waitFor(() => expect(a.heard.closed.map((c) => c.sessionId)).toContain(run.sessionId), { timeout: 15_000 });
    expect(text(a.heard.data, run.sessionId)).toContain('only-for-42');

    const stats = await a.client.consoles.stats({ serverId: 'box', owner: 'window-tab-a' });
    await vi.waitFor(() => expect(a.heard.stats.some((s) => s.sessionId === stats.sessionId)).toBe(true), { timeout: 15_000 });
    await a.client.consoles.close({ sessionId: stats.sessionId });
    await vi.waitFor(() => expect(a.heard.closed.map((c) => c.sessionId)).toContain(stats.sessionId));

    // A notice for everyone, sent after all of the above: once each listener has it, anything
    // addressed to it earlier would have arrived before it.
    app.engine.notify({ level: 'info', title: 'sentinel', body: '' });
    await vi.waitFor(() => expect([b.heard, fromCli].every((h) => h.notices.some((n) => n.title === 'sentinel'))).toBe(true));
    for (const other of [b.heard, fromCli]) {
      expect(other.data).toEqual([]);
      expect(other.stats).toEqual([]);
      expect(other.closed).toEqual([]);
    }
  });

  it("a CLI run's console is its own too, and a tab does not hear it", async () => {
    const a = await tab();
    const cli = createClient(localTransport(app, 'cli'));
    const fromCli = listening(cli);
    const run = await cli.consoles.exec({ serverId: 'box', owner: 'cli-run-test', spec: { type: 'command', command: 'echo cli-$((2+3))' } });
    await vi.waitFor(() => expect(fromCli.closed.map((c) => c.sessionId)).toContain(run.sessionId), { timeout: 15_000 });
    expect(text(fromCli.data, run.sessionId)).toContain('cli-5');
    app.engine.notify({ level: 'info', title: 'sentinel-2', body: '' });
    await vi.waitFor(() => expect(a.heard.notices.some((n) => n.title === 'sentinel-2')).toBe(true));
    expect(a.heard.data).toEqual([]);
    expect(a.heard.closed).toEqual([]);
  });
});
