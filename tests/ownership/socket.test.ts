/**
 * The control socket (src/main/faces/socket): the contract through the same router as the web
 * face, events per subscription, and every kind of bad client ending its own connection only.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/shared/contract';
import { RackdeckError } from '../../src/shared/ipc';
import { memoryLogger } from '../../src/main/base/logger';
import { controlSocketPath } from '../../src/main/faces/socket/address';
import { connectControlSocket } from '../../src/main/faces/socket/client-transport';
import { startControlSocket } from '../../src/main/faces/socket/server';
import { openTestApp } from '../core/test-app';
import { newHome, undoList, waitFor } from './kit';

const undo = undoList();
afterEach(() => undo.run());

async function engineWithSocket() {
  const home = newHome(undo);
  const t = openTestApp({ home });
  undo.push(() => t.app.stop());
  const log = memoryLogger();
  const socket = await startControlSocket({ app: t.app, home, log });
  undo.push(() => socket.close());
  return { ...t, home, socket, log };
}

async function clientOf(home: string) {
  const transport = await connectControlSocket(home);
  if (!transport) throw new Error('no engine answered');
  undo.push(() => transport.close());
  return { transport, client: createClient(transport) };
}

/** A raw connection, to send what no client of ours would. */
async function raw(socketPath: string) {
  const s = net.createConnection(socketPath);
  await new Promise((r) => s.once('connect', r));
  let received = '';
  s.on('data', (d: Buffer) => (received += d.toString()));
  s.on('error', () => undefined);
  const closed = new Promise<void>((r) => s.once('close', () => r()));
  undo.push(() => s.destroy());
  return { s, received: () => received, closed };
}

describe('the control socket', () => {
  it('is <home>/rackdeck.sock, 0600, and carries the contract: requests, the same refusals, events subscribed to', async () => {
    const { home, socket, app, clock } = await engineWithSocket();
    expect(socket.path).toBe(path.join(home, 'rackdeck.sock'));
    // Socket files are read asynchronously (see statSocketPath in src/main/faces/socket/address.ts).
    expect((await fs.promises.stat(socket.path)).mode & 0o777).toBe(0o600);
    const { client } = await clientOf(home);

    const patches: string[] = [];
    client.on('servers.patch', (p) => patches.push(...p.upsert.map((s) => s.name)));
    expect(await client.servers.add({ name: 'viasocket', address: '127.0.132.1' })).toMatchObject({ id: 'viasocket' });
    // The test app's clock is a fake one: the patch window passes when it is told to.
    await clock.advance(100);
    await waitFor('the patch of the add', () => patches.includes('viasocket'));
    expect(app.engine.find('viasocket')).toBeDefined();

    // The router's own words, as over the web face: parsed before any handler runs.
    const refused = await client.servers.add({ name: '', address: '127.0.132.2' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RackdeckError);
    expect(refused).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^Invalid request: name: /) });
    expect(await client.servers.edit({ id: 'ghost', patch: { notes: 'x' } }).catch((e: unknown) => e)).toMatchObject({ code: 'not_found' });
    // A call from the socket is a CLI's.
    expect(await client.app.info({})).toMatchObject({ face: 'cli', running: false });
  });

  it('a malformed frame, an over-long line or a broken connection closes that connection only', async () => {
    const { home, socket, log } = await engineWithSocket();
    const { client } = await clientOf(home);

    const garbage = await raw(socket.path);
    garbage.s.write('this is not json\n');
    await garbage.closed;
    expect(JSON.parse(garbage.received().trim())).toEqual({ id: null, result: { ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^Malformed frame/) } } });

    const wrongShape = await raw(socket.path);
    wrongShape.s.write(`${JSON.stringify({ id: 1, channel: 'app.info', input: {}, extra: true })}\n`);
    await wrongShape.closed;
    expect(wrongShape.received()).toMatch(/Malformed frame/);

    const huge = await raw(socket.path);
    huge.s.write(Buffer.alloc(2 * 1024 * 1024, 0x61));
    await huge.closed;
    expect(huge.received()).toMatch(/Frame too long/);

    // One that asks and vanishes before the answer.
    const rude = await raw(socket.path);
    rude.s.write(`${JSON.stringify({ id: 1, channel: 'servers.sweep', input: {} })}\n`);
    rude.s.destroy();

    // An unknown event is refused in words, the connection stays.
    const polite = await raw(socket.path);
    polite.s.write(`${JSON.stringify({ subscribe: 'no.such.event' })}\n${JSON.stringify({ id: 7, channel: 'app.info', input: {} })}\n`);
    await waitFor('two answers', () => polite.received().split('\n').filter(Boolean).length === 2);
    const [first, second] = polite.received().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number | null; result: { ok: boolean; error?: { message: string } } });
    expect(first).toMatchObject({ id: null, result: { ok: false, error: { message: 'No event is named "no.such.event"' } } });
    expect(second).toMatchObject({ id: 7, result: { ok: true } });

    // The engine and the first client never noticed.
    expect(await client.servers.add({ name: 'still-here', address: '127.0.132.3' })).toMatchObject({ id: 'still-here' });
    await waitFor('only the two good connections left', () => socket.connections() === 2);
    expect(log.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('a call in flight when the engine goes away fails with a clear message, and later ones at once', async () => {
    const { home, socket } = await engineWithSocket();
    const { client, transport } = await clientOf(home);
    await client.app.info({});
    await socket.close();
    await waitFor('the client to see the engine gone', () => transport.closed);
    await expect(client.app.info({})).rejects.toThrow('The Rackdeck engine for this home stopped before it answered; try again.');
    expect(fs.existsSync(path.join(home, 'rackdeck.sock'))).toBe(false);
  });

  it('removes a socket left by a killed engine before listening; refuses a file that is no socket, and a live listener', async () => {
    const home = newHome(undo);
    const socketPath = controlSocketPath(home);
    // A process that listens, then dies without closing: its socket file stays.
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    await new Promise((r) => child.once('exit', r));
    expect((await fs.promises.lstat(socketPath)).isSocket()).toBe(true);
    expect(await connectControlSocket(home)).toBeUndefined();

    const t = openTestApp({ home });
    undo.push(() => t.app.stop());
    const socket = await startControlSocket({ app: t.app, home, log: memoryLogger() });
    expect((await clientOf(home)).transport.path).toBe(socketPath);
    await expect(startControlSocket({ app: t.app, home, log: memoryLogger() })).rejects.toThrow(`Another Rackdeck engine already listens on ${socketPath}.`);
    await socket.close();

    fs.writeFileSync(socketPath, 'not a socket');
    await expect(startControlSocket({ app: t.app, home, log: memoryLogger() })).rejects.toThrow(`${socketPath} exists and is not a socket; move it away and start again.`);
  });

  it.skipIf(process.getuid?.() !== 0)("the CLI refuses a socket another user owns", async () => {
    const { home, socket } = await engineWithSocket();
    fs.chownSync(socket.path, 4242, 4242);
    await expect(connectControlSocket(home)).rejects.toThrow(/The control socket .*rackdeck\.sock belongs to another user \(uid 4242\)/);
  });

  it('is named after the home: a named pipe on Windows, the temporary folder for a home too deep for a Unix socket', () => {
    expect(controlSocketPath('/home/ada/.config/rackdeck', 'linux')).toBe('/home/ada/.config/rackdeck/rackdeck.sock');
    const pipe = controlSocketPath('C:\\Users\\Ada\\AppData\\Roaming\\Rackdeck', 'win32');
    expect(pipe).toMatch(/^\\\\\.\\pipe\\rackdeck-[0-9a-f]{16}$/);
    expect(controlSocketPath('c:\\users\\ada\\appdata\\roaming\\rackdeck', 'win32')).toBe(pipe);
    const deep = `/tmp/${'d'.repeat(120)}`;
    expect(controlSocketPath(deep, 'linux')).toMatch(/rackdeck-\d+-[0-9a-f]{16}\.sock$/);
    expect(controlSocketPath(deep, 'linux')).toBe(controlSocketPath(deep, 'linux'));
  });
});
