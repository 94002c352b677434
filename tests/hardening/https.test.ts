/**
 * Beyond loopback the web face speaks HTTPS only (issue 14). 127.0.0.2 stands in for a LAN
 * address: it is not the default 127.0.0.1, so it gets the treatment a LAN address gets, without
 * a packet leaving the machine.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import net from 'node:net';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { silentLogger } from '../../src/main/base/logger';
import { runCli } from '../../src/main/faces/cli/main';
import { startWebServer, type WebServer } from '../../src/main/faces/web/server';
import { TLS_DIR } from '../../src/main/faces/web/tls';
import { Cleanup, makeHome } from '../e2e/harness';
import { openTestApp } from '../core/test-app';
import { spawnServe } from './serve-process';

const HOST = '127.0.0.2';
const TOKEN = 'a-hardening-token-long-enough-for-zod';
let t: ReturnType<typeof openTestApp>;
let rendererDir: string;
const suite = new Cleanup();

beforeAll(() => {
  t = openTestApp();
  suite.add('close the test app', () => t.cleanup());
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-renderer-'));
  suite.add('remove the renderer', () => fs.rmSync(rendererDir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Rackdeck</title>');
});
afterAll(() => suite.run());

async function serve(home: string, extra: Partial<Parameters<typeof startWebServer>[0]> = {}): Promise<WebServer> {
  const web = await startWebServer({ app: t.app, host: HOST, port: 0, token: TOKEN, rendererDir, log: silentLogger, home, ...extra });
  suite.add('close the web face', () => web.close());
  return web;
}

/** The certificate the face presents, read off a TLS handshake that sends nothing. */
function presented(port: number): Promise<{ fingerprint: string; pem: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: HOST, port, rejectUnauthorized: false }, () => {
      const cert = socket.getPeerX509Certificate();
      socket.destroy();
      if (!cert) reject(new Error('no certificate'));
      else resolve({ fingerprint: cert.fingerprint256, pem: cert.toString() });
    });
    socket.on('error', reject);
  });
}

/** A GET that trusts exactly `ca`: it succeeds only if the certificate names 127.0.0.2. */
function getTrusting(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

function home(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-tls-'));
  suite.add(`remove ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe(`HTTPS when bound beyond loopback (${HOST})`, () => {
  it('makes a self-signed certificate on first use, keeps its key 0600, prints its fingerprint and the warning, and serves the socket over wss', async () => {
    const dir = home();
    const web = await serve(dir);
    expect(web.url).toBe(`https://${HOST}:${web.port}/`);
    expect(web.openUrl).toBe(`https://${HOST}:${web.port}/#token=${TOKEN}`);
    expect(web.tls?.source).toBe('generated');
    const cert = await presented(web.port);
    expect(cert.fingerprint).toBe(web.tls?.fingerprint);
    expect(web.notices.join('\n')).toContain('Warning: listening on 127.0.0.2');
    expect(web.notices.join('\n')).toContain(cert.fingerprint);
    // Kept in the home: key 0600, folder 0700, and the certificate names the address.
    const keyFile = path.join(dir, TLS_DIR, 'key.pem');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, TLS_DIR)).mode & 0o777).toBe(0o700);
    expect(new X509Certificate(fs.readFileSync(path.join(dir, TLS_DIR, 'cert.pem'))).checkIP(HOST)).toBe(HOST);
    expect(await getTrusting(web.url, cert.pem)).toBe(200);
    // Plain HTTP on that port gets nothing from the app.
    await expect(fetch(`http://${HOST}:${web.port}/`)).rejects.toThrow();
    const ws = new WebSocket(`wss://${HOST}:${web.port}/api/ws?token=${TOKEN}`, { ca: cert.pem });
    const answer = await new Promise<{ result: { ok: boolean } }>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, channel: 'app.info', input: {} })));
      ws.once('message', (d) => resolve(JSON.parse(d.toString()) as { result: { ok: boolean } }));
      ws.once('error', reject);
    });
    ws.close();
    expect(answer.result.ok).toBe(true);
    // Bytes that are no TLS at all, and handshakes cut short, end their own connections only.
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        new Promise<void>((resolve) => {
          const socket = net.connect({ host: HOST, port: web.port });
          socket.on('error', () => undefined);
          socket.resume();
          socket.once('close', () => resolve());
          socket.end(i % 2 === 0 ? randomBytes(1 + i * 20) : Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc]));
        }),
      ),
    );
    expect(await getTrusting(web.url, cert.pem)).toBe(200);
    // The next start keeps the same certificate: the admin compares one fingerprint, once.
    const again = await serve(dir);
    expect(again.tls).toMatchObject({ source: 'kept', fingerprint: cert.fingerprint });
    expect(again.notices.join('\n')).toContain('Warning: listening on 127.0.0.2');
  });

  it("uses the admin's certificate when settings.web.tls names one, and refuses a key that is not its pair", async () => {
    const { generate } = await import('selfsigned');
    const mk = () => generate([{ name: 'commonName', value: 'rackdeck.home.arpa' }], { keyType: 'ec', extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: HOST }] }] });
    const [pair, other] = await Promise.all([mk(), mk()]);
    const dir = home();
    fs.writeFileSync(path.join(dir, 'cert.pem'), pair.cert);
    fs.writeFileSync(path.join(dir, 'key.pem'), pair.private, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'other.pem'), other.private, { mode: 0o600 });
    const web = await serve(dir, { tlsFiles: { certFile: path.join(dir, 'cert.pem'), keyFile: path.join(dir, 'key.pem') } });
    expect(web.tls?.source).toBe('provided');
    expect((await presented(web.port)).fingerprint).toBe(new X509Certificate(pair.cert).fingerprint256);
    expect(fs.existsSync(path.join(dir, TLS_DIR))).toBe(false);
    await expect(serve(dir, { tlsFiles: { certFile: path.join(dir, 'cert.pem'), keyFile: path.join(dir, 'other.pem') } })).rejects.toThrow(/not the key of/);
  });

  it('rackdeck serve --host 127.0.0.2 prints the https address, the warning and the fingerprint at every start; web-url prints the same', async () => {
    const dir = makeHome(suite);
    const fingerprints: string[] = [];
    for (let start = 0; start < 2; start++) {
      const served = await spawnServe(suite, dir, ['--host', HOST]);
      expect(served.openUrl).toMatch(/^https:\/\/127\.0\.0\.2:\d+\/#token=/);
      const { fingerprint } = await presented(served.port);
      fingerprints.push(fingerprint);
      await vi.waitFor(() => expect(served.output()).toContain(fingerprint));
      expect(served.output()).toContain('Warning: listening on 127.0.0.2, beyond this machine');
      // While it runs, web-url prints its own address (port 0 picked one) with the same token.
      const running: string[] = [];
      expect(await runCli(['web-url', '--home', dir], { out: (l) => running.push(l), err: (l) => running.push(l), env: {} })).toBe(0);
      expect(running).toEqual([served.openUrl, `Certificate SHA-256 fingerprint: ${fingerprint}`]);
      await served.stop();
    }
    expect(fingerprints[1]).toBe(fingerprints[0]);
    const out: string[] = [];
    expect(await runCli(['web-url', '--host', HOST, '--home', dir], { out: (l) => out.push(l), err: (l) => out.push(l), env: {} })).toBe(0);
    expect(out.join('\n')).toContain(`Certificate SHA-256 fingerprint: ${fingerprints[0]}`);
  });
});
