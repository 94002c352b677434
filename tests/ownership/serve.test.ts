/**
 * Issue 12 with `rackdeck serve` as the engine: the CLI and the web face on one home are both
 * its clients, so what each does shows in the other at once and nothing is overwritten; the
 * home has one owner, and a dead owner's lock is taken over.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtCliExists, configServers, newHome, openWebTab, rackdeck, startServe, undoList, waitFor } from './kit';

const undo = undoList();
afterEach(() => undo.run());

describe.skipIf(!builtCliExists())('serve owns the home; the CLI and the web face are its clients', () => {
  it('three CLI adds and one web edit: all four servers in config.json, in rackdeck list and in the web tab', async () => {
    const home = newHome(undo);
    // Before any engine: the CLI holds the lock for its one command and writes the file itself.
    expect(await rackdeck(home, 'add', 'first', '--address', '127.0.130.1')).toMatchObject({ code: 0 });
    const served = await startServe(home, undo);
    const tab = await openWebTab(served, undo);

    for (const [i, name] of ['labnas', 'backup', 'router'].entries()) {
      const r = await rackdeck(home, 'add', name, '--address', `127.0.130.${i + 2}`);
      expect(r, r.err).toMatchObject({ code: 0, out: `Added ${name} (127.0.130.${i + 2}) as ${name}.\n` });
      // The web tab hears of it from the engine, without a reload.
      await waitFor(`${name} in the web tab`, () => tab.servers().some((s) => s.name === name));
    }
    // The edit that used to rewrite config.json from a stale memory and lose labnas.
    await tab.client.servers.edit({ id: 'first', patch: { notes: 'edited in the browser' } });

    const names = ['backup', 'first', 'labnas', 'router'];
    await waitFor('four servers and the note in config.json', () => {
      const servers = configServers(home);
      return servers.length === 4 && servers.find((s) => s.id === 'first')?.notes === 'edited in the browser';
    });
    expect(configServers(home).map((s) => s.name).sort()).toEqual(names);
    const list = await rackdeck(home, 'list', '--json');
    expect(list.code, list.err).toBe(0);
    const listed = JSON.parse(list.out) as { name: string; notes?: string }[];
    expect(listed.map((s) => s.name).sort()).toEqual(names);
    expect(listed.find((s) => s.name === 'first')?.notes).toBe('edited in the browser');
    await waitFor('the note in the web tab', () => tab.servers().find((s) => s.id === 'first')?.notes === 'edited in the browser');
    expect(tab.servers().map((s) => s.name).sort()).toEqual(names);

    // Stopped in order: the lock and the socket are gone, and the file still has everything.
    expect(await served.stop()).toBe(0);
    expect(fs.existsSync(path.join(home, 'rackdeck.lock'))).toBe(false);
    expect(fs.existsSync(path.join(home, 'rackdeck.sock'))).toBe(false);
    expect(configServers(home).map((s) => s.name).sort()).toEqual(names);
  });

  it('a CLI power action goes through the engine: it is in rackdeck log and in the web face action log, from the CLI', async () => {
    const home = newHome(undo);
    const served = await startServe(home, undo);
    const tab = await openWebTab(served, undo);
    // The magic packet goes to a loopback socket of the test's only, never to a broadcast address.
    const sink = dgram.createSocket('udp4');
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', r));
    undo.push(() => sink.close());
    const packets: Buffer[] = [];
    sink.on('message', (m) => packets.push(m));
    await tab.client.servers.add({
      name: 'sleeper',
      address: '127.0.130.20',
      mac: 'aa:bb:cc:dd:12:01',
      wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [sink.address().port] },
    });

    const wake = await rackdeck(home, 'wake', 'sleeper', '--json');
    expect(wake.code, wake.err).toBe(0);
    await waitFor('the magic packet', () => packets.length > 0);

    const logged = await waitFor('the wake in rackdeck log', async () => {
      const r = await rackdeck(home, 'log', '--json');
      const entries = JSON.parse(r.out) as { action: string; face: string; serverName?: string }[];
      return entries.find((e) => e.action === 'wake' && e.serverName === 'sleeper');
    });
    expect(logged).toMatchObject({ kind: 'power', face: 'cli' });
    const inWeb = await waitFor('the wake in the web face action log', async () => (await tab.client.actions.log({})).find((e) => e.action === 'wake' && e.serverName === 'sleeper'));
    expect(inWeb).toMatchObject({ kind: 'power', face: 'cli' });
    // Read through the engine, the log says nothing about figures not being gathered.
    expect((await rackdeck(home, 'log')).err).toBe('');
  });

  it('a second serve on the same home exits non-zero and names the owner', async () => {
    const home = newHome(undo);
    const served = await startServe(home, undo);
    const second = await rackdeck(home, 'serve', '--port', '0');
    expect(second.code).not.toBe(0);
    expect(second.err).toMatch(new RegExp(`Rackdeck is already running for this home: serve, pid ${served.pid}, since \\d\\d:\\d\\d — open ${served.url.replace(/[./]/g, '\\$&')} or stop it first`));
    // The first is untouched: it still serves the CLI.
    expect(await rackdeck(home, 'add', 'still', '--address', '127.0.130.30')).toMatchObject({ code: 0 });
  });

  it('the lock of a killed engine is taken over, by a command and by the next serve, each saying so', async () => {
    const home = newHome(undo);
    const killed = await startServe(home, undo);
    killed.child.kill('SIGKILL');
    await killed.exited;
    // It had no time to clean up: its lock and its socket are left behind.
    expect(fs.existsSync(path.join(home, 'rackdeck.lock'))).toBe(true);
    expect(fs.existsSync(path.join(home, 'rackdeck.sock'))).toBe(true);

    const add = await rackdeck(home, 'add', 'after', '--address', '127.0.130.40');
    expect(add.code, add.err).toBe(0);
    expect(add.err).toMatch(new RegExp(`took over the lock of .*rackdeck\\.lock: serve \\(pid ${killed.pid}, since \\d\\d:\\d\\d\\) is no longer running`));
    expect(fs.existsSync(path.join(home, 'rackdeck.lock'))).toBe(false);

    // A serve killed again, then the next serve takes its home over.
    const killedAgain = await startServe(home, undo);
    killedAgain.child.kill('SIGKILL');
    await killedAgain.exited;
    const next = await startServe(home, undo);
    expect(next.output()).toMatch(new RegExp(`took over the lock of .*: serve \\(pid ${killedAgain.pid}, .*\\) is no longer running`));
    const lock = JSON.parse(fs.readFileSync(path.join(home, 'rackdeck.lock'), 'utf8')) as Record<string, unknown>;
    expect(lock).toMatchObject({ pid: next.pid, face: 'serve', url: next.url });
    expect(JSON.stringify(lock)).not.toContain(next.token);
    expect(fs.statSync(path.join(home, 'rackdeck.lock')).mode & 0o777).toBe(0o600);
    // Socket files are read asynchronously (see statSocketPath in src/main/faces/socket/address.ts).
    expect((await fs.promises.stat(path.join(home, 'rackdeck.sock'))).mode & 0o777).toBe(0o600);
    const list = JSON.parse((await rackdeck(home, 'list', '--json')).out) as { name: string }[];
    expect(list.map((s) => s.name)).toEqual(['after']);
  });
});
