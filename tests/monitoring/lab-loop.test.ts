import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab';
import type { SimHost } from '../../src/lab/hosts/host';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { silentLogger } from '../../src/main/base/logger';
import type { MonitoringService } from '../../src/main/monitoring/service';
import type { AlertConfigView, AlertView, LiveMetric, MetricSeriesView, ServiceReport, UptimeSummary } from '../../src/shared/contract/monitoring';
import type { Notice } from '../../src/shared/events';
import { isGap, type ActionLogEntry } from '../../src/shared/metrics';
import type { ServerView } from '../../src/shared/server';

/**
 * The metrics loop against the simulated homelab: real SSH servers answering /proc and df,
 * service ports that speak SSH, HTTP and HTTPS, power that sleeps and wakes. 127.0.67.x belongs
 * to this file.
 */
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-monitoring-lab-'));
const home = path.join(stateDir, 'home');
let lab: Lab;
let app: RackdeckApp;
let svc: MonitoringService;
const notices: Notice[] = [];
const alerts: AlertView[] = [];

const call = async <T>(channel: string, input: unknown, face: 'web' | 'test' = 'test'): Promise<T> => {
  const r = await app.router.handle(channel, input, { face });
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
  return r.value as T;
};
const linux = () => lab.hosts.filter((h) => h.spec.os !== 'windows');
const latestOf = async (id: string) => (await call<LiveMetric[]>('metrics.latest', { ids: [id] }))[0]?.sample;

beforeAll(async () => {
  lab = await startLab({ proxmox: false, hosts: 6, seed: 67, firstAddress: '127.0.67.1', wolPort: 0, stateDir, bootDelayMs: 300, suspendDelayMs: 100, initialPower: 'on' });
  app = createApp({ home, face: 'cli', log: silentLogger, power: { fastPollMs: 100 } });
  svc = app.monitoring;
  app.engine.events.on('notice', (n) => void notices.push(n));
  app.engine.events.on('alerts.changed', (a) => void alerts.push(a));
  for (const host of lab.hosts) {
    const nic = host.spec.nics[0];
    if (nic) host.machine.setWakeOn(nic.name, 'g');
    await call<ServerView>('servers.add', {
      name: host.hostname,
      address: host.address,
      mac: host.mac,
      ports: [host.spec.ports.ssh],
      ssh: { user: host.spec.user, port: host.spec.ports.ssh, keyPath: lab.clientKey.privateKeyPath },
      wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [lab.wol.port] },
      powerControl: { timeouts: { wakeMs: 20_000, suspendMs: 20_000 } },
    });
  }
  app.engine.start();
  await waitFor(() => linux().every((h) => app.engine.find(h.hostname) && app.engine.view(app.engine.find(h.hostname)!.id)?.system?.initialisedAt !== undefined), 30_000);
});

afterAll(async () => {
  await app?.stop();
  await lab?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const idOf = (host: SimHost) => app.engine.find(host.hostname)!.id;

describe('the metrics loop against the lab', () => {
  it('polls every initialised Linux host over SSH: memory, disk and load, then CPU and network rates', async () => {
    await svc.tick();
    // CPU and network rates need two readings whose counters moved: poll until every host has them.
    await pollUntil(async () => {
      await svc.tick();
      const samples = await Promise.all(linux().map((h) => latestOf(idOf(h))));
      return samples.every((s) => s?.cpu !== undefined && s.netIn !== undefined);
    });
    for (const host of linux()) {
      const s = await latestOf(idOf(host));
      expect(s, host.hostname).toBeDefined();
      expect(s!.memTotal).toBe(Math.floor(host.spec.memTotalKb) * 1024);
      expect(s!.cpu).toBeGreaterThanOrEqual(0);
      expect(s!.cpu).toBeLessThanOrEqual(100);
      expect(s!.diskTotal).toBe(host.spec.mounts.find((m) => m.target === '/')!.sizeBytes);
      expect(s!.netIn).toBeGreaterThan(0);
    }
    // The Windows desktop has no /proc: it is not polled.
    const windows = lab.hosts.find((h) => h.spec.os === 'windows')!;
    expect(await latestOf(idOf(windows))).toBeUndefined();
  });

  it('a host asleep is skipped; the sleep and the wake are in the action log, from the face that asked', async () => {
    const host = linux()[2] as SimHost;
    const id = idOf(host);
    const before = (await latestOf(id))!.t;
    await call('power.run', { id, action: 'suspend' }, 'web');
    expect(await app.power.waitSettled(id)).toBe('reached');
    expect(host.power()).toBe('suspended');
    await svc.tick();
    expect((await latestOf(id))!.t).toBe(before);

    await call('power.run', { id, action: 'wake' }, 'web');
    expect(await app.power.waitSettled(id)).toBe('reached');
    await svc.tick();
    expect((await latestOf(id))!.t).toBeGreaterThan(before);

    const log = await call<ActionLogEntry[]>('actions.log', { serverId: id });
    expect(log.map((e) => `${e.action}:${e.result}:${e.face}`)).toEqual(['suspend:started:web', 'suspend:ok:web', 'wake:started:web', 'wake:ok:web']);
    expect(log[0]).toMatchObject({ kind: 'power', serverName: host.hostname });
    const csv = await call<{ csv: string; count: number }>('actions.csv', { serverId: id });
    expect(csv.count).toBe(4);
    expect(csv.csv.split('\r\n')[0]).toBe('id,time,server_id,server,kind,action,face,result,detail');
  });

  it('uptime counts the time asleep, and the energy it saved', async () => {
    const id = idOf(linux()[2] as SimHost);
    const u = await call<UptimeSummary>('metrics.uptime', { id });
    const day = u.windows[0]!;
    expect(day.label).toBe('Last 24 hours');
    expect(day.report.suspendedMs).toBeGreaterThan(0);
    expect(day.report.onMs).toBeGreaterThan(0);
    expect(day.savedWh).toBeGreaterThan(0);
    expect(u.watts).toEqual({ idleWatts: 30, suspendedWatts: 3, offWatts: 1 });
    expect(u.changes[0]?.state).toBe('on');
  });

  it('a host under load raises the CPU alert, with a notice; when the load goes it resolves', async () => {
    const host = linux()[1] as SimHost;
    const id = idOf(host);
    const config = await call<AlertConfigView>('alerts.rules', {});
    const rules = config.rules.map((r) => (r.id === 'cpu-high' ? { ...r, threshold: 60, forMinutes: 0, hysteresis: 10, servers: [id] } : r));
    await call('alerts.setRules', { rules });
    const normal = host.spec.cpuLoad;
    host.spec.cpuLoad = 0.97;
    try {
      // The first reading may still straddle the change: poll until one taken under the load raises it.
      await pollUntil(async () => {
        await svc.tick();
        return alerts.some((a) => a.kind === 'cpu' && a.serverId === id && a.state === 'active');
      });
      const notice = notices.find((n) => n.serverId === id && /CPU at \d+ %/.test(n.title));
      expect(notice).toMatchObject({ level: 'warning', title: expect.stringMatching(new RegExp(`^${host.hostname}: CPU at \\d+ %$`)) });
      const [active] = await call<AlertView[]>('alerts.list', { state: 'active', serverId: id });
      expect(active!.value).toBeGreaterThanOrEqual(60);
    } finally {
      host.spec.cpuLoad = normal;
    }
    await pollUntil(async () => {
      await svc.tick();
      return alerts.some((a) => a.kind === 'cpu' && a.serverId === id && a.state === 'resolved');
    });
  });

  it('service checks: the configured SSH port (named by its banner), and web UIs with links', async () => {
    const host = linux().find((h) => h.spec.ports.http && h.spec.ports.https) as SimHost;
    const report = await call<ServiceReport>('metrics.services', { id: idOf(host), refresh: true });
    const by = new Map(report.services.map((s) => [s.port, s]));
    expect(by.get(2222)).toMatchObject({ name: 'ssh', open: true, configured: true });
    expect(by.get(2222)?.url).toBeUndefined();
    expect(by.get(8080)).toMatchObject({ open: true, configured: false, url: `http://${host.address}:8080/` });
    expect(by.get(8443)).toMatchObject({ open: true, url: `https://${host.address}:8443/` });
    expect(by.get(22)).toMatchObject({ name: 'ssh', open: false });
    expect(by.get(8006)?.open).toBe(false);
    expect(report.services[0]?.port).toBe(2222);
    // A sleeping server is not checked; the note says why.
    const sleeper = linux().find((h) => h !== host && h !== linux()[2]) as SimHost;
    await sleeper.suspend();
    await app.engine.refresh(idOf(sleeper));
    const asleep = await call<ServiceReport>('metrics.services', { id: idOf(sleeper) });
    expect(asleep.note).toMatch(/^It is off: services are checked while it runs\.$/);
    await sleeper.powerOn();
    await app.engine.refresh(idOf(sleeper));
  });

  it('charts read the history, and a stop writes it: a fresh process reads the same figures', async () => {
    const id = idOf(linux()[0] as SimHost);
    const series = await call<MetricSeriesView>('metrics.series', { id, range: 'hour' });
    const points = series.points.filter((p) => !isGap(p));
    expect(points.length).toBeGreaterThanOrEqual(1);
    await app.stop();
    const again = createApp({ home, face: 'cli', log: silentLogger });
    try {
      const r = await again.router.handle('metrics.series', { id, range: 'hour' }, { face: 'cli' });
      expect(r.ok && (r.value as MetricSeriesView).points.filter((p) => !isGap(p))).toEqual(points);
      const log = await again.router.handle('actions.log', {}, { face: 'cli' });
      expect(log.ok && (log.value as ActionLogEntry[]).length).toBeGreaterThanOrEqual(4);
    } finally {
      await again.stop();
    }
  });
});

/** Repeats `step` (which polls once and says whether the condition holds) until it does. */
async function pollUntil(step: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await step())) {
    if (Date.now() > end) throw new Error('condition not met in time');
  }
}

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
