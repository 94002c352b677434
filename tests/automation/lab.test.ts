import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab';
import type { SimHost } from '../../src/lab/hosts/host';
import { sshConnect } from '../../src/lab/testing/ssh-client';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import type { NextView, ScheduleView } from '../../src/shared/contract/automation';
import type { Notice } from '../../src/shared/events';
import type { ActionLogEntry, MetricSample } from '../../src/shared/metrics';
import type { ServerView } from '../../src/shared/server';

/**
 * Schedules and idle auto-suspend against the simulated homelab, on a fake clock: the engine's
 * time moves only when the test says, while SSH (`who`, `systemctl suspend`) and the hosts' power
 * are real. The figures (CPU, network) are the test's own: the monitoring's rates come from
 * /proc counters over real time, which a fake clock cannot drive. 127.0.177.x belongs to this file.
 */
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-automation-lab-'));
const home = path.join(stateDir, 'home');
// A Monday, 22:58 UTC.
const clock = new FakeClock(Date.UTC(2026, 0, 5, 22, 58));
const figures = new Map<string, Omit<MetricSample, 't'>>();
let lab: Lab;
let app: RackdeckApp;
const notices: Notice[] = [];

const call = async <T>(channel: string, input: unknown): Promise<T> => {
  const r = await app.router.handle(channel, input, { face: 'test' });
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
const linux = () => lab.hosts.filter((h) => h.spec.os !== 'windows');
const idOf = (host: SimHost) => app.engine.find(host.hostname)!.id;

/** Moves the engine's time on and lets the automation look once. */
async function advance(ms: number): Promise<void> {
  await clock.advance(ms);
  await app.automation.tick();
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  lab = await startLab({ proxmox: false, hosts: 6, seed: 177, firstAddress: '127.0.177.1', wolPort: 0, stateDir, bootDelayMs: 300, suspendDelayMs: 100, initialPower: 'on' });
  app = createApp({
    home,
    face: 'cli',
    clock,
    log: silentLogger,
    power: { fastPollMs: 100, initMs: 86_400_000 },
    automation: { figures: async (id) => ({ t: clock.now(), ...(figures.get(id) ?? { cpu: 50, netIn: 10_000_000, netOut: 0 }) }) },
  });
  app.engine.events.on('notice', (n) => void notices.push(n));
  const [a, b, c, d] = linux();
  for (const host of [a, b, c, d] as SimHost[]) {
    await call<ServerView>('servers.add', {
      name: host.hostname,
      address: host.address,
      mac: host.mac,
      ports: [host.spec.ports.ssh],
      ssh: { user: host.spec.user, port: host.spec.ports.ssh, keyPath: lab.clientKey.privateKeyPath },
      wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [lab.wol.port] },
      powerControl: { useSudo: host.spec.user !== 'root', timeouts: { suspendMs: 20_000 } },
      // The fourth host plays a VM on the third (a hypervisor and its guest).
      ...(host === d ? { parentId: idOf(c as SimHost) } : {}),
    });
  }
  for (const host of [a, b, c, d] as SimHost[]) expect((await app.engine.refresh(idOf(host))).power).toBe('on');
  app.start();
  // Init runs over SSH at start; it must be done before the fake clock jumps past its timeouts.
  await waitFor(() => [a, b, c, d].every((h) => app.engine.view(idOf(h as SimHost))?.system?.initialisedAt !== undefined), 'init of every host', 30_000);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await lab?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe('schedules against the lab', () => {
  it('suspends a host at its time, and the action log says which schedule did it', async () => {
    const host = linux()[0] as SimHost;
    const schedule = await call<ScheduleView>('automation.addSchedule', { name: 'Night', target: { serverId: host.hostname }, action: 'suspend', when: 'daily 23:00', timezone: 'UTC' });
    expect(schedule.cron).toBe('0 23 * * *');
    expect(schedule.nextAt).toBe(Date.UTC(2026, 0, 5, 23, 0));
    const next = await call<NextView>('automation.next', {});
    expect(next.upcoming.find((u) => u.scheduleId === schedule.id)).toMatchObject({ at: Date.UTC(2026, 0, 5, 23, 0), action: 'suspend', serverIds: [idOf(host)] });

    await advance(60_000); // 22:59: not yet
    expect(host.power()).toBe('on');
    await advance(61_000); // 23:00:01
    await waitFor(() => host.power() === 'suspended', `${host.hostname} to suspend`);

    const runs = app.automation.recent().filter((r) => r.serverId === idOf(host));
    expect(runs[0]).toMatchObject({ source: 'schedule', scheduleName: 'Night', action: 'suspend', outcome: 'done' });
    const log = await call<ActionLogEntry[]>('actions.log', { kind: 'automation', serverId: idOf(host) });
    expect(log[0]).toMatchObject({ kind: 'automation', action: 'suspend', result: 'ok', face: 'engine', detail: 'schedule "Night"' });
  });

  it('skips the power-down with the reason while someone is logged in over SSH', async () => {
    const host = linux()[1] as SimHost;
    const id = idOf(host);
    const ssh: Client = await sshConnect({
      host: host.address,
      port: host.spec.ports.ssh ?? 22,
      username: host.spec.user,
      hostKeyFingerprint: lab.describe().hosts.find((h) => h.hostname === host.hostname)!.ssh.hostKeyFingerprint,
      privateKey: fs.readFileSync(lab.clientKey.privateKeyPath),
    });
    try {
      // An interactive login: a shell with a terminal, which sshd records in utmp.
      await new Promise<void>((resolve, reject) => ssh.shell({ term: 'xterm' }, (error) => (error ? reject(error) : resolve())));
      await waitFor(() => host.machine.logins().length === 1, 'the login to be recorded');
      await call<ScheduleView>('automation.addSchedule', { name: 'Late', target: { serverId: id }, action: 'suspend', when: '10 23 * * *', timezone: 'UTC' });

      await advance(10 * 60_000); // 23:10:01
      await waitFor(() => app.automation.recent().some((r) => r.serverId === id), 'the run of "Late"');
      const run = app.automation.recent().find((r) => r.serverId === id)!;
      expect(run).toMatchObject({ outcome: 'skipped', action: 'suspend', scheduleName: 'Late' });
      expect(run.reason).toMatch(new RegExp(`someone is logged in over SSH: ${host.spec.user} \\(127\\.0\\.0\\.1\\)`));
      expect(host.power()).toBe('on');

      const log = await call<ActionLogEntry[]>('actions.log', { kind: 'automation', serverId: id });
      expect(log[0]).toMatchObject({ result: 'skipped', detail: expect.stringContaining('logged in over SSH') });
      const next = await call<NextView>('automation.next', {});
      expect(next.recent.find((r) => r.serverId === id)?.outcome).toBe('skipped');
      // Tomorrow's run is still ahead.
      expect(next.upcoming.some((u) => u.scheduleName === 'Late' && u.at === Date.UTC(2026, 0, 6, 23, 10))).toBe(true);
    } finally {
      ssh.end();
    }
  });
});

describe('idle auto-suspend against the lab', () => {
  it('does not suspend a host while its guest runs; does once the guest stopped and the idle period passed', async () => {
    const [, , hyper, guest] = linux() as SimHost[];
    const id = idOf(hyper!);
    figures.set(id, { cpu: 2, netIn: 1_000, netOut: 2_000 });
    await call('automation.setIdle', { serverId: hyper!.hostname, idleMinutes: 30, cpuBelowPct: 10, netBelowMbps: 1, afterWakeMinutes: 10, action: 'suspend' });

    for (let i = 0; i < 35; i++) await advance(60_000);
    expect(hyper!.power()).toBe('on');
    const held = (await call<Array<{ serverId: string; busy?: string }>>('automation.idle', {})).find((v) => v.serverId === id);
    expect(held?.busy).toMatch(new RegExp(`a guest is running: ${guest!.hostname}`));

    // The guest goes down: the idle count starts then, and runs its full 30 minutes.
    await guest!.suspend();
    await waitFor(async () => (await app.engine.refresh(idOf(guest!))).power !== 'on', 'the guest to be seen down');
    for (let i = 0; i < 29; i++) await advance(60_000);
    expect(hyper!.power()).toBe('on');
    for (let i = 0; i < 3 && hyper!.power() === 'on'; i++) await advance(60_000);
    await waitFor(() => hyper!.power() === 'suspended', `${hyper!.hostname} to suspend`);

    const run = app.automation.recent().find((r) => r.serverId === id);
    expect(run).toMatchObject({ source: 'idle', action: 'suspend', outcome: 'done' });
    expect(notices.find((n) => n.serverId === id && n.keepAwake)).toMatchObject({ title: `${hyper!.hostname} was idle: suspending`, keepAwake: { serverId: id, minutes: 120 } });
  });

  it('keep-awake holds idle auto-suspend off a busy-free host for two hours', async () => {
    const host = linux()[3] as SimHost;
    const id = idOf(host);
    const initialised = app.engine.view(id)?.system?.initialisedAt;
    await host.wake();
    await waitFor(async () => (await app.engine.refresh(id)).power === 'on', `${host.hostname} to be back`);
    // Coming up, it is initialised again over SSH: let that finish before the clock jumps.
    await waitFor(() => app.engine.view(id)?.system?.initialisedAt !== initialised, `init of ${host.hostname}`);
    figures.set(id, { cpu: 1, netIn: 0, netOut: 0 });
    await call('automation.setIdle', { serverId: id, idleMinutes: 5, afterWakeMinutes: 0 });
    const held = await call<{ until: number }>('automation.keepAwake', { serverId: host.hostname });
    expect(held.until).toBe(clock.now() + 120 * 60_000);
    for (let i = 0; i < 10; i++) await advance(60_000);
    expect(host.power()).toBe('on');
    expect((await call<Array<{ serverId: string; busy?: string }>>('automation.idle', {})).find((v) => v.serverId === id)?.busy).toMatch(/kept awake until/);
  });
});
