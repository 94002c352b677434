import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyMismatchError, runSshPower, SshError, SshPool, type HostKeyMismatch, type SshTarget } from '../../src/main/drivers/ssh';
import { KnownHostsStore } from '../../src/main/store/known-hosts';
import { customCommandSchema } from '../../src/shared/server';
import { sshdAvailable, startAgent, startSshd, type SshdFixture } from './sshd-fixture';

const suite = sshdAvailable ? describe : describe.skip;
if (!sshdAvailable) console.warn('tests/ssh skipped: /usr/sbin/sshd is not installed (apt-get install openssh-server)');

suite('SSH driver against a real OpenSSH sshd on 127.0.0.1', () => {
  let sshd: SshdFixture;
  let home: string;

  beforeAll(async () => {
    sshd = await startSshd();
    home = path.join(sshd.dir, 'home');
    fs.mkdirSync(home);
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  const target = (auth: SshTarget['auth']): SshTarget => ({ host: '127.0.0.1', port: sshd.port, user: sshd.user, auth });
  const keyAuth = (): SshTarget => target({ kind: 'key', keyPath: sshd.key.path });
  const pool = (extra: Partial<ConstructorParameters<typeof SshPool>[0]> = {}) => new SshPool({ knownHosts: new KnownHostsStore(home), ...extra });

  it('runs a command with key auth and returns {code, stdout, stderr}', async () => {
    const p = pool();
    try {
      const r = await p.exec(keyAuth(), 'echo hello; echo oops >&2; exit 3');
      expect(r).toEqual({ code: 3, stdout: 'hello\n', stderr: 'oops\n' });
    } finally {
      p.close();
    }
  });

  it('reuses one connection per host and closes it when idle', async () => {
    const p = pool({ idleMs: 100 });
    try {
      // Every channel's shell is a child of its connection's sshd process: one $PPID, one connection.
      const [a, b] = await Promise.all([p.exec(keyAuth(), 'echo $PPID'), p.exec(keyAuth(), 'echo $PPID')]);
      const c = await p.exec(keyAuth(), 'echo $PPID');
      expect(p.size()).toBe(1);
      expect(b.stdout).toBe(a.stdout);
      expect(c.stdout).toBe(a.stdout);
      for (let i = 0; i < 100 && p.size() > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(p.size()).toBe(0);
      const d = await p.exec(keyAuth(), 'echo $PPID');
      expect(d.stdout).not.toBe(a.stdout);
    } finally {
      p.close();
    }
  });

  it('uses a passphrase-protected key, and says so when the passphrase is wrong', async () => {
    const p = pool();
    try {
      const ok = await p.exec(target({ kind: 'key', keyPath: sshd.protectedKey.path, passphrase: sshd.protectedKey.passphrase as string }), 'echo ok');
      expect(ok.stdout).toBe('ok\n');
    } finally {
      p.close();
    }
    const fresh = pool();
    try {
      const wrong = fresh.exec(target({ kind: 'key', keyPath: sshd.protectedKey.path, passphrase: 'wrong' }), 'echo no');
      await expect(wrong).rejects.toMatchObject({ kind: 'key', hint: expect.stringMatching(/passphrase/) });
      const none = fresh.exec(target({ kind: 'key', keyPath: sshd.protectedKey.path }), 'echo no');
      await expect(none).rejects.toMatchObject({ kind: 'key' });
    } finally {
      fresh.close();
    }
  });

  it('authenticates through an SSH agent', async (ctx) => {
    const agent = startAgent(sshd.dir, sshd.key);
    if (!agent) ctx.skip();
    const p = pool();
    try {
      expect((await p.exec(target({ kind: 'agent', socket: agent!.socket }), 'echo agent')).stdout).toBe('agent\n');
    } finally {
      p.close();
      agent!.stop();
    }
  });

  it('reports a refused login as an auth error with a hint', async () => {
    const p = pool();
    try {
      const err = await p.exec(target({ kind: 'key', keyPath: sshd.strangerKey.path }), 'true').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SshError);
      expect(err).toMatchObject({ kind: 'auth', hint: expect.stringMatching(/authorized_keys/) });
    } finally {
      p.close();
    }
  });

  it('times a command out (sleep 5 with a 300 ms timeout) and the connection stays usable', async () => {
    const p = pool();
    try {
      const err = await p.exec(keyAuth(), 'sleep 5', { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SshError);
      expect(err).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/"sleep 5" .* did not finish within 300 ms/) });
      expect((await p.exec(keyAuth(), 'echo still here')).stdout).toBe('still here\n');
    } finally {
      p.close();
    }
  });

  it('runs a custom power command (placeholders from validated values) that writes a marker file', async () => {
    const p = pool();
    const marker = path.join(sshd.dir, 'marker');
    try {
      const command = customCommandSchema.parse({ command: `echo "suspend {ip} {mac}" > ${marker}` });
      const r = await runSshPower(p, keyAuth(), 'suspend', { useSudo: false, timeoutMs: 5_000, custom: { command, values: { ip: '127.0.0.1', mac: 'aa:bb:cc:dd:ee:ff' } } });
      expect(r).toEqual({ ok: true, command: `echo "suspend 127.0.0.1 aa:bb:cc:dd:ee:ff" > ${marker}` });
      expect(fs.readFileSync(marker, 'utf8')).toBe('suspend 127.0.0.1 aa:bb:cc:dd:ee:ff\n');
      const refused = await runSshPower(p, keyAuth(), 'shutdown', { useSudo: false, timeoutMs: 5_000, custom: { command: customCommandSchema.parse({ command: 'echo nope >&2; exit 4' }), values: {} } });
      expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/exited 4 \(nope\)/) });
    } finally {
      p.close();
    }
  });

  // Last: it changes the server's host key for the rest of the suite.
  it('pins the host key on first use, refuses a changed one with both fingerprints, and accepts it only explicitly', async () => {
    const pinDir = path.join(sshd.dir, 'pins');
    fs.mkdirSync(pinDir);
    const seen: HostKeyMismatch[] = [];
    const known = new KnownHostsStore(pinDir);
    const p = new SshPool({ knownHosts: known, onHostKeyMismatch: (m) => seen.push(m) });
    const endpoint = `[127.0.0.1]:${sshd.port}`;
    try {
      await p.exec(keyAuth(), 'true');
      const first = sshd.hostFingerprint();
      expect(new KnownHostsStore(pinDir).get(endpoint)).toMatchObject({ keyType: 'ssh-ed25519', fingerprint: first });

      await sshd.rotateHostKey();
      p.close();
      const second = sshd.hostFingerprint();
      expect(second).not.toBe(first);
      const err = await p.exec(keyAuth(), 'echo should-not-run').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostKeyMismatchError);
      const mismatch = (err as HostKeyMismatchError).mismatch;
      expect(mismatch).toMatchObject({ endpoint, expected: first, presented: second, keyType: 'ssh-ed25519' });
      expect((err as Error).message).toContain(first);
      expect((err as Error).message).toContain(second);
      expect(seen).toHaveLength(1);
      // Still refused on a second try: nothing changed the pin implicitly.
      await expect(p.exec(keyAuth(), 'true')).rejects.toBeInstanceOf(HostKeyMismatchError);
      expect(new KnownHostsStore(pinDir).get(endpoint)?.fingerprint).toBe(first);

      p.acceptHostKey(mismatch);
      expect(new KnownHostsStore(pinDir).get(endpoint)?.fingerprint).toBe(second);
      expect((await p.exec(keyAuth(), 'echo accepted')).stdout).toBe('accepted\n');
    } finally {
      p.close();
    }
  });
});
