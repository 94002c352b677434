import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/base/logger';
import { runCliIn } from '../cli/run';
import { createApp } from '../../src/main/root/app';
import { serverInputSchema, type ServerInput } from '../../src/shared/server';

/** `rackdeck group`, `list --group/--tag` and the bulk power commands; 127.0.172.x belongs to this file. */
let home: string;
const closers: (() => void)[] = [];
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-cli-groups-'));
});
afterEach(() => {
  for (const c of closers.splice(0)) c();
  fs.rmSync(home, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  return runCliIn(home, argv);
}

/** A UDP socket on loopback counting magic packets per MAC: never a broadcast. */
async function wolSink() {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  closers.push(() => socket.close());
  const macs: string[] = [];
  socket.on('message', (msg) => void macs.push(msg.subarray(6, 12).toString('hex')));
  return { port: socket.address().port, macs };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setImmediate(r));
}

function addServers(inputs: ServerInput[]) {
  const app = createApp({ home, face: 'cli', log: silentLogger });
  for (const input of inputs) app.engine.addServer(serverInputSchema.parse(input));
  void app.stop();
}

const box = (n: number, wolPort: number, extra: Partial<ServerInput> = {}): ServerInput => ({
  name: `box${n}`,
  address: `127.0.172.${n}`,
  mac: `aa:bb:cc:00:00:0${n}`,
  ports: [1],
  wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [wolPort] },
  ...extra,
});

describe('rackdeck group', () => {
  it('adds servers to a group, lists it, filters list by it, and removes them', async () => {
    addServers([box(1, 9), box(2, 9), box(3, 9)]);
    expect((await cli('group', 'list')).out).toMatch(/No groups or tags yet/);
    const added = await cli('group', 'add', 'rack1', 'box1', 'BOX2');
    expect(added).toMatchObject({ code: 0, out: 'rack1: 2 server(s).' });
    expect((await cli('group', 'list')).out).toMatch(/group\s+rack1\s+box1, box2/);
    const listed = await cli('list', '--group', 'rack1', '--json');
    expect(JSON.parse(listed.out).map((s: { name: string }) => s.name)).toEqual(['box1', 'box2']);
    expect((await cli('list', '--group', 'nope')).out).toBe('No server is in group "nope".');
    expect((await cli('group', 'remove', 'rack1', 'box1')).out).toBe('rack1: 1 server(s) left.');
    expect((await cli('group', 'remove', 'rack1')).out).toMatch(/the group is gone/);
  });

  it('refuses a bad group name or an unknown server, and changes nothing', async () => {
    addServers([box(1, 9)]);
    const bad = await cli('group', 'add', 'no spaces', 'box1');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/a group name is 1–32 letters/);
    const unknown = await cli('group', 'add', 'g', 'box1', 'ghost');
    expect(unknown.err).toMatch(/Server "ghost" was not found/);
    expect(JSON.parse((await cli('group', 'list', '--json')).out)).toEqual({ groups: [], tags: [] });
  });

  it('sets the delay between bulk wakes', async () => {
    expect((await cli('group', 'spacing')).out).toBe('Bulk wakes are 2000 ms apart.');
    expect((await cli('group', 'spacing', '3500')).out).toBe('Bulk wakes are 3500 ms apart.');
    expect((await cli('group', 'spacing')).out).toBe('Bulk wakes are 3500 ms apart.');
    expect((await cli('group', 'spacing', 'x')).code).toBe(2);
  });
});

describe('rackdeck wake --group', () => {
  it('prints the plan, refuses to go on without --yes off a terminal, and with --yes wakes every member', async () => {
    const sink = await wolSink();
    addServers([box(1, sink.port, { groups: ['rack'] }), box(2, sink.port, { groups: ['rack'] }), box(3, sink.port, { groups: ['rack'], mac: undefined }), box(4, sink.port)]);
    const asked = await cli('wake', '--group', 'rack', '--spacing', '10');
    expect(asked.code).toBe(2);
    expect(asked.out).toMatch(/^Wake 2 servers, 0\.01 s apart:\n\s+\+0 s\s+box1\n\s+\+0\.01 s\s+box2\nSkipped 1:\n\s+box3: it has no valid MAC address or wake command$/);
    expect(asked.err).toMatch(/add --yes/);
    expect(sink.macs).toEqual([]);

    const ran = await cli('wake', '--group', 'rack', '--spacing', '10', '--yes');
    expect(ran.err).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.out).toMatch(/box1: sent\n\s+box2: sent$/);
    // The packets were sent before the command ended; the sink reads them on this loop's next turns.
    await until(() => sink.macs.length >= 2);
    expect(sink.macs).toEqual(['aabbcc000001', 'aabbcc000002']);
  });

  it('refuses a server and a group together, and a group nobody is in', async () => {
    addServers([box(1, 9)]);
    expect((await cli('wake', 'box1', '--group', 'rack')).code).toBe(2);
    const none = await cli('wake', '--group', 'empty', '--yes');
    expect(none.code).not.toBe(0);
    expect(none.err).toMatch(/No server is in group "empty"/);
  });
});
