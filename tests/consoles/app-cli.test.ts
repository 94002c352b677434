/**
 * Consoles through the whole app: the typed client and router (validation, events on the
 * engine's bus, acknowledgements), the stores read from the data folder, and the two CLI
 * commands against a real sshd.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RackdeckClient } from '../../src/shared/contract';
import type { ConsoleClosed, ConsoleData } from '../../src/shared/contract/consoles';
import { RackdeckError } from '../../src/shared/ipc';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { makeExecCommand, makeSshCommand, type TerminalIo } from '../../src/main/faces/cli/commands/consoles';
import type { CliContext } from '../../src/main/faces/cli/command';
import { localTransport } from '../../src/main/ipc/local-transport';
import { memoryLogger } from '../../src/main/base/logger';
import { SshPool, sshTargetFor } from '../../src/main/drivers/ssh';
import { KnownHostsStore } from '../../src/main/store/known-hosts';
import { startSshd, sshdAvailable, type SshdFixture } from '../ssh/sshd-fixture';
import { waitFor } from './kit';

let sshd: SshdFixture;
let home: string;
let app: RackdeckApp;
let client: RackdeckClient;
const log = memoryLogger();

beforeAll(async () => {
  if (!sshdAvailable) return;
  sshd = await startSshd();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-consoles-app-'));
  app = createApp({ home, face: 'cli', log, probe: async () => ({ openPorts: {} }) });
  client = createClient(localTransport(app, 'cli'));
  await client.servers.add({ name: 'box', address: '127.0.0.1', ports: [sshd.port], ssh: { user: sshd.user, port: sshd.port, auth: 'key', keyPath: sshd.key.path } });
  await client.servers.add({ name: 'bare', address: '127.0.0.2', ports: [22] });
  // "Connect once": the power driver pins the key on first use, in the same data folder.
  const pool = new SshPool({ knownHosts: new KnownHostsStore(home) });
  await pool.exec(sshTargetFor(app.engine.get('box'), { get: () => undefined }), 'true');
  pool.close();
});

afterAll(async () => {
  await app?.stop();
  await sshd?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

function terminal(input = '') {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  if (input) stdin.write(input);
  const io: TerminalIo = { stdin, stdout, stderr, onResize: () => () => undefined };
  return { io, stdin, out: () => out, err: () => err };
}

function cliContext(): CliContext & { errors: string[] } {
  const errors: string[] = [];
  return { io: { out: () => undefined, err: (l) => errors.push(l), env: {} }, home, open: () => ({ app, client }), errors };
}

describe.skipIf(!sshdAvailable)('consoles through the app', () => {
  it('says what each server offers', async () => {
    const box = await client.consoles.available({ serverId: 'box' });
    expect(box.kinds['ssh-shell'].available).toBe(true);
    const bare = await client.consoles.available({ serverId: 'bare' });
    expect(bare.kinds.exec).toMatchObject({ available: false, reason: expect.stringMatching(/SSH/) });
  });

  it('refuses hostile names at the boundary with a field error, and nothing runs', async () => {
    const before = await client.consoles.list({});
    const err = await client.consoles.exec({ serverId: 'box', owner: 'window-app-test', spec: { type: 'journal', service: 'nginx; rm -rf /' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RackdeckError);
    expect(err).toMatchObject({ code: 'bad_request', fields: { 'spec.service': expect.stringMatching(/service name/) } });
    const tail = await client.consoles.exec({ serverId: 'box', owner: 'window-app-test', spec: { type: 'tail', file: '/var/log/../../etc/shadow' } }).catch((e: unknown) => e);
    expect(tail).toMatchObject({ code: 'bad_request', fields: { 'spec.file': expect.any(String) } });
    expect(await client.consoles.list({})).toEqual(before);
  });

  it('carries a shell over the contract: events on the bus, acks, close of a window', async () => {
    const data: ConsoleData[] = [];
    const ends: ConsoleClosed[] = [];
    const offData = client.on('console.data', (d) => data.push(d));
    const offEnd = client.on('console.closed', (c) => ends.push(c));
    try {
      const info = await client.consoles.open({ serverId: 'box', kind: 'ssh-shell', owner: 'window-app-test', cols: 80, rows: 24 });
      const text = () => Buffer.concat(data.filter((d) => d.sessionId === info.sessionId).map((d) => Buffer.from(d.data, 'base64'))).toString();
      await client.consoles.write({ sessionId: info.sessionId, data: 'echo typed-$((6*7))-secret\r' });
      await waitFor(() => text().includes('typed-42-secret'), 'the echo');
      const bytes = data.filter((d) => d.sessionId === info.sessionId).reduce((n, d) => n + d.bytes, 0);
      await client.consoles.ack({ sessionId: info.sessionId, bytes });
      expect(await client.consoles.keepalive({ owner: 'window-app-test' })).toEqual({ sessions: 1 });
      expect(await client.consoles.closeOwner({ owner: 'window-app-test' })).toEqual({ closed: 1 });
      expect(ends.find((e) => e.sessionId === info.sessionId)).toMatchObject({ reason: 'The window was closed', error: false });
      await expect(client.consoles.write({ sessionId: info.sessionId, data: 'x' })).rejects.toMatchObject({ code: 'not_found' });
      expect(log.lines.join('\n')).not.toContain('secret');
    } finally {
      offData();
      offEnd();
    }
  });

  it('rackdeck exec streams both outputs and exits with the remote code', async () => {
    const t = terminal();
    const ctx = cliContext();
    const code = await makeExecCommand(t.io).run(['box', '--', 'echo', 'out-$((1+1));', 'echo', 'oops', '>&2;', 'exit', '3'], ctx);
    expect(code).toBe(3);
    expect(t.out()).toBe('out-2\n');
    expect(t.err()).toBe('oops\n');
  });

  it('rackdeck exec refuses a hostile service name before anything runs', async () => {
    const t = terminal();
    await expect(makeExecCommand(t.io).run(['box', '--journal', '$(id)'], cliContext())).rejects.toMatchObject({ code: 'bad_request' });
    await expect(makeExecCommand(t.io).run(['box'], cliContext())).rejects.toThrow(/exactly one of/);
  });

  it('rackdeck ssh runs an interactive shell and exits with its code', async () => {
    const t = terminal('echo hello-$((6*7))\rexit 7\r');
    const code = await makeSshCommand(t.io).run(['box'], cliContext());
    expect(code).toBe(7);
    expect(t.out()).toContain('hello-42');
  });
});
