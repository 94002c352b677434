import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxmoxClusterHandle } from '../../src/lab/proxmox';
import type { RrdPoint } from '../../src/main/drivers/proxmox/model/rrd';
import { existingByStep, needsBackfill, rrdValues } from '../../src/main/monitoring/backfill';
import { buildBackfill } from '../../src/main/monitoring/io/backfill-series';
import { guestSample, nodeSample } from '../../src/main/monitoring/proxmox-figures';
import { tiersFor } from '../../src/main/monitoring/settings';
import { queryRange } from '../../src/main/store/history/tiers';
import { retentionSchema } from '../../src/shared/contract/monitoring';
import type { ProxmoxGuestInfo } from '../../src/shared/contract/proxmox';
import { isGap, type SeriesPoint } from '../../src/shared/metrics';
import { openEngine, pump } from '../proxmox/engine-kit';
import { startLab } from '../proxmox/lab-kit';

const MIN = 60_000;
const TIERS = tiersFor(retentionSchema.parse({}));

const guest = (over: Partial<ProxmoxGuestInfo> = {}): ProxmoxGuestInfo => ({
  cluster: 'lab',
  id: 'qemu/100',
  type: 'qemu',
  vmid: 100,
  node: 'pve1',
  name: 'web',
  status: 'running',
  template: false,
  tags: [],
  cpu: 0.25,
  maxcpu: 4,
  mem: 2 * 2 ** 30,
  maxmem: 8 * 2 ** 30,
  disk: 0,
  maxdisk: 32 * 2 ** 30,
  netin: 1_000_000,
  netout: 500_000,
  ...over,
});

describe('samples from /cluster/resources figures (pure)', () => {
  it('a running guest: CPU as percent of its CPUs, memory, and network rates between two refreshes', () => {
    const first = guestSample(guest(), 0);
    expect(first.sample).toEqual({ t: 0, cpu: 25, memUsed: 2 * 2 ** 30, memTotal: 8 * 2 ** 30 });
    const second = guestSample(guest({ netin: 1_600_000, netout: 800_000 }), 10_000, first.counters);
    expect(second.sample).toMatchObject({ netIn: 60_000, netOut: 30_000 });
  });

  it('QEMU\'s disk 0 (no guest agent) is no figure; a container\'s disk is', () => {
    expect(guestSample(guest(), 0).sample?.diskUsed).toBeUndefined();
    expect(guestSample(guest({ type: 'lxc', disk: 3 * 2 ** 30 }), 0).sample).toMatchObject({ diskUsed: 3 * 2 ** 30, diskTotal: 32 * 2 ** 30 });
  });

  it('a stopped guest or a template gives no sample (a gap, not a zero); its counters are still kept', () => {
    expect(guestSample(guest({ status: 'stopped' }), 0)).toEqual({ counters: { at: 0, netin: 1_000_000, netout: 500_000 } });
    expect(guestSample(guest({ template: true }), 0).sample).toBeUndefined();
  });

  it('a counter that went back (guest restarted) gives no rate rather than a spike', () => {
    const s = guestSample(guest({ netin: 10 }), 10_000, { at: 0, netin: 5_000_000_000, netout: 0 });
    expect(s.sample?.netIn).toBeUndefined();
  });

  it('a node: CPU, memory and root disk; an offline node nothing', () => {
    expect(nodeSample({ cluster: 'lab', name: 'pve1', status: 'online', cpu: 0.1, mem: 4, maxmem: 16, disk: 10, maxdisk: 100 }, 5)).toEqual({ t: 5, cpu: 10, memUsed: 4, memTotal: 16, diskUsed: 10, diskTotal: 100 });
    expect(nodeSample({ cluster: 'lab', name: 'pve1', status: 'offline' }, 5)).toBeUndefined();
  });
});

describe('backfill from rrddata (pure)', () => {
  const now = Date.UTC(2026, 2, 1, 12, 0, 30);
  const nowS = Math.floor(now / 1000);
  const frame = (res: number, cpu: (i: number) => number): RrdPoint[] =>
    Array.from({ length: 70 }, (_, i) => ({ time: Math.floor(nowS / res) * res - (69 - i) * res, cpu: cpu(i), mem: 1000 + i, maxmem: 4000, netin: 10 * i, netout: 5 })) as RrdPoint[];

  it('fills each tier from the finest timeframe that covers it; coarser points repeat across finer buckets', () => {
    const series = buildBackfill({
      tiers: TIERS,
      kind: 'guest',
      frames: { hour: { avg: frame(60, () => 0.5) }, day: { avg: frame(1800, () => 0.2) }, week: { avg: frame(10800, () => 0.1) }, month: { avg: frame(43200, () => 0.05) }, year: { avg: frame(604800, () => 0.01) } },
      existing: new Map(),
      sampleIntervalMs: MIN,
      now,
    });
    const hour = queryRange(series, 'hour', now).points.filter((p): p is SeriesPoint => !isGap(p));
    expect(hour.length).toBeGreaterThanOrEqual(59);
    expect(hour.every((p) => p.avg.cpu === 50)).toBe(true);
    const day = queryRange(series, 'day', now);
    expect(day.step).toBe(MIN);
    const dayPoints = day.points.filter((p): p is SeriesPoint => !isGap(p));
    // The last 70 minutes from the hour frame, the rest of the day from half-hour points.
    expect(dayPoints.length).toBeGreaterThan(1400);
    expect(dayPoints[0]!.avg.cpu).toBeCloseTo(20, 3);
    expect(dayPoints.at(-1)!.avg.cpu).toBe(50);
    const month = queryRange(series, 'month', now).points.filter((p): p is SeriesPoint => !isGap(p));
    expect(month.length).toBeGreaterThan(200);
    const year = queryRange(series, 'year', now).points.filter((p): p is SeriesPoint => !isGap(p));
    expect(year.length).toBeGreaterThan(300);
    expect(year[0]!.avg.cpu).toBeCloseTo(1, 3);
    // Nothing lies after the last known moment.
    expect(series.last).toBeLessThanOrEqual(now);
  });

  it('averages finer points into a coarser bucket, and keeps their peak from the MAX frame', () => {
    const avg = frame(60, (i) => (i % 2 ? 0.2 : 0.4));
    const max = avg.map((p) => ({ ...p, cpu: 0.9 })) as RrdPoint[];
    const series = buildBackfill({ tiers: TIERS, kind: 'guest', frames: { hour: { avg, max } }, existing: new Map(), sampleIntervalMs: MIN, now });
    const halfHours = queryRange(series, 'week', now).points.filter((p): p is SeriesPoint => !isGap(p));
    const full = halfHours.find((p) => p.t === Math.floor((now - 40 * MIN) / (30 * MIN)) * 30 * MIN)!;
    expect(full.avg.cpu).toBeCloseTo(30, 1);
    expect(full.max.cpu).toBeCloseTo(90, 1);
  });

  it('what Rackdeck recorded itself wins; the bucket still filling stays open', () => {
    const last = now - 10_000;
    const own: SeriesPoint = { t: Math.floor(last / MIN) * MIN, avg: { cpu: 77 }, max: { cpu: 80 } };
    const older: SeriesPoint = { t: Math.floor(last / MIN) * MIN - 5 * MIN, avg: { cpu: 66 }, max: { cpu: 66 } };
    const series = buildBackfill({
      tiers: TIERS,
      kind: 'guest',
      frames: { hour: { avg: frame(60, () => 0.5) } },
      existing: existingByStep([{ step: MIN, points: [older, own] }]),
      existingLast: last,
      sampleIntervalMs: MIN,
      now,
    });
    expect(series.last).toBe(last);
    expect(series.tiers[0]!.open.slot).toBe(Math.floor(last / MIN));
    const hour = queryRange(series, 'hour', now).points.filter((p): p is SeriesPoint => !isGap(p));
    expect(hour.find((p) => p.t === older.t)?.avg.cpu).toBeCloseTo(66, 3);
    expect(hour.find((p) => p.t === own.t)?.avg.cpu).toBeCloseTo(77, 3);
    expect(hour.filter((p) => p.avg.cpu === 50).length).toBeGreaterThan(50);
  });

  it('node points: memused/memtotal, rootused/roottotal and load; absent fields stay absent', () => {
    expect(rrdValues({ time: 1, cpu: 0.5, memused: 1, memtotal: 2, rootused: 3, roottotal: 4, loadavg: 0.7 } as RrdPoint, 'node')).toEqual({ cpu: 50, memUsed: 1, memTotal: 2, diskUsed: 3, diskTotal: 4, load1: 0.7 });
    expect(rrdValues({ time: 1 } as RrdPoint, 'guest')).toEqual({});
  });

  it('a chart needs a backfill only while nothing older than two hours is stored', () => {
    expect(needsBackfill([], now)).toBe(true);
    expect(needsBackfill([{ t: now - MIN, avg: {}, max: {} }], now)).toBe(true);
    expect(needsBackfill([{ t: now - 3 * 3_600_000, gap: true, until: now - 2.5 * 3_600_000 }, { t: now - 3 * 3_600_000, avg: {}, max: {} }], now)).toBe(false);
  });
});

describe('Proxmox figures through the engine, against the lab cluster', () => {
  let lab: ProxmoxClusterHandle;
  let env: ReturnType<typeof openEngine>;
  beforeAll(async () => {
    ({ lab } = await startLab({ guests: 8, seed: 11 }));
  });
  afterAll(async () => {
    await lab?.stop();
  });
  afterEach(() => env?.close());

  it('samples every running guest and node from the discovery figures, with no request of its own', async () => {
    env = openEngine();
    await env.client.proxmox.addCluster({ name: 'lab', url: lab.url, token: `${lab.credentials.adminToken.tokenId}=${lab.credentials.adminToken.secret}`, fingerprint: lab.fingerprint });
    env.engine.start();
    const svc = env.monitoring;
    await env.client.proxmox.discover({});
    await env.clock.advance(10_000);
    await env.client.proxmox.discover({});
    lab.resetRequestLog();
    await svc.tick();
    expect(lab.requestCounts()).toEqual({});
    const latest = await env.client.metrics.latest({});
    const running = env.proxmox.guests().filter((g) => g.status === 'running' && !g.template);
    for (const g of running) {
      const s = latest.find((l) => l.serverId === g.serverId)?.sample;
      expect(s, g.name).toBeDefined();
      expect(s!.cpu).toBeGreaterThanOrEqual(0);
      expect(s!.memTotal).toBe(g.maxmem);
      expect(s!.netIn).toBeGreaterThanOrEqual(0);
    }
    const stopped = env.proxmox.guests().filter((g) => g.status === 'stopped');
    for (const g of stopped) expect(latest.find((l) => l.serverId === g.serverId)).toBeUndefined();
    expect(latest.filter((l) => env.engine.find(l.serverId)?.kind === 'proxmox-node')).toHaveLength(2);
  });

  it('the first view of a guest\'s chart fills its history from rrddata; later views do not ask again', async () => {
    env = openEngine();
    await env.client.proxmox.addCluster({ name: 'lab', url: lab.url, token: `${lab.credentials.adminToken.tokenId}=${lab.credentials.adminToken.secret}`, fingerprint: lab.fingerprint });
    env.engine.start();
    await env.monitoring.tick();
    const g = env.proxmox.guests().find((x) => x.status === 'running' && !x.template)!;
    lab.resetRequestLog();
    const week = await pump(env.clock, env.client.metrics.series({ id: g.serverId, range: 'week' }));
    expect(week.backfilled).toBe(true);
    const counts = lab.requestCounts();
    expect(Object.entries(counts).filter(([k]) => k.includes('rrddata')).reduce((a, [, n]) => a + n, 0)).toBe(10);
    expect(week.points.filter((p) => !isGap(p)).length).toBeGreaterThan(300);
    for (const range of ['hour', 'day', 'month', 'year'] as const) {
      const s = await env.client.metrics.series({ id: g.serverId, range });
      expect(s.backfilled, range).toBeUndefined();
      expect(s.points.filter((p) => !isGap(p)).length, range).toBeGreaterThan(range === 'year' ? 8 : 50);
    }
    lab.resetRequestLog();
    await env.client.metrics.series({ id: g.serverId, range: 'week' });
    expect(lab.requestCounts()).toEqual({});
  });

  it('a guest task through Proxmox is in the action log with its result; a failed one raises an alert', async () => {
    env = openEngine();
    await env.client.proxmox.addCluster({ name: 'lab', url: lab.url, token: `${lab.credentials.adminToken.tokenId}=${lab.credentials.adminToken.secret}`, fingerprint: lab.fingerprint });
    env.engine.start();
    const g = env.proxmox.guests().find((x) => x.status === 'running' && x.type === 'qemu' && !x.template && !x.lock)!;
    const snapshot = async () => {
      const task = await pump(env.clock, env.client.proxmox.snapshotCreate({ guest: g.serverId, name: 'rd-monitoring' }));
      return pump(env.clock, env.proxmox.waitTask(task.upid));
    };
    expect((await snapshot()).outcome).toBe('ok');
    // The same name again: Proxmox refuses it, the task fails.
    expect((await snapshot()).outcome).toBe('error');
    const log = await pump(env.clock, env.client.actions.log({ serverId: g.serverId }));
    expect(log.map((e) => `${e.kind}:${e.action}:${e.result}:${e.face}`)).toEqual([
      'task:snapshot rd-monitoring:started:cli',
      'task:snapshot rd-monitoring:ok:cli',
      'task:snapshot rd-monitoring:started:cli',
      'task:snapshot rd-monitoring:failed:cli',
    ]);
    expect(log[1]?.detail).toMatch(/^qmsnapshot · OK · UPID:/);
    expect(log[3]?.detail).toMatch(/already used/);
    const alerts = await env.client.alerts.list({ state: 'active' });
    expect(alerts).toEqual([expect.objectContaining({ kind: 'task_failed', serverId: g.serverId, title: `${g.name}: snapshot rd-monitoring failed` })]);
  });
});
