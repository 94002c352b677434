/**
 * Consoles against a real OpenSSH sshd on loopback: a terminal that types, resizes and closes;
 * flow control holding a fast producer back; streamed commands with their exit code; live
 * stats from /proc; and no console at all without a pinned host key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../src/shared/server';
import { systemClock } from '../../src/main/base/clock';
import { memoryLogger } from '../../src/main/base/logger';
import { DriversBackend } from '../../src/main/consoles/drivers-backend';
import { ProxmoxConsoleAdapter } from '../../src/main/consoles/io/proxmox/proxmox-consoles';
import { SshConsoleAdapter } from '../../src/main/consoles/io/ssh/ssh-consoles';
import { ConsoleManager } from '../../src/main/consoles/manager';
import { SshPool, sshTargetFor } from '../../src/main/drivers/ssh';
import { KnownHostsStore } from '../../src/main/store/known-hosts';
import { startSshd, sshdAvailable, type SshdFixture } from '../ssh/sshd-fixture';
import { Inbox, waitFor } from './kit';

const OWNER = 'window-sshd-test';
const HIGH_WATER = 256 * 1024;

let sshd: SshdFixture;
let home: string;
let box: ServerConfig;

function setup(knownHostsHome = home) {
  const inbox = new Inbox();
  const log = memoryLogger();
  const ssh = new SshConsoleAdapter({ clock: systemClock, pinnedKeys: () => new KnownHostsStore(knownHostsHome) });
  const backend = new DriversBackend({
    server: () => box,
    sshTarget: (s) => sshTargetFor(s, { get: () => undefined }),
    proxmoxTarget: () => Promise.reject(new Error('no proxmox here')),
    ssh,
    proxmox: new ProxmoxConsoleAdapter({ clock: systemClock }),
  });
  const manager = new ConsoleManager({ clock: systemClock, log, backend, events: inbox, flow: { highWater: HIGH_WATER, lowWater: HIGH_WATER / 4, batchMs: 16, batchBytes: 64 * 1024 } });
  return { inbox, log, ssh, manager, stop: () => (manager.stop(), backend.close()) };
}

/** The admin "connects once": the power driver's pool pins the key on first use. */
async function pinOnce(): Promise<void> {
  const pool = new SshPool({ knownHosts: new KnownHostsStore(home) });
  try {
    await pool.exec(sshTargetFor(box, { get: () => undefined }), 'true');
  } finally {
    pool.close();
  }
}

beforeAll(async () => {
  if (!sshdAvailable) return;
  sshd = await startSshd();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-consoles-'));
  box = { id: 'box', name: 'box', kind: 'physical', address: '127.0.0.1', ports: [sshd.port], createdAt: 0, ssh: { user: sshd.user, port: sshd.port, auth: 'key', keyPath: sshd.key.path } } as ServerConfig;
  await pinOnce();
});

afterAll(async () => {
  await sshd?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe.skipIf(!sshdAvailable)('SSH consoles against OpenSSH', () => {
  it('refuses to open anything before the host key is pinned, and says what to do', async () => {
    const unpinned = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-consoles-unpinned-'));
    const { manager, stop } = setup(unpinned);
    try {
      await expect(manager.open({ serverId: 'box', kind: 'ssh-shell', owner: OWNER })).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/no pinned SSH host key for box.*rackdeck init box/s),
      });
      await expect(manager.exec({ serverId: 'box', owner: OWNER, spec: { type: 'command', command: 'true' } })).rejects.toMatchObject({ code: 'conflict' });
      expect(manager.list()).toEqual([]);
    } finally {
      stop();
      fs.rmSync(unpinned, { recursive: true, force: true });
    }
  });

  it('types a command and reads its output, resizes, and closes', async () => {
    const { manager, inbox, ssh, stop } = setup();
    try {
      const info = await manager.open({ serverId: 'box', kind: 'ssh-shell', owner: OWNER, cols: 80, rows: 24 });
      const id = info.sessionId;
      manager.write(id, Buffer.from('uname -a\r'));
      // The login banner says "Linux" too: wait for uname's own line, "Linux <hostname> <release>".
      const unameLine = new RegExp(`[\\r\\n]Linux ${os.hostname()} \\d+\\.\\d+\\S* #.*\\r\\n`);
      await waitFor(() => unameLine.test(inbox.text(id)), 'uname -a output');
      manager.resize(id, 100, 40);
      manager.write(id, Buffer.from('stty size\r'));
      await waitFor(() => inbox.text(id).includes('40 100'), 'stty size with the new size');
      // A second tab on the same host shares the connection.
      const second = await manager.open({ serverId: 'box', kind: 'ssh-shell', owner: OWNER });
      expect(ssh.connections.size()).toBe(1);
      expect(manager.close(id)).toBe(true);
      expect(inbox.ends.get(id)).toMatchObject({ reason: 'Closed', error: false });
      expect(() => manager.write(id, Buffer.from('x'))).toThrow(/closed/);
      manager.write(second.sessionId, Buffer.from('exit 5\r'));
      await waitFor(() => inbox.ends.get(second.sessionId), 'the second shell to exit');
      expect(inbox.ends.get(second.sessionId)).toMatchObject({ exitCode: 5, error: true, reason: 'The shell exited with code 5' });
      await waitFor(() => ssh.connections.size() === 0, 'the connection to close with its last tab');
    } finally {
      stop();
    }
  });

  it('streams a command with standard error apart and its exit code', async () => {
    const { manager, inbox, stop } = setup();
    try {
      const info = await manager.exec({ serverId: 'box', owner: OWNER, spec: { type: 'command', command: 'echo out; echo err >&2; exit 3' } });
      const end = await waitFor(() => inbox.ends.get(info.sessionId), 'the command to end');
      expect(end).toMatchObject({ exitCode: 3, error: true });
      expect(inbox.text(info.sessionId)).toBe('out\n');
      expect(inbox.text(info.sessionId, 'stderr')).toBe('err\n');
    } finally {
      stop();
    }
  });

  it('holds a fast producer back at the high-water mark until the window acknowledges', async () => {
    const { manager, inbox, stop } = setup();
    const total = 5_000_000;
    try {
      const info = await manager.exec({ serverId: 'box', owner: OWNER, spec: { type: 'command', command: `yes | head -c ${total}` } });
      const id = info.sessionId;
      // Nobody acknowledges: the output stops at about the high-water mark. Waiting for the pause
      // itself, not for a quiet moment: on a busy machine the producer can be quiet for a while
      // long before it reaches the mark.
      await waitFor(() => manager.flowOf(id)?.paused, 'the session to pause at the high-water mark', 30_000);
      const stalled = inbox.delivered(id);
      expect(stalled).toBeGreaterThanOrEqual(HIGH_WATER);
      expect(stalled).toBeLessThan(HIGH_WATER + 64 * 1024);
      expect(manager.flowOf(id)).toMatchObject({ paused: true, pauses: 1 });
      expect(inbox.ends.has(id)).toBe(false);
      // And it stays there: a command run over the same connection meanwhile comes and goes (its
      // round trip is the paused producer's chance to overrun), and the paused one got nothing more.
      const probe = await manager.exec({ serverId: 'box', owner: OWNER, spec: { type: 'command', command: 'echo probe' } });
      await waitFor(() => inbox.ends.get(probe.sessionId), 'the probe command to end');
      expect(inbox.text(probe.sessionId)).toBe('probe\n');
      expect(inbox.delivered(id)).toBeLessThan(HIGH_WATER + 64 * 1024);
      expect(manager.flowOf(id)).toMatchObject({ paused: true, pauses: 1 });
      expect(inbox.ends.has(id)).toBe(false);
      // The window reads: everything arrives, in order, and the command ends normally.
      let acked = 0;
      let resumes = 0;
      await waitFor(() => {
        resumes = Math.max(resumes, manager.flowOf(id)?.resumes ?? 0);
        const d = inbox.delivered(id);
        if (d > acked) {
          manager.ack(id, d - acked);
          acked = d;
        }
        return inbox.ends.get(id);
      }, 'the producer to finish', 30_000);
      expect(inbox.ends.get(id)).toMatchObject({ exitCode: 0, error: false });
      const out = inbox.bytes(id);
      expect(out.length).toBe(total);
      expect(out.subarray(0, 6).toString()).toBe('y\ny\ny\n');
      const seqs = (inbox.chunks.get(id) ?? []).map((c) => c.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect(resumes).toBeGreaterThan(0);
    } finally {
      stop();
    }
  });

  it('follows a log file and stops the remote tail when the view closes', async () => {
    const { manager, inbox, stop } = setup();
    const file = `/var/log/rackdeck-consoles-test-${process.pid}.log`;
    fs.writeFileSync(file, 'first line\n');
    try {
      const info = await manager.exec({ serverId: 'box', owner: OWNER, spec: { type: 'tail', file, lines: 10, follow: true } });
      await waitFor(() => inbox.text(info.sessionId).includes('first line'), 'the existing line');
      fs.appendFileSync(file, 'appended later\n');
      await waitFor(() => inbox.text(info.sessionId).includes('appended later'), 'the appended line');
      manager.close(info.sessionId, 'The view was closed');
      expect(inbox.ends.get(info.sessionId)).toMatchObject({ reason: 'The view was closed', error: false });
      // The remote tail goes once sshd has seen the channel close: wait for that on the host
      // (up to 20 s), then print what is left, which must be nothing.
      const pattern = `[t]ail -n 10 -F -- ${file}`;
      const check = await manager.exec({
        serverId: 'box',
        owner: OWNER,
        spec: { type: 'command', command: `for i in $(seq 200); do pgrep -f '${pattern}' >/dev/null || break; sleep 0.1; done; pgrep -f '${pattern}' || echo none` },
      });
      await waitFor(() => inbox.ends.get(check.sessionId), 'pgrep', 30_000);
      expect(inbox.text(check.sessionId).trim()).toBe('none');
    } finally {
      stop();
      fs.rmSync(file, { force: true });
    }
  });

  it('reads live stats from /proc', async () => {
    const ssh = new SshConsoleAdapter({ clock: systemClock, pinnedKeys: () => new KnownHostsStore(home) });
    const backend = new DriversBackend({
      server: () => box,
      sshTarget: (s) => sshTargetFor(s, { get: () => undefined }),
      proxmoxTarget: () => Promise.reject(new Error('no proxmox here')),
      ssh,
      proxmox: new ProxmoxConsoleAdapter({ clock: systemClock }),
    });
    const reader = backend.statsReader(box);
    try {
      const first = await reader.read();
      expect(first).toMatchObject({ source: 'ssh', status: 'running' });
      expect(first.cpus).toBeGreaterThan(0);
      expect(first.memLimit).toBeGreaterThan(first.memUsed ?? Infinity);
      expect(first.cpuPercent).toBeUndefined();
      // Rates need the host's clock ticks to have moved between two readings (1/100 s each):
      // read again until they have, rather than guessing how long that takes.
      let second = await reader.read();
      const deadline = Date.now() + 10_000;
      while ((second.cpuPercent === undefined || second.netRxRate === undefined) && Date.now() < deadline) second = await reader.read();
      expect(second.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(second.cpuPercent).toBeLessThanOrEqual(100);
      expect(second.netRxRate).toBeGreaterThanOrEqual(0);
      expect(ssh.connections.size()).toBe(1);
    } finally {
      reader.close();
      backend.close();
    }
  });

  it('refuses a host whose key changed', async () => {
    await sshd.rotateHostKey();
    const { manager, stop } = setup();
    try {
      await expect(manager.open({ serverId: 'box', kind: 'ssh-shell', owner: OWNER })).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/host key of box .* changed/),
      });
    } finally {
      stop();
    }
  });
});
