import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAgentFiles } from '../../src/main/health/io/assets';
import { agentConfig, installAgent, validatePlan } from '../../src/main/health/agent-installer';
import type { ExecResult, RemoteShell } from '../../src/main/health/hooks';
import { remoteShellOverExec } from '../../src/main/health/remote-shell';
import { openService } from './helpers';

/**
 * A stand-in for the SSH capability that runs the installer's commands on this machine with
 * `sh`, installing into a scratch root (RACKDECK_DESTDIR) with a fake `systemctl` on PATH.
 * The scripts that run are the real ones; only the host is this one.
 */
function localShell(root: string, options: { systemd: boolean; uname?: string }) {
  const bin = path.join(root, 'fakebin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'systemctl'), `#!/bin/sh\necho "$*" >> "${root}/systemctl.log"\n`, { mode: 0o755 });
  if (options.uname) fs.writeFileSync(path.join(bin, 'uname'), `#!/bin/sh\necho ${options.uname}\n`, { mode: 0o755 });
  if (options.systemd) fs.mkdirSync(path.join(root, 'run/systemd/system'), { recursive: true });
  const commands: string[] = [];
  const uploads: { path: string; mode: number; content: string }[] = [];
  const shell: RemoteShell = {
    exec(command) {
      commands.push(command);
      return new Promise<ExecResult>((resolve, reject) => {
        const child = spawn('sh', ['-c', command], {
          env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, RACKDECK_DESTDIR: root, RACKDECK_SAMPLE_SECONDS: '0.1' },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
        child.stdin.end();
      });
    },
    async upload(content, remotePath, mode) {
      uploads.push({ path: remotePath, mode, content: content.toString() });
      fs.writeFileSync(remotePath, content, { mode });
      fs.chmodSync(remotePath, mode);
    },
  };
  return { shell, commands, uploads };
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;

let root: string;
let t: ReturnType<typeof openService>;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-root-'));
  t = openService({ servers: [{ id: 'vm1', name: 'vm1', sshUser: 'root' }] });
});
afterEach(async () => {
  await t.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('Install agent / Remove agent', () => {
  it('installs with systemd, sends the first heartbeat, and removes cleanly', async () => {
    const local = localShell(root, { systemd: true });
    t.hooks.shellFor = async () => local.shell;
    t.hooks.guests = { power: async () => ({ status: 'running' }), reset: async () => ({ ok: true, taskStatus: 'OK' }), identify: () => ({ vmid: 101, node: 'pve1' }) };
    await t.listen();
    const old = t.service.createKey('vm1', 'old');

    const result = await t.service.install('vm1');
    expect(result.scheduler).toBe('systemd');
    expect(result.heartbeatAt).toBeDefined();
    expect(result.steps.at(-1)).toBe('the heartbeat arrived');
    const health = t.service.health('vm1');
    expect(health.figures).toMatchObject({ vmid: 101, node: 'pve1' });
    expect(health.state === 'healthy' || health.state === 'warning').toBe(true);

    // Files in place with the right modes; the key only in the root-only config.
    const conf = path.join(root, 'etc/rackdeck-agent.conf');
    expect(mode(conf)).toBe(0o600);
    expect(mode(path.join(root, 'usr/local/bin/rackdeck-agent'))).toBe(0o755);
    expect(fs.readFileSync(path.join(root, 'etc/systemd/system/rackdeck-agent.timer'), 'utf8')).toMatch(/OnUnitActiveSec=30s/);
    expect(fs.readFileSync(path.join(root, 'systemctl.log'), 'utf8')).toBe('daemon-reload\nenable --now rackdeck-agent.timer\n');
    const key = /^KEY=(.*)$/m.exec(fs.readFileSync(conf, 'utf8'))?.[1] ?? '';
    expect(t.service.keys.verify(key)).toMatchObject({ ok: true, serverId: 'vm1' });
    expect(local.commands.join('\n')).not.toContain(key);
    expect(local.uploads.find((u) => u.path.endsWith('.conf'))?.mode).toBe(0o600);
    // The temp folder is gone, the older key retired.
    expect(fs.readdirSync('/tmp').filter((n) => local.commands.some((c) => c.includes(n) && n.startsWith('rackdeck-agent.')))).toEqual([]);
    expect(t.service.keys.verify(old.key)).toMatchObject({ ok: false, reason: 'revoked' });

    const removed = await t.service.uninstall('vm1');
    expect(removed.revoked).toEqual([result.keyId]);
    for (const f of ['etc/rackdeck-agent.conf', 'usr/local/bin/rackdeck-agent', 'etc/systemd/system/rackdeck-agent.timer', 'etc/systemd/system/rackdeck-agent.service']) {
      expect(fs.existsSync(path.join(root, f)), f).toBe(false);
    }
    expect(fs.readFileSync(path.join(root, 'systemctl.log'), 'utf8')).toMatch(/disable --now rackdeck-agent.timer\ndaemon-reload\n$/);
  });

  it('falls back to cron without systemd, confirmed by the agent run when no receiver runs here', async () => {
    const local = localShell(root, { systemd: false });
    // The receiver runs in another Rackdeck process (rackdeck serve): this one only installs.
    const server = openService();
    const url = await server.listen();
    // The key store is shared through the home folder, as with the CLI and `serve`.
    const plan = { url, key: server.service.createKey('vm1').key };
    // Through the adapter an exec-only SSH link gets: files written by base64-decoding commands.
    const execOnly = remoteShellOverExec((cmd, o) => local.shell.exec(cmd, o));
    const outcome = await installAgent({ shell: execOnly, files: readAgentFiles(), sudo: false }, plan);
    expect(mode(path.join(root, 'etc/rackdeck-agent.conf'))).toBe(0o600);
    expect(outcome.scheduler).toBe('cron');
    expect(outcome.heartbeatAt).toBeUndefined();
    expect(outcome.steps).toContain('the agent sent its first report and the receiver accepted it');
    expect(fs.readFileSync(path.join(root, 'etc/cron.d/rackdeck-agent'), 'utf8')).toMatch(/^\* \* \* \* \* root \/usr\/local\/bin\/rackdeck-agent .*sleep 30/m);
    expect(server.service.health('vm1').lastReportAt).toBeDefined();
    await server.cleanup();
  });

  it('fails clearly when the first report is refused, and revokes the key it made', async () => {
    const local = localShell(root, { systemd: false });
    t.hooks.shellFor = async () => local.shell;
    t.service.start();
    // Nobody listens there.
    await expect(t.service.install('vm1', 'http://127.0.0.1:9')).rejects.toThrow(/installed but its first report did not get through: rackdeck-agent: could not reach/);
    expect(t.service.listKeys('vm1').every((k) => k.revokedAt !== undefined)).toBe(true);
  });

  it('refuses Windows and hosts without curl or wget, before copying anything', async () => {
    const local = localShell(root, { systemd: false, uname: 'MINGW64_NT-10.0' });
    await expect(installAgent({ shell: local.shell, files: readAgentFiles(), sudo: false }, { url: 'http://127.0.0.1:7374', key: `rdk_${'a'.repeat(16)}_${'B'.repeat(43)}` })).rejects.toThrow(/For Windows, copy rackdeck-agent.ps1/);
    expect(local.uploads).toEqual([]);
  });

  it('builds nothing from unvalidated values', async () => {
    const key = `rdk_${'a'.repeat(16)}_${'B'.repeat(43)}`;
    expect(validatePlan({ url: 'http://x;reboot', key })).toMatch(/receiver URL/);
    expect(validatePlan({ url: 'http://127.0.0.9:7374', key: 'rdk_$(id)' })).toMatch(/key is malformed/);
    expect(validatePlan({ url: 'http://127.0.0.9:7374', key, node: 'pve;x' })).toMatch(/node/);
    expect(validatePlan({ url: 'http://127.0.0.9:7374', key, vmid: -1 })).toMatch(/VM id/);
    expect(() => agentConfig({ url: "http://x'y", key })).toThrow();
    const local = localShell(root, { systemd: false });
    await expect(installAgent({ shell: local.shell, files: readAgentFiles(), sudo: false }, { url: 'http://x`id`', key })).rejects.toThrow(/Cannot install/);
    expect(local.commands).toEqual([]);
  });

  it('answers clearly when SSH or Proxmox are not connected', async () => {
    await expect(t.service.install('vm1', 'http://127.0.0.1:7374')).rejects.toThrow('SSH is not connected for vm1; set up SSH for it before installing the agent.');
    await expect(t.service.manualReset('vm1', 'hung')).rejects.toThrow('Proxmox is not connected for vm1, so Rackdeck cannot reset it.');
    await expect(t.service.uninstall('vm1')).rejects.toThrow(/SSH is not connected/);
  });
});
