import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { silentLogger } from '../../src/main/base/logger';
import { parseOsRelease } from '../../src/main/power/init';
import type { Notice } from '../../src/shared/events';
import type { ServerView } from '../../src/shared/server';
import { sshdAvailable, startSshd, type SshdFixture } from './sshd-fixture';

const suite = sshdAvailable ? describe : describe.skip;

/**
 * The power controller with its real drivers (SshPool, known-hosts, secrets) against a real sshd,
 * through the router as a face would call it. Only custom commands and read-only init commands
 * are run: the built-in suspend/shutdown plans would act on this very machine.
 */
suite('power control over real SSH, through the router', () => {
  let sshd: SshdFixture;
  let app: RackdeckApp;
  let home: string;
  const notices: Notice[] = [];

  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await app.router.handle(channel, input, { face: 'test' });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };

  beforeAll(async () => {
    sshd = await startSshd();
    home = path.join(sshd.dir, 'rackdeck-home');
    app = createApp({ home, face: 'cli', log: silentLogger });
    app.engine.events.on('notice', (n) => void notices.push(n));
  });
  afterAll(async () => {
    await app?.stop();
    await sshd?.stop();
  });

  let server: ServerView;
  const marker = () => path.join(sshd.dir, 'suspended-marker');

  it('adds a server whose suspend is a custom command, and runs it: the marker file appears', async () => {
    server = await call<ServerView>('servers.add', {
      name: 'loop',
      address: '127.0.0.1',
      mac: 'AA-BB-CC-DD-EE-01',
      ports: [sshd.port],
      ssh: { user: sshd.user, port: sshd.port, keyPath: sshd.key.path },
      powerControl: { customCommands: { suspend: { command: `echo "{ip} {mac}" > ${marker()}` } }, timeouts: { suspendMs: 1_500 } },
    });
    expect((await call<ServerView>('servers.refresh', { id: server.id })).power).toBe('on');
    const started = await call<ServerView>('power.run', { id: server.id, action: 'suspend' });
    expect(started).toMatchObject({ power: 'suspending', transition: { action: 'suspend', target: 'suspended' } });
    await app.power.sent(server.id);
    expect(fs.readFileSync(marker(), 'utf8')).toBe('127.0.0.1 aa:bb:cc:dd:ee:01\n');
    // The host keeps answering, so the transition times out and reverts to on, with a notice.
    expect(await app.power.waitSettled(server.id)).toBe('timeout');
    const after = app.engine.view(server.id)!;
    expect(after.power).toBe('on');
    expect(after.lastError).toMatchObject({ action: 'suspend', message: expect.stringMatching(/still answering/) });
    expect(notices.some((n) => n.title === 'loop did not suspend in time')).toBe(true);
  });

  it('init reads this host over SSH: OS from /etc/os-release, interfaces from ip -j link', async () => {
    const view = await call<ServerView>('power.init', { id: server.id });
    const expected = parseOsRelease(fs.readFileSync('/etc/os-release', 'utf8'));
    expect(view.system?.os).toBe(expected.prettyName ?? expected.name);
    expect(view.system?.initFailures).toBe(0);
    expect(view.system?.initialisedAt).toBeGreaterThan(0);
    expect(view.lastError?.action).not.toBe('init');
  });

  it('secrets are stored encrypted and only "is set" crosses the router', async () => {
    const view = await call<ServerView>('power.setSecret', { id: server.id, name: 'ssh.passphrase', value: 'sup3r-s3cret-passphrase' });
    expect(view.secretsSet).toEqual({ sshPassword: false, sshPassphrase: true, wolPassword: false });
    const snapshot = JSON.stringify(await call('servers.snapshot', {}));
    expect(snapshot).not.toContain('sup3r-s3cret');
    expect(fs.readFileSync(path.join(home, 'secrets.json'), 'utf8')).not.toContain('sup3r-s3cret');
    await call('power.setSecret', { id: server.id, name: 'ssh.passphrase', value: null });
    const bad = await app.router.handle('power.setSecret', { id: server.id, name: 'wol.password', value: '1.2.3' }, { face: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('a changed host key is refused, shown on the card with both fingerprints, and accepted explicitly', async () => {
    const pinned = sshd.hostFingerprint();
    await sshd.rotateHostKey();
    app.power.stop(); // drop the open connection, as a restart of the server would
    const presented = sshd.hostFingerprint();
    const view = await call<ServerView>('power.init', { id: server.id });
    expect(view.hostKey).toMatchObject({ endpoint: `[127.0.0.1]:${sshd.port}`, expected: pinned, presented });
    expect(view.lastError?.message).toMatch(/host key/);
    expect(notices.some((n) => n.title === 'The SSH host key of loop changed' && n.body.includes(pinned) && n.body.includes(presented))).toBe(true);

    const accepted = await call<ServerView>('power.acceptHostKey', { id: server.id });
    expect(accepted.hostKey).toBeUndefined();
    const again = await call<ServerView>('power.init', { id: server.id });
    expect(again.lastError).toBeUndefined();
    expect(again.system?.initFailures).toBe(0);
    const pins = JSON.parse(fs.readFileSync(path.join(home, 'known-hosts.json'), 'utf8')) as { hosts: Record<string, { fingerprint: string }> };
    expect(pins.hosts[`[127.0.0.1]:${sshd.port}`]?.fingerprint).toBe(presented);
  });

  it('offers other capabilities a shell: exec, and uploads through stdin (never the command line) with the mode set', async () => {
    const shell = await app.power.shellFor(server.id);
    // No input given: stdin is closed at once, so a command that reads it ends instead of hanging.
    expect(await shell.exec('cat; echo done', { timeoutMs: 5_000 })).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
    const file = path.join(sshd.dir, 'uploaded.conf');
    await shell.upload("key='a b'; $(not run)\n", file, 0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe("key='a b'; $(not run)\n");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await expect(shell.upload('x', '/tmp/../etc/passwd', 0o644)).rejects.toThrow(/refusing/);
    await expect(shell.upload('x', "/tmp/a'b", 0o644)).rejects.toThrow(/refusing/);
  });

  it('power.wol refuses a bad MAC with the accepted forms, and sends to a loopback listener', async () => {
    const bad = await app.router.handle('power.wol', { mac: 'aa:bb' }, { face: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/aabb\.ccdd\.eeff/) } });
    const dgram = await import('node:dgram');
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    const got = new Promise<Buffer>((r) => socket.once('message', r));
    try {
      const report = await call<{ mac: string; bytes: number }>('power.wol', { mac: 'aabbccddee02', address: '127.0.0.1', port: socket.address().port, password: '1.2.3.4' });
      expect(report).toMatchObject({ mac: 'aa:bb:cc:dd:ee:02', bytes: 106 });
      expect((await got).length).toBe(106);
    } finally {
      socket.close();
    }
  });
});
