import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import type { Prober } from '../../src/main/drivers/probe';
import { QUANTUM } from '../../src/main/store/history/tiers';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import type { IntegrationsStatus } from '../../src/shared/contract/integrations';
import type { MetricSeriesView } from '../../src/shared/contract/monitoring';
import { isGap, type MetricField, type MetricSample } from '../../src/shared/metrics';
import type { ServerView } from '../../src/shared/server';
import { BIN, haveAll, promQuery, startPrometheus, startVictoria, waitUntil, type Running } from './servers';

/**
 * Remote history against a real VictoriaMetrics (Debian's package): every sample is written
 * with Prometheus remote write, a chart read back through PromQL (query_range) matches the
 * local history's, and a store that is down for a minute loses nothing: the batches wait in the
 * disk buffer (0600) and go out once it is back.
 *
 * Time is a FakeClock (started half an hour in the past, so every sample is in the store's
 * past): a "minute" of samples and retries passes in a few real seconds. The store and the
 * HTTP between are real.
 */
const ok = haveAll('remote history tests', BIN.victoria);
const INSTANCE = 'test-rackdeck';
const FIELDS = ['cpu', 'memUsed', 'memTotal', 'load1'] as const;

describe.skipIf(!ok)('remote history in VictoriaMetrics', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-remote-'));
  const home = path.join(stateDir, 'home');
  const vmDir = path.join(stateDir, 'vm');
  // Half an hour ago, 17.5 s into a minute: no sample falls on a bucket's edge.
  const clock = new FakeClock(Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000 + 17_500);
  const closed: Prober = async (_address, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), false])), error: 'connection refused' });
  let vm: Running;
  let app: RackdeckApp;
  let server: ServerView;
  let written = 0;
  let i = 0;

  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await app.router.handle(channel, input, { face: 'test' });
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as T;
  };
  const status = () => call<IntegrationsStatus>('integrations.status', {});

  /** Samples every 5 s of fake time, with figures that vary. */
  async function writeSamples(count: number): Promise<void> {
    for (let k = 0; k < count; k++, i++) {
      await clock.advance(5_000);
      const sample: MetricSample = { t: clock.now(), cpu: 5 + ((i * 7) % 90), memUsed: (1 + (i % 5)) * 1024 ** 3, memTotal: 8 * 1024 ** 3, load1: (i % 4) / 4 };
      app.monitoring.recordAgentSample(server.id, sample);
      written++;
    }
  }
  const storedCount = async () => (await promQuery(vm.url, `count_over_time(rackdeck_sample{rackdeck="${INSTANCE}",server_id="${server.id}",field="cpu"}[2h])`, clock.now()))[0]?.value ?? 0;

  beforeAll(async () => {
    vm = await startVictoria(vmDir);
    app = createApp({ home, face: 'cli', clock, log: silentLogger, probe: closed });
    server = await call<ServerView>('servers.add', { name: 'cabin-nas', address: '127.0.121.1', ports: [22] });
    await call('integrations.setSettings', { remoteWrite: { enabled: true, writeUrl: `${vm.url}/api/v1/write`, instance: INSTANCE, flushIntervalMs: 1_000 } });
    app.engine.start();
    await waitUntil(async () => (await status()).remoteWrite.state === 'ok', 'the remote history running');
  });

  afterAll(async () => {
    await app?.stop();
    await vm?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('writes every sample to the store with remote write', async () => {
    await writeSamples(36);
    await app.integrations.flushRemote();
    const s = await status();
    expect(s.remoteWrite).toMatchObject({ state: 'ok', sent: written * FIELDS.length, pending: 0, dropped: 0 });
    await waitUntil(async () => (await storedCount()) === written, `${written} samples in VictoriaMetrics`);
  });

  it('reads a chart back through PromQL that matches the local history\'s', async () => {
    const remote = await call<MetricSeriesView>('metrics.series', { id: server.id, range: 'hour' });
    await call('integrations.setSettings', { remoteWrite: { enabled: true, writeUrl: `${vm.url}/api/v1/write`, instance: INSTANCE, flushIntervalMs: 1_000, readCharts: false } });
    const local = await call<MetricSeriesView>('metrics.series', { id: server.id, range: 'hour' });
    expect(remote.step).toBe(60_000);
    expect({ ...remote, points: [] }).toEqual({ ...local, points: [] });
    expect(remote.points.filter((p) => !isGap(p)).length).toBeGreaterThanOrEqual(3);
    expectSameChart(remote, local);
    await call('integrations.setSettings', { remoteWrite: { enabled: true, writeUrl: `${vm.url}/api/v1/write`, instance: INSTANCE, flushIntervalMs: 1_000 } });
  });

  it('loses no sample while the store is down for a minute: they wait on disk (0600) and go out when it is back', async () => {
    const before = written;
    const sentBefore = (await status()).remoteWrite.sent;
    await vm.stop();
    await writeSamples(12); // a minute of samples, every 5 s, with a flush try every second
    await waitUntil(async () => (await status()).remoteWrite.state === 'failing', 'the writer noticing the store is down');
    await app.integrations.flushRemote();
    const down = (await status()).remoteWrite;
    expect(down.pending).toBe(12 * FIELDS.length);
    expect(down.bufferBytes).toBeGreaterThan(0);
    expect(down.lastError).toMatch(/ECONNREFUSED|fetch failed/);
    const dir = path.join(home, 'integrations', 'remote-write-buffer');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const files = fs.readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    // Charts fall back to the local history meanwhile.
    const chart = await call<MetricSeriesView>('metrics.series', { id: server.id, range: 'hour' });
    expect(chart.points.some((p) => !isGap(p) && p.t >= clock.now() - 60_000)).toBe(true);

    vm = await startVictoria(vmDir, vm.port);
    // The writer backs off while the store is down: let fake time pass until it tries again.
    await waitUntil(async () => {
      await clock.advance(1_000);
      return (await status()).remoteWrite.pending === 0;
    }, 'the buffer sent');
    const up = (await status()).remoteWrite;
    expect(up).toMatchObject({ state: 'ok', pending: 0, bufferBytes: 0, dropped: 0, sent: sentBefore + 12 * FIELDS.length });
    expect(fs.readdirSync(dir)).toEqual([]);
    await waitUntil(async () => (await storedCount()) === written, `all ${written} samples (${written - before} written while it was down) in VictoriaMetrics`);
  });

  it('keeps what waits in memory on disk across a restart of Rackdeck, and sends it then', async () => {
    await vm.stop();
    await writeSamples(4);
    await app.stop();
    const dir = path.join(home, 'integrations', 'remote-write-buffer');
    expect(fs.readdirSync(dir).length).toBeGreaterThan(0);
    vm = await startVictoria(vmDir, vm.port);
    app = createApp({ home, face: 'cli', clock, log: silentLogger, probe: closed });
    app.engine.start();
    await waitUntil(async () => {
      await clock.advance(1_000);
      return (await status()).remoteWrite.pending === 0 && fs.readdirSync(dir).length === 0;
    }, 'the buffer of the earlier run sent');
    await waitUntil(async () => (await storedCount()) === written, `all ${written} samples in VictoriaMetrics`);
  });
});

describe.skipIf(!haveAll('the remote-write receiver test', BIN.prometheus))('remote history in Prometheus (remote-write receiver)', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-remote-prom-'));
  const clock = new FakeClock(Math.floor((Date.now() - 20 * 60_000) / 60_000) * 60_000 + 17_500);
  let prom: Running;
  let app: RackdeckApp;

  afterAll(async () => {
    await app?.stop();
    await prom?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('takes the same write requests, and a chart read back through PromQL matches the local history\'s', async () => {
    prom = await startPrometheus(path.join(stateDir, 'prometheus'), 'global:\n  scrape_interval: 1m\n', ['--web.enable-remote-write-receiver']);
    app = createApp({ home: path.join(stateDir, 'home'), face: 'cli', clock, log: silentLogger, probe: async (_a, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), false])) }) });
    const call = async <T>(channel: string, input: unknown): Promise<T> => {
      const r = await app.router.handle(channel, input, { face: 'test' });
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value as T;
    };
    const server = await call<ServerView>('servers.add', { name: 'office-nas', address: '127.0.121.2', ports: [22] });
    const settings = { enabled: true, writeUrl: `${prom.url}/api/v1/write`, instance: 'office', flushIntervalMs: 1_000 };
    await call('integrations.setSettings', { remoteWrite: settings });
    app.engine.start();
    for (let k = 0; k < 30; k++) {
      await clock.advance(7_000);
      app.monitoring.recordAgentSample(server.id, { t: clock.now(), cpu: 10 + (k % 9) * 5, load1: k / 10 });
    }
    await app.integrations.flushRemote();
    expect((await call<IntegrationsStatus>('integrations.status', {})).remoteWrite).toMatchObject({ state: 'ok', sent: 60, pending: 0, dropped: 0 });
    const remote = await call<MetricSeriesView>('metrics.series', { id: server.id, range: 'hour' });
    await call('integrations.setSettings', { remoteWrite: { ...settings, readCharts: false } });
    const local = await call<MetricSeriesView>('metrics.series', { id: server.id, range: 'hour' });
    expect(remote.points.filter((p) => !isGap(p)).length).toBeGreaterThanOrEqual(3);
    expectSameChart(remote, local);
  });
});

/**
 * The remote store averages the raw samples; the local history rounds a closed bucket to its
 * field's quantum and keeps it as float32: the same chart, point for point, within half a
 * quantum (and float32's relative error).
 */
function expectSameChart(remote: MetricSeriesView, local: MetricSeriesView): void {
  const shape = (v: MetricSeriesView) => v.points.map((p) => (isGap(p) ? `gap ${p.t}-${p.until}` : `point ${p.t} ${Object.keys(p.avg).sort().join()}`));
  expect(shape(remote)).toEqual(shape(local));
  remote.points.forEach((p, n) => {
    const l = local.points[n]!;
    if (isGap(p) || isGap(l)) return;
    for (const f of Object.keys(p.avg) as MetricField[]) {
      for (const kind of ['avg', 'max'] as const) {
        const [a, b] = [p[kind][f]!, l[kind][f]!];
        expect(Math.abs(a - b), `${kind} ${f} at ${p.t}: ${a} remote, ${b} local`).toBeLessThanOrEqual(QUANTUM[f] / 2 + Math.abs(a) * 1e-6);
      }
    }
  });
}
