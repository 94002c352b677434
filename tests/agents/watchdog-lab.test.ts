import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox';
import { fakeNodeHost } from '../../src/lab/proxmox/test-kit';
import type { AgentsService } from '../../src/main/health/service';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import type { Notice } from '../../src/shared/events';
import { runAgent } from './helpers';

/**
 * The watchdog against the lab's Proxmox: the engine's own Proxmox client resets a lab VM
 * whose agent (the real script) stopped reporting, and follows the reset task to its end.
 * The engine runs on a fake clock: five minutes of silence pass in a blink, while the lab's
 * HTTPS API and its tasks run for real on loopback.
 */
let lab: ProxmoxClusterHandle;
let app: RackdeckApp;
let svc: AgentsService;
let clock: FakeClock;
let home: string;
let url: string;
const notices: Notice[] = [];
let vms: { serverId: string; vmid: number; node: string }[] = [];

/** Moves fake time in steps while real sockets work, until `done` holds (bounded). */
async function pumpUntil(done: () => boolean, stepMs = 5_000, maxSteps = 2_000): Promise<void> {
  for (let i = 0; i < maxSteps && !done(); i++) {
    await clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 2));
  }
  if (!done()) throw new Error('condition not reached');
}

async function agentReports(vm: (typeof vms)[number], key: string): Promise<void> {
  const r = await runAgent('sh', { URL: url, KEY: key, VMID: String(vm.vmid), NODE: vm.node, RACKDECK_SAMPLE_SECONDS: '0.1' });
  expect(r.code, r.stderr).toBe(0);
}

beforeAll(async () => {
  lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1')], guests: 8, taskDelayMs: 30, shutdownTimeoutMs: 200, authFailDelayMs: 0, certificateKey: 'ec' });
  // Three plain running VMs to work on, whatever the seed made of them.
  const picked = lab.vmids().filter((v) => lab.guest(v).info().type === 'qemu' && !lab.guest(v).info().template).slice(0, 3);
  for (const v of picked) {
    lab.guest(v).setStatus('running');
    lab.guest(v).setLock(undefined);
  }
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-watchdog-lab-'));
  clock = new FakeClock();
  app = createApp({ home, face: 'cli', clock, log: silentLogger, probe: async (_a, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), false])) }) });
  app.engine.events.on('notice', (n) => notices.push(n));
  const token = lab.credentials.adminToken;
  await app.proxmox.addCluster({ name: 'lab', url: lab.url, token: `${token.tokenId}=${token.secret}`, fingerprint: lab.fingerprint });
  vms = app.proxmox
    .guests()
    .filter((g) => picked.includes(g.vmid) && g.status === 'running')
    .map((g) => ({ serverId: g.serverId, vmid: g.vmid, node: g.node }));
  expect(vms.length).toBeGreaterThanOrEqual(3);
  svc = app.agents;
  svc.start();
  url = (await svc.enableReceiver({ host: '127.0.0.1', port: 0 })).url ?? '';
});

afterAll(async () => {
  await svc?.close();
  await app?.stop();
  await lab?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('watchdog against the lab Proxmox', () => {
  it('resets a hung lab VM through the API and follows its task', async () => {
    const vm = vms[0]!;
    const key = svc.createKey(vm.serverId).key;
    await agentReports(vm, key);
    // This machine's real load decides between healthy and warning; both mean "reporting".
    expect(svc.health(vm.serverId)).toMatchObject({ state: expect.stringMatching(/^(healthy|warning)$/), figures: { vmid: vm.vmid, node: vm.node } });
    svc.setWatch(vm.serverId, { autoReset: true });

    // The VM hangs: its agent stops reporting, Proxmox still says running.
    lab.guest(vm.vmid).setHung(true);
    lab.resetRequestLog();
    await pumpUntil(() => svc.resets(vm.serverId).some((r) => r.finishedAt !== undefined));

    const [record] = svc.resets(vm.serverId);
    expect(record).toMatchObject({ source: 'auto', ok: true, taskStatus: 'OK' });
    expect(record?.upid).toMatch(new RegExp(`^UPID:pve1:.*:qmreset:${vm.vmid}:`));
    expect(record?.reason).toMatch(/^Auto-reset 1\/3: no heartbeat for 5 min while Proxmox reports it running/);
    expect(lab.requestCounts()[`POST /nodes/pve1/qemu/${vm.vmid}/status/reset`]).toBe(1);
    // The task was followed to its end, and the reset brought the guest back from its hang.
    expect(lab.requestLog().some((e) => e.method === 'GET' && e.path.includes('/tasks/') && e.path.endsWith('/status'))).toBe(true);
    expect(lab.guest(vm.vmid).info().hung).toBe(false);
    expect(svc.health(vm.serverId).state).toBe('reset_pending');

    // The guest boots and its agent reports again.
    await agentReports(vm, key);
    expect(svc.health(vm.serverId).state).toMatch(/^(healthy|warning)$/);
    expect(notices.map((n) => n.title)).toEqual(expect.arrayContaining([`Resetting ${app.engine.get(vm.serverId).name}`, `${app.engine.get(vm.serverId).name} is reporting again`]));
    svc.setWatch(vm.serverId, { autoReset: false });
  });

  it('gives up after the attempt limit when the reset tasks fail: reset_failed and a notice', async () => {
    const vm = vms[1]!;
    const key = svc.createKey(vm.serverId).key;
    await agentReports(vm, key);
    svc.setWatch(vm.serverId, { autoReset: true });
    lab.guest(vm.vmid).setHung(true);
    lab.setFault({ failTasks: { types: ['qmreset'], vmids: [vm.vmid] } });
    try {
      await pumpUntil(() => svc.health(vm.serverId).state === 'reset_failed');
    } finally {
      lab.clearFaults();
    }
    const resets = svc.resets(vm.serverId);
    expect(resets).toHaveLength(3);
    expect(resets.every((r) => r.source === 'auto' && !r.ok && r.finishedAt !== undefined)).toBe(true);
    expect(resets[0]?.taskStatus).not.toBe('OK');
    const name = app.engine.get(vm.serverId).name;
    expect(notices.find((n) => n.title === `${name} needs a human`)?.level).toBe('error');
    // No fourth attempt, however long it stays silent.
    await pumpUntil(() => false, 60_000, 30).catch(() => undefined);
    expect(svc.resets(vm.serverId)).toHaveLength(3);
    svc.setWatch(vm.serverId, { autoReset: false });
  });

  it('never resets a VM the admin is shutting down', async () => {
    const vm = vms[2]!;
    const key = svc.createKey(vm.serverId).key;
    await agentReports(vm, key);
    svc.setWatch(vm.serverId, { autoReset: true });
    // A hung guest ignores the ACPI shutdown: the task runs, then fails, the VM stays "running".
    lab.guest(vm.vmid).setHung(true);
    const shutdownAt = clock.now();
    await app.proxmox.guestAction(vm.serverId, 'shutdown');
    await pumpUntil(() => svc.health(vm.serverId).state === 'down');
    await pumpUntil(() => false, 30_000, 16).catch(() => undefined); // eight more minutes
    expect(lab.guest(vm.vmid).info().status).toBe('running'); // the shutdown failed: still "running"
    expect(svc.resets(vm.serverId)).toEqual([]);
    expect(lab.requestCounts()[`POST /nodes/pve1/qemu/${vm.vmid}/status/reset`]).toBeUndefined();
    // Once the deliberate action is long past, a guest that is still hung is the watchdog's again.
    await pumpUntil(() => svc.resets(vm.serverId).some((r) => r.finishedAt !== undefined));
    expect(svc.resets(vm.serverId)[0]?.at).toBeGreaterThanOrEqual(shutdownAt + 15 * 60_000);
  });
});
