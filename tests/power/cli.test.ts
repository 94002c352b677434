import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/root/app';
import { silentLogger } from '../../src/main/base/logger';
import { runCliIn } from '../cli/run';
import { serverInputSchema, type ServerInput } from '../../src/shared/server';

let home: string;
const closers: (() => void)[] = [];
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-cli-power-'));
});
afterEach(() => {
  for (const c of closers.splice(0)) c();
  fs.rmSync(home, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  return runCliIn(home, argv);
}

async function udpListener() {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  closers.push(() => socket.close());
  return socket;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A tiny host on loopback: asleep (no TCP listener) until a magic packet for its MAC reaches its WoL port. */
async function sleepingHost(mac: string) {
  const wolSocket = await udpListener();
  const sshPort = await freePort();
  const received: Buffer[] = [];
  wolSocket.on('message', (msg) => {
    received.push(msg);
    if (msg.subarray(6, 12).toString('hex') !== mac.replace(/:/g, '')) return;
    const tcp = net.createServer((c) => c.end());
    tcp.listen(sshPort, '127.0.0.1');
    closers.push(() => tcp.close());
  });
  return { wolPort: wolSocket.address().port, sshPort, received };
}

function addServer(input: ServerInput) {
  const app = createApp({ home, face: 'cli', log: silentLogger });
  const view = app.engine.addServer(serverInputSchema.parse(input));
  void app.stop();
  return view;
}

describe('rackdeck wol', () => {
  it('sends one packet as told', async () => {
    const socket = await udpListener();
    const got = new Promise<Buffer>((r) => socket.once('message', r));
    const r = await cli('wol', 'AABB.CCDD.EE03', '--address', '127.0.0.1', '--port', String(socket.address().port), '--password', '01:02:03:04:05:06');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`Sent a magic packet for aa:bb:cc:dd:ee:03 to 127.0.0.1:${socket.address().port} (108 bytes)`);
    const packet = await got;
    expect(packet.length).toBe(108);
    expect(packet.subarray(6, 12).toString('hex')).toBe('aabbccddee03');
  });

  it('refuses a bad MAC with the accepted forms', async () => {
    const r = await cli('wol', 'aa:bb:cc', '--address', '127.0.0.1');
    // Refused by the contract's schema, as every face refuses it: exit 2, naming the MAC.
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/accepted forms: aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb\.ccdd\.eeff, aabbccddeeff/);
    expect((await cli('wol', 'aabbccddeeff', '--port', 'x')).code).toBe(2);
  });
});

describe('rackdeck wake|suspend … --wait', () => {
  it('wakes a sleeping loopback host and returns once it answers', async () => {
    const host = await sleepingHost('aa:bb:cc:dd:ee:04');
    addServer({
      name: 'box',
      address: '127.0.0.1',
      mac: 'aa:bb:cc:dd:ee:04',
      ports: [host.sshPort],
      wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [host.wolPort] },
    });
    const r = await cli('wake', 'box', '--wait');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('box: Off → Waking…');
    expect(lines.at(-1)).toBe('box: On');
    expect(host.received).toHaveLength(1);
  });

  it('--wait exits non-zero when the target is not observed before the timeout', async () => {
    const host = await sleepingHost('aa:bb:cc:dd:ee:ff'); // listens for another MAC: never wakes
    addServer({
      name: 'deaf',
      address: '127.0.0.1',
      mac: 'aa:bb:cc:dd:ee:05',
      ports: [host.sshPort],
      wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [host.wolPort] },
      powerControl: { timeouts: { wakeMs: 1_000 } },
    });
    const r = await cli('wake', 'deaf', '--wait', '--json');
    expect(r.code).toBe(3);
    const body = JSON.parse(r.out) as { outcome: string; server: { power: string; lastError: { message: string } } };
    expect(body.outcome).toBe('timeout');
    expect(body.server.power).toBe('off');
    expect(body.server.lastError.message).toMatch(/no answer/);
  });

  it('says why a command cannot run', async () => {
    const host = await sleepingHost('aa:bb:cc:dd:ee:06');
    addServer({ name: 'nossh', address: '127.0.0.1', ports: [host.sshPort] });
    const r = await cli('suspend', 'nossh');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Cannot suspend nossh: it has no SSH settings/);
    expect((await cli('reboot', 'ghost')).code).toBe(4);
  });
});
