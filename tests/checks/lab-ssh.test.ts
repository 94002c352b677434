import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labHealth } from '../../src/lab/hosts/health';
import type { SimHost } from '../../src/lab/hosts/host';
import { startLab, type Lab } from '../../src/lab/lab';
import { silentLogger } from '../../src/main/base/logger';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import type { CheckView } from '../../src/shared/contract/checks';
import type { ServerView } from '../../src/shared/server';

/**
 * The SSH checks against the lab's hosts: real SSH servers whose shells answer smartctl 7.3 JSON,
 * lm-sensors' `sensors -j`, df, `systemctl --failed`, `apt list --upgradable` and the
 * reboot-required marker. A test changes a host's health and the next run sees it. 127.0.219.x
 * belongs to this file.
 */
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-checks-lab-'));
const home = path.join(stateDir, 'home');
let lab: Lab;
let app: RackdeckApp;
let nas: SimHost;
let web: SimHost;

const call = async <T,>(channel: string, input: unknown): Promise<T> => {
  const r = await app.router.handle(channel, input, { face: 'test' });
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
  return r.value as T;
};
const add = (host: SimHost, check: Record<string, unknown>) => call<CheckView>('checks.add', { server: host.hostname, check });
const run = async (host: SimHost, id: string) => (await call<CheckView[]>('checks.run', { server: host.hostname, id }))[0] as CheckView;

beforeAll(async () => {
  lab = await startLab({ proxmox: false, proxmoxNodes: 0, hosts: 2, seed: 219, firstAddress: '127.0.219.1', wolPort: 0, stateDir, initialPower: 'on' });
  nas = lab.hosts.find((h) => h.spec.role === 'nas')!;
  web = lab.hosts.find((h) => h.spec.role === 'web')!;
  app = createApp({ home, face: 'cli', log: silentLogger });
  for (const host of [nas, web]) {
    await call<ServerView>('servers.add', {
      name: host.hostname,
      address: host.address,
      ports: [host.spec.ports.ssh],
      ssh: { user: host.spec.user, port: host.spec.ports.ssh, keyPath: lab.clientKey.privateKeyPath },
    });
  }
  await call('servers.sweep', {});
  for (const host of [nas, web]) expect(app.engine.view(host.hostname)?.power).toBe('on');
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await lab?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe('SMART over SSH', () => {
  it('finds every disk with smartctl --scan and reads each one (through sudo -n for a user who is not root)', async () => {
    await add(nas, { kind: 'smart' });
    const v = await run(nas, 'smart');
    expect(v.state.status).toBe('ok');
    for (const d of labHealth(nas.spec).disks) {
      expect(v.state.message).toContain(`${d.device}: PASSED`);
      expect(v.state.details?.[`${d.device} °C`]).toBe(d.tempC);
    }
  });

  it('reallocated sectors are a warning; an ATA disk failing its health check is a failure', async () => {
    const sda = labHealth(nas.spec).disks.find((d) => d.device === '/dev/sda')!;
    sda.reallocated = 8;
    expect((await run(nas, 'smart')).state).toMatchObject({ status: 'warning', message: '/dev/sda: 8 reallocated sectors' });
    sda.passed = false;
    expect((await run(nas, 'smart')).state).toMatchObject({ status: 'failing', message: '/dev/sda: SMART overall health FAILED' });
    sda.passed = true;
    sda.reallocated = 0;
    expect((await run(nas, 'smart')).state.status).toBe('ok');
  });

  it('an NVMe critical warning fails only the disk named in the check', async () => {
    await add(web, { kind: 'smart', id: 'nvme', devices: ['/dev/nvme0'] });
    const nvme = labHealth(web.spec).disks[0]!;
    nvme.passed = false;
    expect((await run(web, 'nvme')).state).toMatchObject({ status: 'failing', message: '/dev/nvme0: SMART overall health FAILED' });
    nvme.passed = true;
  });
});

describe('temperatures over SSH', () => {
  it('reads sensors -j: CPU cores and NVMe composite, warning and failing at the thresholds', async () => {
    const h = labHealth(web.spec);
    h.cpuTempC = 50;
    await add(web, { kind: 'temperature', warnC: 70, failC: 85 });
    const ok = await run(web, 'temperature');
    expect(ok.state.status).toBe('ok');
    expect(Object.keys(ok.state.details ?? {}).some((k) => /^(coretemp-isa-0000 Package id 0|k10temp-pci-00c3 Tctl)$/.test(k))).toBe(true);
    expect(Object.keys(ok.state.details ?? {})).toContain('nvme-pci-0100 Composite');
    h.cpuTempC = 75;
    expect((await run(web, 'temperature')).state.status).toBe('warning');
    h.cpuTempC = 95;
    expect((await run(web, 'temperature')).state).toMatchObject({ status: 'failing', message: expect.stringContaining('at 95.0 °C') });
    h.cpuTempC = 50;
  });
});

describe('disk fill over SSH', () => {
  it('reads df for the mount; above the threshold is a warning or a failure', async () => {
    await add(web, { kind: 'disk' });
    const v = await run(web, 'disk');
    expect(v.state.status).toBe('ok');
    expect(v.state.message).toMatch(/^\/ [\d.]+ % used, not filling$/);
    const percent = Number(v.state.details?.percent);
    await add(web, { kind: 'disk', id: 'disk-tight', warnPercent: Math.max(1, Math.floor(percent) - 1), failPercent: 100 });
    expect((await run(web, 'disk-tight')).state.status).toBe('warning');
    await add(web, { kind: 'disk', id: 'disk-gone', mount: '/nonexistent' });
    expect((await run(web, 'disk-gone')).state.status).toBe('failing');
  });
});

describe('systemd, reboots and upgrades over SSH', () => {
  it('failed units fail the check, ignored ones do not', async () => {
    await add(web, { kind: 'systemd' });
    labHealth(web.spec).failedUnits = [];
    expect((await run(web, 'systemd')).state).toMatchObject({ status: 'ok', message: 'no failed units' });
    labHealth(web.spec).failedUnits = [{ unit: 'nginx.service', description: 'A high performance web server and a reverse proxy server' }, { unit: 'smartd.service', description: 'Self Monitoring and Reporting Technology (SMART) Daemon' }];
    expect((await run(web, 'systemd')).state).toMatchObject({ status: 'failing', message: '2 failed: nginx.service, smartd.service' });
    await call('checks.update', { server: web.hostname, id: 'systemd', check: { kind: 'systemd', ignore: ['smartd', 'nginx.service'] } });
    expect((await run(web, 'systemd')).state).toMatchObject({ status: 'ok', message: 'no failed units (2 ignored)' });
    labHealth(web.spec).failedUnits = [];
  });

  it('a pending reboot is a warning naming the packages (or a failure when asked)', async () => {
    await add(web, { kind: 'reboot' });
    labHealth(web.spec).rebootRequired = undefined;
    expect((await run(web, 'reboot')).state).toMatchObject({ status: 'ok', message: 'no reboot pending' });
    labHealth(web.spec).rebootRequired = ['linux-image-6.1.0-28-amd64', 'libc6'];
    expect((await run(web, 'reboot')).state).toMatchObject({ status: 'warning', message: 'a reboot is pending (for linux-image-6.1.0-28-amd64, libc6)' });
    await add(web, { kind: 'reboot', id: 'reboot-strict', failWhenPending: true });
    expect((await run(web, 'reboot-strict')).state.status).toBe('failing');
  });

  it('apt upgrades waiting are a warning; security ones fail when asked', async () => {
    await add(web, { kind: 'apt', failOnSecurity: true });
    labHealth(web.spec).upgradable = [];
    expect((await run(web, 'apt')).state).toMatchObject({ status: 'ok', message: 'up to date' });
    const security = web.spec.os === 'ubuntu' ? { name: 'libssl3t64', suite: 'noble-updates,noble-security', version: '3.0.13-0ubuntu3.4', from: '3.0.13-0ubuntu3.1' } : { name: 'libssl3', suite: 'stable-security', version: '3.0.15-1~deb12u1', from: '3.0.14-1~deb12u2' };
    labHealth(web.spec).upgradable = [{ name: 'curl', suite: 'stable', version: '7.88.1-10+deb12u8', from: '7.88.1-10+deb12u7' }];
    expect((await run(web, 'apt')).state).toMatchObject({ status: 'warning', message: '1 upgrade waiting' });
    labHealth(web.spec).upgradable.push(security);
    expect((await run(web, 'apt')).state).toMatchObject({ status: 'failing', message: `2 upgrades waiting, 1 security (${security.name})` });
  });

  it('a server that is not on is unknown, not failing', async () => {
    await call('servers.add', { name: 'ghost', address: '127.0.219.99', ports: [22], ssh: { user: 'admin', port: 22 } });
    await add({ hostname: 'ghost' } as SimHost, { kind: 'systemd' });
    const v = await run({ hostname: 'ghost' } as SimHost, 'systemd');
    expect(v.state.status).toBe('unknown');
    expect(v.state.message).toMatch(/^the server is /);
  });
});

describe('HTTP against the lab', () => {
  it("a web host's own site: status, keyword and a missing page", async () => {
    await add(web, { kind: 'http', url: `http://${web.address}:${web.spec.ports.http}/`, keyword: web.hostname });
    expect((await run(web, 'http')).state).toMatchObject({ status: 'ok', details: { status: 200 } });
    await add(web, { kind: 'http', id: 'http-missing', url: `http://${web.address}:${web.spec.ports.http}/admin` });
    expect((await run(web, 'http-missing')).state.message).toBe('status 404, expected 200–399');
  });
});
