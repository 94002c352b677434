import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { silentLogger } from '../../src/main/base/logger';
import type { MonitoringService } from '../../src/main/monitoring/service';
import type { AlertView, LiveMetric, LiveMetricsBatch, MetricSeriesView } from '../../src/shared/contract/monitoring';
import { isGap, type MetricSample } from '../../src/shared/metrics';
import { sshdAvailable, startSshd, type SshdFixture } from '../ssh/sshd-fixture';

const suite = sshdAvailable ? describe : describe.skip;

/**
 * The metrics loop's SSH path against a real OpenSSH sshd on loopback: the same METRICS_COMMAND
 * a homelab host gets, run over the power controller's pooled, pinned connection, reading this
 * machine's own /proc and df. The figures are checked against what Node reads of the same machine.
 */
suite('SSH metrics against a real sshd reading this machine', () => {
  let sshd: SshdFixture;
  let app: RackdeckApp;
  let svc: MonitoringService;
  let home: string;
  const batches: LiveMetricsBatch[] = [];
  const alerts: AlertView[] = [];
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await app.router.handle(channel, input, { face: 'test' });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };

  beforeAll(async () => {
    sshd = await startSshd();
    home = path.join(sshd.dir, 'rackdeck-home');
    app = createApp({ home, face: 'cli', log: silentLogger });
    svc = app.monitoring;
    app.engine.events.on('metrics.live', (b) => void batches.push(b));
    app.engine.events.on('alerts.changed', (a) => void alerts.push(a));
    await call('servers.add', { name: 'self', address: '127.0.0.1', ports: [sshd.port], ssh: { user: sshd.user, port: sshd.port, keyPath: sshd.key.path } });
    app.engine.start();
    // Key exchange, init facts and the first metrics poll: seconds on a quiet machine, 20 s and more with both cores busy.
    await waitFor(() => app.engine.view('self')?.system?.initialisedAt !== undefined, 50_000);
  });
  afterAll(async () => {
    await app?.stop();
    await sshd?.stop();
  });

  let first: MetricSample;
  let second: MetricSample;

  it('the first poll reads memory, disk and load (no rates yet: there is no interval to measure)', async () => {
    await svc.tick();
    const latest = await call<LiveMetric[]>('metrics.latest', { ids: ['self'] });
    first = latest[0]!.sample;
    expect(first.memTotal).toBe(os.totalmem());
    expect(first.memUsed).toBeGreaterThan(0);
    expect(first.memUsed).toBeLessThan(os.totalmem());
    // The root filesystem as df sees it, in bytes.
    const root = fs.statfsSync('/');
    expect(first.diskTotal).toBe(root.blocks * root.bsize);
    expect(first.load1).toBeGreaterThanOrEqual(0);
    expect(Math.abs((first.load1 ?? 0) - os.loadavg()[0]!)).toBeLessThan(2);
  });

  it('the second poll adds CPU and network rates from the deltas', async () => {
    // The rates need the kernel's counters (1/100 s ticks) to have moved between two readings:
    // poll again until they have, rather than guessing how long that takes.
    const deadline = Date.now() + 10_000;
    do {
      await svc.tick();
      second = (await call<LiveMetric[]>('metrics.latest', { ids: ['self'] }))[0]!.sample;
    } while ((second.cpu === undefined || second.netIn === undefined || second.netOut === undefined) && Date.now() < deadline);
    expect(second.t).toBeGreaterThan(first.t);
    expect(second.cpu).toBeGreaterThanOrEqual(0);
    expect(second.cpu).toBeLessThanOrEqual(100);
    expect(second.netIn).toBeGreaterThanOrEqual(0);
    expect(second.netOut).toBeGreaterThanOrEqual(0);
  });

  it('each sample went out as a live figure and into the history', async () => {
    const seen = batches.flatMap((b) => b.samples.filter((s) => s.serverId === 'self').map((s) => s.sample.t));
    expect(seen).toEqual(expect.arrayContaining([first.t, second.t]));
    const series = await call<MetricSeriesView>('metrics.series', { id: 'self', range: 'hour' });
    const points = series.points.filter((p) => !isGap(p));
    expect(points.length).toBeGreaterThanOrEqual(1);
    expect(series.step).toBe(60_000);
    await svc.flushHistory();
    expect(fs.readFileSync(path.join(home, 'history', 'journal.ndjson'), 'utf8')).toContain('"self"');
  });

  it('a changed host key stops the polls and raises an alert; the old figures stay', async () => {
    await sshd.rotateHostKey();
    // sshd's per-session children outlive a restart; a reinstalled host would drop the link. Storing
    // (here: clearing) a credential makes the pool let go of its connection, as it does for real.
    await call('power.setSecret', { id: 'self', name: 'ssh.passphrase', value: null });
    await svc.tick();
    await waitFor(() => app.engine.view('self')?.hostKey !== undefined);
    await waitFor(() => alerts.some((a) => a.kind === 'host_key' && a.state === 'active'), 3000);
    const before = (await call<LiveMetric[]>('metrics.latest', { ids: ['self'] }))[0]!.sample.t;
    await svc.tick();
    expect((await call<LiveMetric[]>('metrics.latest', { ids: ['self'] }))[0]!.sample.t).toBe(before);
    // Accepting the new key ends the alert.
    await call('power.acceptHostKey', { id: 'self' });
    await waitFor(() => alerts.some((a) => a.kind === 'host_key' && a.state === 'resolved'), 3000);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
