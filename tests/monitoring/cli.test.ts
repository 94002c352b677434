import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn } from '../cli/run';
import { parseSince, sparkline } from '../../src/main/faces/cli/commands/monitoring';
import { AlertBook } from '../../src/main/monitoring/alerts/book';
import { AlertEvaluator } from '../../src/main/monitoring/alerts/evaluator';
import { saveAlertBook } from '../../src/main/monitoring/io/alerts-file';
import { HistoryStore } from '../../src/main/store/history';
import { alertRulesSchema, DEFAULT_ALERT_RULES, type AlertView } from '../../src/shared/contract/monitoring';
import type { ActionLogEntry, MetricSeries } from '../../src/shared/metrics';

/**
 * `rackdeck metrics`, `alerts` and `log` on a home seeded the way a running engine leaves it:
 * two hours of minute samples, a few actions and an active alert. The CLI only reads: the
 * history files are the same bytes afterwards.
 */
let home: string;
const now = Date.now();
const MIN = 60_000;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-cli-monitoring-'));
  fs.writeFileSync(
    path.join(home, 'config.json'),
    JSON.stringify({ schemaVersion: 1, servers: [{ id: 'nas', name: 'nas', kind: 'physical', address: '127.0.0.1', ports: [1], createdAt: now }], settings: {} }),
  );
  const store = await HistoryStore.open({ dir: path.join(home, 'history') });
  for (let i = 120; i >= 1; i--) {
    const t = now - i * MIN;
    store.record('nas', { t, cpu: i % 10 === 0 ? 95 : 20, memUsed: 4 * 2 ** 30, memTotal: 16 * 2 ** 30, diskUsed: 100e9, diskTotal: 500e9, netIn: 125_000, netOut: 12_500, load1: 0.5 });
  }
  store.logAction({ at: now - 90 * MIN, kind: 'power', action: 'suspend', serverId: 'nas', serverName: 'nas', face: 'web', result: 'started' });
  store.logAction({ at: now - 89 * MIN, kind: 'power', action: 'suspend', serverId: 'nas', serverName: 'nas', face: 'web', result: 'ok' });
  store.logAction({ at: now - 10 * MIN, kind: 'power', action: 'wake', serverId: 'nas', serverName: 'nas', face: 'cli', result: 'timeout', detail: 'did not answer, =HYPERLINK("x")' });
  await store.close();
  const book = new AlertBook();
  new AlertEvaluator(book, alertRulesSchema.parse(DEFAULT_ALERT_RULES), 3 * MIN).condition('down', { subject: 'nas', serverId: 'nas', serverName: 'nas', active: true, at: now - 5 * MIN, title: 'nas is down', body: 'It stopped answering.' });
  saveAlertBook(home, book);
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  return runCliIn(home, argv);
}

const snapshotFiles = () => Object.fromEntries(fs.readdirSync(path.join(home, 'history')).map((f) => [f, fs.readFileSync(path.join(home, 'history', f), 'utf8')]));

describe('rackdeck metrics', () => {
  it('prints latest, average and peak of each figure over the range, and a CPU sparkline', async () => {
    const before = snapshotFiles();
    const r = await cli('metrics', 'nas', '--range', 'hour');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    // Samples stop a minute before `now`; the window moves with the real clock, so on a loaded
    // machine where minutes pass between seeding and this line, fewer buckets still hold data.
    const head = /^nas · last hour · 1 min buckets · (\d+) of 60 with data$/.exec(lines[0] ?? '');
    expect(head).not.toBeNull();
    const minutesPassed = Math.ceil((Date.now() - now) / MIN);
    expect(Number(head?.[1])).toBeGreaterThanOrEqual(59 - minutesPassed);
    expect(Number(head?.[1])).toBeLessThanOrEqual(60);
    expect(r.out).toMatch(/^CPU\s+20\.0 %\s+2\d\.\d %\s+95\.0 %$/m);
    expect(r.out).toMatch(/^Memory of 16\.0 GiB\s+4\.0 GiB \(25\.0 %\)/m);
    expect(r.out).toMatch(/^Network in\s+1\.0 Mb\/s/m);
    expect(lines.at(-1)).toMatch(/^CPU {2}[▁▂▃▄▅▆▇█ ]+$/);
    expect(lines.at(-1)).toContain('█');
    // Reading never writes: not a byte of the history changed.
    expect(snapshotFiles()).toEqual(before);
  });

  it('--json gives the whole series; the day is the default range', async () => {
    const r = await cli('metrics', 'nas', '--json');
    expect(r.code).toBe(0);
    const series = JSON.parse(r.out) as MetricSeries;
    expect(series).toMatchObject({ serverId: 'nas', range: 'day', step: MIN });
    expect(series.points.filter((p) => !('gap' in p)).length).toBeGreaterThanOrEqual(119);
  });

  it('a wrong range is a usage error; an unknown server is "not found"', async () => {
    expect(await cli('metrics', 'nas', '--range', 'fortnight')).toMatchObject({ code: 2, err: expect.stringContaining('--range must be one of hour, day, week, month, year') });
    expect(await cli('metrics', 'ghost')).toMatchObject({ code: 4, err: expect.stringContaining('Server "ghost" was not found') });
  });
});

describe('rackdeck alerts', () => {
  it('lists the active alerts; --json for scripts', async () => {
    const r = await cli('alerts');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ID\s+STATE\s+SEVERITY\s+SERVER\s+SINCE\s+ACK\s+ALERT$/m);
    expect(r.out).toMatch(/^a1\s+ACTIVE\s+error\s+nas\s+5m ago\s+-\s+nas is down$/m);
    const json = JSON.parse((await cli('alerts', '--json')).out) as AlertView[];
    expect(json).toEqual([expect.objectContaining({ id: 'a1', kind: 'down', state: 'active' })]);
  });

  it('--ack acknowledges, and it stays acknowledged', async () => {
    expect(await cli('alerts', '--ack', 'a1')).toMatchObject({ code: 0, out: 'Acknowledged a1: nas is down' });
    expect((await cli('alerts')).out).toMatch(/^a1\s+ACTIVE\s+error\s+nas\s+5m ago\s+yes\s+nas is down$/m);
    expect(await cli('alerts', '--ack', 'zz')).toMatchObject({ code: 4 });
  });
});

describe('rackdeck log', () => {
  it('shows the action log, filtered by time, server and kind', async () => {
    const all = await cli('log');
    expect(all.code).toBe(0);
    expect(all.out.split('\n')).toHaveLength(4);
    expect(all.out).toMatch(/nas\s+power\s+suspend\s+web\s+started/);
    const recent = await cli('log', '--since', '30m');
    expect(recent.out.split('\n')).toHaveLength(2);
    expect(recent.out).toMatch(/wake\s+cli\s+timeout\s+did not answer/);
    expect((await cli('log', '--kind', 'task')).out).toBe('No actions logged.');
    const json = JSON.parse((await cli('log', '--server', 'nas', '--json')).out) as ActionLogEntry[];
    expect(json.map((e) => e.result)).toEqual(['started', 'ok', 'timeout']);
  });

  it('--csv for a spreadsheet, formula-looking text defused', async () => {
    const r = await cli('log', '--csv', '--limit', '1');
    expect(r.code).toBe(0);
    const [header, row] = r.out.split('\r\n');
    expect(header).toBe('id,time,server_id,server,kind,action,face,result,detail');
    expect(row).toMatch(/^3,\d{4}-\d\d-\d\dT[^,]+,nas,nas,power,wake,cli,timeout,"did not answer, =HYPERLINK\(""x""\)"$/);
  });

  it('bad options are usage errors', async () => {
    expect(await cli('log', '--kind', 'reboot')).toMatchObject({ code: 2 });
    expect(await cli('log', '--since', 'yesterday-ish')).toMatchObject({ code: 2, err: expect.stringContaining('--since takes a duration') });
  });

  it('parses --since and draws sparklines', () => {
    expect(parseSince('2h', 10 * 3_600_000)).toBe(8 * 3_600_000);
    expect(parseSince('7d', 10 * 86_400_000)).toBe(3 * 86_400_000);
    expect(parseSince('2026-01-31', 0)).toBe(Date.UTC(2026, 0, 31));
    expect(sparkline([0, 50, 100, null], 4)).toBe('▁▅█ ');
    expect(sparkline([], 10)).toBe('');
  });
});
