import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import dns2 from 'dns2';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/base/logger';
import { systemPing } from '../../src/main/checks/io/ping';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import type { CheckView } from '../../src/shared/contract/checks';
import type { ServerView } from '../../src/shared/server';

/**
 * The network checks against real local servers: an HTTPS server whose certificate expires in
 * 5 days, a plain HTTP server with a keyword and redirects, a DNS server (dns2) answering a test
 * zone on loopback, and ICMP through the system's ping (or its TCP fallback). 127.0.218.x
 * belongs to this file.
 */
const ADDRESS = '127.0.218.1';
const DAY = 86_400_000;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-checks-net-'));
let app: RackdeckApp;
let serverId: string;
let httpsServer: https.Server;
let httpServer: http.Server;
let tcp: net.Server;
let dnsServer: ReturnType<typeof dns2.createServer>;
let httpsPort = 0;
let httpPort = 0;
let tcpPort = 0;
let dnsPort = 0;
let page = '<html><body>All systems nominal</body></html>';

const call = async <T,>(channel: string, input: unknown): Promise<T> => {
  const r = await app.router.handle(channel, input, { face: 'test' });
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
  return r.value as T;
};
const refusal = async (channel: string, input: unknown): Promise<string> => {
  const r = await app.router.handle(channel, input, { face: 'test' });
  if (r.ok) throw new Error(`${channel} was accepted`);
  return `${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`;
};
const add = (check: Record<string, unknown>) => call<CheckView>('checks.add', { server: 'web', check });
const run = async (id: string) => (await call<CheckView[]>('checks.run', { server: 'web', id }))[0] as CheckView;
const listen = (server: net.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, ADDRESS, () => resolve((server.address() as net.AddressInfo).port)));

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'expiring.test' }], { keyType: 'ec', algorithm: 'sha256', notBeforeDate: new Date(Date.now() - DAY), notAfterDate: new Date(Date.now() + 5 * DAY) });
  httpsServer = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page);
  });
  httpsPort = await listen(httpsServer);
  httpServer = http.createServer((req, res) => {
    if (req.url === '/old') {
      res.writeHead(301, { location: '/new' });
      return res.end();
    }
    if (req.url === '/new') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('moved here');
    }
    if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 400).unref();
      return;
    }
    res.writeHead(req.url === '/' ? 200 : 503, { 'content-type': 'text/html' });
    res.end(req.url === '/' ? page : 'Service Unavailable: maintenance');
  });
  httpPort = await listen(httpServer);
  tcp = net.createServer((s) => s.end());
  tcpPort = await listen(tcp);

  const { Packet } = dns2;
  const zone: Record<string, string[]> = { 'nas.lab.test': ['127.0.218.10'], 'web.lab.test': ['127.0.218.1', '127.0.218.2'] };
  dnsServer = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0];
      const answers = question && question.type === Packet.TYPE.A ? zone[question.name.toLowerCase()] : undefined;
      if (!question || !answers) response.header.rcode = 3; // NXDOMAIN
      else for (const address of answers) response.answers.push(Packet.createResourceFromQuestion(question, { ttl: 60, address }));
      void send(response);
    },
  });
  const addresses = await dnsServer.listen({ udp: { port: 0, address: ADDRESS } });
  dnsPort = addresses.udp?.port ?? 0;

  app = createApp({ home, face: 'cli', log: silentLogger });
  const view = await call<ServerView>('servers.add', { name: 'web', address: ADDRESS, ports: [tcpPort] });
  serverId = view.id;
});

afterAll(async () => {
  await app?.stop();
  httpsServer?.close();
  httpServer?.close();
  tcp?.close();
  await dnsServer?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('HTTP(S) checks', () => {
  it('reads the days left on a certificate that expires in 5 days: failing below 7, a warning below 21', async () => {
    const c = await add({ kind: 'http', id: 'tls', url: `https://${ADDRESS}:${httpsPort}/`, verifyTls: false, keyword: 'nominal' });
    const v = await run(c.check.id);
    expect(v.state.status).toBe('failing');
    expect(v.state.message).toMatch(/certificate expires in 4 days/);
    expect(v.state.details?.certDays).toBeGreaterThan(4);
    expect(v.state.details?.certDays).toBeLessThan(5);
    // Thresholds moved under 5 days: only the warning is left; moved further, it is ok.
    expect((await call<CheckView>('checks.update', { server: 'web', id: 'tls', check: { kind: 'http', url: `https://${ADDRESS}:${httpsPort}/`, verifyTls: false, certFailDays: 3 } })).state.status).toBe('unknown');
    expect((await run('tls')).state.status).toBe('warning');
    await call('checks.update', { server: 'web', id: 'tls', check: { kind: 'http', url: `https://${ADDRESS}:${httpsPort}/`, verifyTls: false, certFailDays: 2, certWarnDays: 3 } });
    expect((await run('tls')).state).toMatchObject({ status: 'ok', message: expect.stringMatching(/^200 in \d+ ms, certificate good for 4 days/) });
  });

  it('with TLS verified, a self-signed certificate is a failed run saying so', async () => {
    await add({ kind: 'http', id: 'tls-verified', url: `https://${ADDRESS}:${httpsPort}/` });
    const v = await run('tls-verified');
    expect(v.state.status).toBe('failing');
    expect(v.state.message).toMatch(/self-signed certificate/);
  });

  it('a keyword that must appear, one that must not, the status range and redirects followed or not', async () => {
    await add({ kind: 'http', id: 'keyword', url: `http://${ADDRESS}:${httpPort}/`, keyword: 'nominal' });
    expect((await run('keyword')).state.status).toBe('ok');
    page = '<html><body>Bad gateway</body></html>';
    expect((await run('keyword')).state).toMatchObject({ status: 'failing', message: '"nominal" is not on the page' });
    page = '<html><body>All systems nominal</body></html>';

    await add({ kind: 'http', id: 'no-error', url: `http://${ADDRESS}:${httpPort}/`, keyword: 'Bad gateway', keywordAbsent: true });
    expect((await run('no-error')).state.status).toBe('ok');

    await add({ kind: 'http', id: 'status', url: `http://${ADDRESS}:${httpPort}/down` });
    expect((await run('status')).state.message).toBe('status 503, expected 200–399');

    await add({ kind: 'http', id: 'follow', url: `http://${ADDRESS}:${httpPort}/old`, keyword: 'moved here' });
    expect((await run('follow')).state).toMatchObject({ status: 'ok', details: { status: 200 }, message: expect.stringContaining('via 1 redirect') });
    await add({ kind: 'http', id: 'no-follow', url: `http://${ADDRESS}:${httpPort}/old`, followRedirects: false, statusMin: 200, statusMax: 299 });
    expect((await run('no-follow')).state.message).toBe('status 301, expected 200–299');
  });

  it('slower than the response-time limit is a warning; no answer within the timeout is a failure', async () => {
    await add({ kind: 'http', id: 'slow', url: `http://${ADDRESS}:${httpPort}/slow`, maxResponseMs: 50 });
    expect((await run('slow')).state).toMatchObject({ status: 'warning', message: expect.stringMatching(/limit 50 ms/) });
    await add({ kind: 'http', id: 'too-slow', url: `http://${ADDRESS}:${httpPort}/slow`, timeoutMs: 100 });
    expect((await run('too-slow')).state.status).toBe('failing');
  });

  it('failAfter: one failed run is not yet failing; the alert fires at the count and clears when good again', async () => {
    await add({ kind: 'http', id: 'grace', url: `http://${ADDRESS}:${httpPort}/`, keyword: 'nominal', failAfter: 2 });
    expect((await run('grace')).state.status).toBe('ok');
    page = 'oops';
    const first = await run('grace');
    expect(first.state).toMatchObject({ status: 'ok', failures: 1, message: expect.stringContaining('failure 1 of 2') });
    expect(app.monitoring.listAlerts({ state: 'active' }).some((a) => a.subject === `check:${serverId}:grace`)).toBe(false);
    const second = await run('grace');
    expect(second.state).toMatchObject({ status: 'failing', failures: 2, alerting: true });
    const alert = app.monitoring.listAlerts({ state: 'active' }).find((a) => a.subject === `check:${serverId}:grace`);
    expect(alert).toMatchObject({ kind: 'check', ruleId: 'check-failed', serverId, title: 'web: check "grace" is failing' });
    page = '<html><body>All systems nominal</body></html>';
    expect((await run('grace')).state).toMatchObject({ status: 'ok', alerting: false });
    expect(app.monitoring.listAlerts({ state: 'active' }).some((a) => a.subject === `check:${serverId}:grace`)).toBe(false);
  });
});

describe('DNS checks', () => {
  it('resolves a name of the test zone on the chosen resolver and port, to an expected address', async () => {
    await add({ kind: 'dns', id: 'dns', name: 'web.lab.test', resolver: `${ADDRESS}:${dnsPort}`, expected: ['127.0.218.2'] });
    expect((await run('dns')).state).toMatchObject({ status: 'ok', message: `web.lab.test → 127.0.218.1, 127.0.218.2 (${ADDRESS}:${dnsPort})` });
    await add({ kind: 'dns', id: 'dns-wrong', name: 'nas.lab.test', resolver: `${ADDRESS}:${dnsPort}`, expected: ['127.0.218.99'] });
    expect((await run('dns-wrong')).state.message).toBe('nas.lab.test resolves to 127.0.218.10, expected 127.0.218.99');
    await add({ kind: 'dns', id: 'dns-missing', name: 'gone.lab.test', resolver: `${ADDRESS}:${dnsPort}` });
    expect((await run('dns-missing')).state).toMatchObject({ status: 'failing', message: `gone.lab.test has no A record on ${ADDRESS}:${dnsPort}` });
  });

  it('refuses a resolver that is not an address, and changes nothing', async () => {
    expect(await refusal('checks.add', { server: 'web', check: { kind: 'dns', name: 'x.test', resolver: 'dns.example:53' } })).toMatch(/resolver address/);
    expect(await refusal('checks.add', { server: 'web', check: { kind: 'http', url: 'ftp://x' } })).toMatch(/a URL like/);
    expect((await call<CheckView[]>('checks.list', { server: 'web' })).some((c) => c.check.kind === 'dns' && c.check.id.startsWith('dns-') && c.check.id !== 'dns-wrong' && c.check.id !== 'dns-missing')).toBe(false);
  });
});

describe('ping checks', () => {
  it('ICMP through the system ping where it can; a clear TCP fallback where it cannot', async () => {
    const v = await (await add({ kind: 'ping', id: 'ping' }), run('ping'));
    expect(v.state.status).toBe('ok');
    if (v.state.details?.method === 'icmp') expect(v.state.message).toMatch(/^ICMP reply in [\d.]+ ms$/);
    else expect(v.state.message).toMatch(new RegExp(`^ICMP not possible here \\(.+\\): checked TCP port ${tcpPort} instead, it answered`));
  });

  it('no ping program: falls back to TCP and says why', async () => {
    const probe = systemPing('/nonexistent/ping');
    expect(await probe(ADDRESS, 1000, new AbortController().signal)).toEqual({ kind: 'unavailable', reason: 'no "/nonexistent/ping" program on this machine' });
  });

  it('a kernel that refuses the ICMP socket: unavailable, with the reason', async () => {
    const fake = path.join(home, 'fake-ping');
    fs.writeFileSync(fake, '#!/bin/sh\necho "ping: socktype: SOCK_RAW" >&2\necho "ping: socket: Operation not permitted" >&2\nexit 2\n', { mode: 0o755 });
    const r = await systemPing(fake)(ADDRESS, 1000, new AbortController().signal);
    expect(r.kind).toBe('unavailable');
  });
});

describe('the checks list', () => {
  it('survives a restart: checks.json holds the definitions', async () => {
    const before = await call<CheckView[]>('checks.list', { server: 'web' });
    const again = createApp({ home, face: 'cli', log: silentLogger });
    const r = await again.router.handle('checks.list', { server: 'web' }, { face: 'test' });
    expect(r.ok && (r.value as CheckView[]).map((c) => c.check)).toEqual(before.map((c) => c.check));
    await again.stop();
  });

  it('removing a failing check clears its alert', async () => {
    await add({ kind: 'http', id: 'doomed', url: `http://${ADDRESS}:${httpPort}/down` });
    expect((await run('doomed')).state.alerting).toBe(true);
    expect(app.monitoring.listAlerts({ state: 'active' }).some((a) => a.subject === `check:${serverId}:doomed`)).toBe(true);
    expect(await call('checks.remove', { server: 'web', id: 'doomed' })).toEqual({ removed: true });
    expect(app.monitoring.listAlerts({ state: 'active' }).some((a) => a.subject === `check:${serverId}:doomed`)).toBe(false);
  });
});
