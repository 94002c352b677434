import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabHostDescription } from '../../src/lab/description';
import { startLab, type Lab } from '../../src/lab/lab';
import ssh2 from 'ssh2';
import { deriveSeed, ed25519FromSeed } from '../../src/lab/keys/openssh-ed25519';
import { execOn, HostKeyMismatchError, sshConnect, sshExec, type SshTarget } from '../../src/lab/testing/ssh-client';
import { tcpProbe } from '../../src/lab/testing/tcp';

// Real SSH against lab hosts with an ssh2 client (and OpenSSH's client when installed).
// 127.0.71.x belongs to this file.
const stateDir = mkdtempSync(join(tmpdir(), 'rackdeck-lab-ssh-'));
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ proxmox: false, hosts: 6, seed: 21, firstAddress: '127.0.71.1', wolPort: 0, stateDir, bootDelayMs: 100, suspendDelayMs: 50, initialPower: 'on' });
});

afterAll(async () => {
  await lab?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function described(role: string, os?: string): LabHostDescription {
  const found = lab.describe().hosts.find((h) => h.role === role && (os === undefined || h.os === os));
  if (!found) throw new Error(`no ${role} host`);
  return found;
}

function target(h: LabHostDescription, auth: 'key' | 'password' = 'key'): SshTarget {
  return {
    host: h.address, port: h.ssh.port, username: h.ssh.user, hostKeyFingerprint: h.ssh.hostKeyFingerprint,
    ...(auth === 'key' ? { privateKey: readFileSync(h.ssh.keyPath) } : { password: h.ssh.password }),
  };
}

describe('authentication', () => {
  it('logs in with the lab key and with the host password', async () => {
    const web = described('web', 'debian');
    expect(await sshExec(target(web), 'hostname')).toEqual({ stdout: `${web.hostname}\n`, stderr: '', code: 0 });
    expect((await sshExec(target(web, 'password'), 'whoami')).stdout).toBe('admin\n');
  });

  it('refuses a wrong password, a wrong user and an unknown key', async () => {
    const web = described('web', 'debian');
    await expect(sshExec({ ...target(web, 'password'), password: 'nope' }, 'true')).rejects.toThrow(/authentication methods failed/);
    await expect(sshExec({ ...target(web), username: 'root' }, 'true')).rejects.toThrow(/authentication methods failed/);
    const other = await startLab({ proxmox: false, hosts: 1, seed: 99, firstAddress: '127.0.71.201', wolPort: 0, stateDir: join(stateDir, 'other'), initialPower: 'on' });
    try {
      await expect(sshExec({ ...target(web), privateKey: readFileSync(other.clientKey.privateKeyPath) }, 'true')).rejects.toThrow(/authentication methods failed/);
    } finally {
      await other.stop();
    }
  });

  it('writes the client key 0600 and the same key for the same seed', () => {
    const d = lab.describe();
    expect(statSync(d.clientKey.privateKeyPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(d.clientKey.privateKeyPath, 'utf8')).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(d.clientKey.publicKey).toMatch(/^ssh-ed25519 AAAA/);
  });
});

describe('host keys', () => {
  it('derive the same key on every machine and Node version (fingerprint checked with ssh-keygen -lf)', () => {
    const key = ed25519FromSeed(deriveSeed('x', 1), 'lab@host');
    expect(key.fingerprint).toBe('SHA256:kIAVu8UkKTYhnftegzvCYxhJWq/0YAC2H18SA6dEmPQ');
    expect(key.publicLine).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPag121WMmyOXlCm9BRuxj/aTEnddRvl8cGbWjB3xuVL lab@host');
    const parsed = ssh2.utils.parseKey(key.privateOpenSsh);
    if (parsed instanceof Error) throw parsed;
    // The private half signs what the public half verifies: seed and public key belong together.
    const publicKey = ssh2.utils.parseKey(key.publicLine);
    if (publicKey instanceof Error) throw publicKey;
    expect(publicKey.verify(Buffer.from('lab'), parsed.sign(Buffer.from('lab')))).toBe(true);
  });

  it('are stable for a seed and differ with another seed', async () => {
    const same = await startLab({ proxmox: false, hosts: 6, seed: 21, firstAddress: '127.0.71.101', wolPort: 0, stateDir, initialPower: 'on' });
    const other = await startLab({ proxmox: false, hosts: 6, seed: 22, firstAddress: '127.0.71.111', wolPort: 0, stateDir: join(stateDir, 's22'), initialPower: 'on' });
    try {
      const fingerprints = (l: Lab): string[] => l.describe().hosts.map((h) => h.ssh.hostKeyFingerprint);
      expect(fingerprints(same)).toEqual(fingerprints(lab));
      expect(new Set(fingerprints(lab)).size).toBe(6);
      for (const fp of fingerprints(other)) expect(fingerprints(lab)).not.toContain(fp);
      expect(fingerprints(lab)[0]).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      // The key the second lab actually presents is the one pinned from the first.
      const h = same.describe().hosts[0] as LabHostDescription;
      expect((await sshExec({ ...target(h), hostKeyFingerprint: lab.describe().hosts[0]?.ssh.hostKeyFingerprint ?? '' }, 'true')).code).toBe(0);
    } finally {
      await Promise.all([same.stop(), other.stop()]);
    }
  });

  it('changedHostKey fault presents another key until cleared; rotation is permanent', async () => {
    const srv = described('server');
    const host = lab.host(srv.id);
    if (!host) throw new Error('missing host');
    host.setFault({ changedHostKey: true });
    const error = await sshExec(target(srv), 'true').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyMismatchError);
    expect((error as HostKeyMismatchError).presented).not.toBe(srv.ssh.hostKeyFingerprint);
    host.setFault({ changedHostKey: false });
    expect((await sshExec(target(srv), 'true')).code).toBe(0);
    const rotated = host.rotateHostKey();
    expect(rotated).not.toBe(srv.ssh.hostKeyFingerprint);
    await expect(sshExec(target(srv), 'true')).rejects.toBeInstanceOf(HostKeyMismatchError);
    expect((await sshExec({ ...target(srv), hostKeyFingerprint: rotated }, 'true')).code).toBe(0);
    expect(lab.describe().hosts.find((h) => h.id === srv.id)?.ssh.hostKeyFingerprint).toBe(rotated);
  });
});

describe('faults over SSH', () => {
  it('refuseAuth turns every login down', async () => {
    const nas = described('nas');
    lab.host(nas.id)?.setFault({ refuseAuth: true });
    await expect(sshExec(target(nas), 'true')).rejects.toThrow(/authentication methods failed/);
    lab.host(nas.id)?.setFault({ refuseAuth: false });
    expect((await sshExec(target(nas), 'true')).code).toBe(0);
  });

  it('slowMs delays the banner and every answer', async () => {
    const nas = described('nas');
    lab.host(nas.id)?.setFault({ slowMs: 250 });
    try {
      const started = Date.now();
      const client = await sshConnect(target(nas));
      const connected = Date.now() - started;
      const result = await execOn(client, 'true');
      const total = Date.now() - started;
      client.end();
      expect(result.code).toBe(0);
      expect(connected).toBeGreaterThanOrEqual(240);
      expect(total).toBeGreaterThanOrEqual(490);
    } finally {
      lab.host(nas.id)?.setFault({ slowMs: 0 });
    }
  });
});

describe('commands', () => {
  it('answers the metrics and init commands with parseable output', async () => {
    const pve = described('proxmox');
    const client = await sshConnect(target(pve));
    try {
      const stat = await execOn(client, 'cat /proc/stat');
      expect((stat.stdout.split('\n')[0] ?? '').split(/\s+/).slice(1)).toHaveLength(10);
      const links = JSON.parse((await execOn(client, 'ip -j link')).stdout) as { address: string }[];
      expect(links.map((l) => l.address)).toContain(pve.mac);
      expect((await execOn(client, 'ethtool eno1')).stdout).toMatch(/Supports Wake-on: pumbg\n\tWake-on: g\n/);
      expect((await execOn(client, 'pveversion')).stdout).toMatch(/^pve-manager\/8\./);
      expect((await execOn(client, 'df -B1 -x tmpfs -x devtmpfs')).stdout).toMatch(/^Filesystem +1B-blocks/);
      expect(await execOn(client, 'frobnicate')).toEqual({ stdout: '', stderr: 'bash: frobnicate: command not found\n', code: 127 });
      expect((await execOn(client, 'uptime')).stdout).toMatch(/ 1 user, /);
      const pty = await execOn(client, 'echo a; foo', { pty: true });
      expect(pty.stdout).toBe('a\r\nbash: foo: command not found\r\n');
    } finally {
      client.end();
    }
  });

  it('systemctl suspend returns 0 first, then the host goes down', async () => {
    const web = described('web', 'debian');
    const host = lab.host(web.id);
    if (!host) throw new Error('missing host');
    const seen: string[] = [];
    const stop = host.onPowerChange((p) => seen.push(p));
    const result = await sshExec(target(web), 'sudo -n systemctl suspend');
    expect(result.code).toBe(0);
    await host.waitForPower('suspended', 2000);
    stop();
    expect(seen).toEqual(['suspending', 'suspended']);
    expect(await tcpProbe(web.address, web.ssh.port)).toBe('refused');
    await host.wake();
    expect((await sshExec(target(web), 'cat /proc/uptime')).code).toBe(0);
  });

  it('offers an interactive shell with prompt, echo and exit', async () => {
    const web = described('web', 'debian');
    const client = await sshConnect(target(web));
    try {
      const channel = await new Promise<ClientChannel>((resolve, reject) =>
        client.shell({ term: 'xterm-256color', cols: 120, rows: 40 }, (error, stream) => (error ? reject(error) : resolve(stream))));
      let screen = '';
      channel.on('data', (d: Buffer) => (screen += d.toString()));
      const waitFor = async (text: string): Promise<void> => {
        const deadline = Date.now() + 10_000;
        while (!screen.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        expect(screen).toContain(text);
      };
      const prompt = `admin@${web.hostname}:~$ `;
      await waitFor(prompt);
      expect(screen).toContain('The programs included with the Debian GNU/Linux system are free software;\r\n');
      channel.write('hostnamx\x7fe\r');
      // The typo is echoed, rubbed out with backspace-space-backspace, and the fixed line runs.
      await waitFor(`${prompt}hostnamx\b \be\r\n${web.hostname}\r\n${prompt}`);
      const exit = new Promise<number>((resolve) => channel.on('exit', (code: number) => resolve(code)));
      channel.write('exit 4\r');
      expect(await exit).toBe(4);
      expect(screen).toContain('logout\r\n');
    } finally {
      client.end();
    }
  });
});

const opensshClient = ['/usr/bin/ssh', '/usr/local/bin/ssh'].find((p) => existsSync(p));

describe.skipIf(opensshClient === undefined)('OpenSSH client interop', () => {
  it('logs in with the lab key and a known_hosts line built from describe()', async () => {
    const pve = described('proxmox');
    const knownHosts = join(stateDir, 'known_hosts');
    writeFileSync(knownHosts, `[${pve.address}]:${pve.ssh.port} ${pve.ssh.hostKey}\n`);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(opensshClient ?? 'ssh', [
        '-F', '/dev/null', '-i', pve.ssh.keyPath, '-p', String(pve.ssh.port), '-o', 'BatchMode=yes',
        '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'ConnectTimeout=5',
        `${pve.ssh.user}@${pve.address}`, 'cat /proc/loadavg && test -d /etc/pve',
      ], { timeout: 10_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)));
    });
    expect(stdout).toMatch(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+\n$/);
  });
});
