import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import type { HttpProbe } from '../../src/main/checks/ports';
import type { Notice } from '../../src/shared/events';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { checkSpecSchema, type CheckView } from '../../src/shared/contract/checks';

const http = (fields: Record<string, unknown>) => checkSpecSchema.parse({ kind: 'http', ...fields });

/** The checks' timers on a fake clock: each check on its own interval, only while the engine runs. */
let app: RackdeckApp | undefined;
let home = '';
afterEach(async () => {
  await app?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

function open(probe: HttpProbe) {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-checks-schedule-'));
  const clock = new FakeClock(Date.UTC(2026, 5, 1));
  app = createApp({
    home,
    face: 'cli',
    clock,
    log: silentLogger,
    probe: async (_a, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), true])) }),
    checks: { http: probe },
  });
  return { app, clock };
}

describe('the checks schedule', () => {
  it('runs each check on its own interval while the engine runs, and not after it stops', async () => {
    const calls = new Map<string, number>();
    const { app: a, clock } = open(async (req) => {
      calls.set(req.url, (calls.get(req.url) ?? 0) + 1);
      return { status: 200, body: 'ok', durationMs: 1, redirects: [] };
    });
    a.engine.addServer({ name: 'web', kind: 'physical', address: '127.0.218.40', ports: [80] });
    a.checks.add('web', http({ url: 'http://127.0.218.40/fast', intervalSec: 10 }));
    a.checks.add('web', http({ url: 'http://127.0.218.40/slow', intervalSec: 60 }));
    a.checks.add('web', http({ url: 'http://127.0.218.40/off', enabled: false }));
    expect(calls.size).toBe(0);
    a.start();
    await clock.advance(125_000);
    // First runs within the start spread (5 s), then every interval after each run ends.
    expect(calls.get('http://127.0.218.40/fast')).toBeGreaterThanOrEqual(12);
    expect(calls.get('http://127.0.218.40/fast')).toBeLessThanOrEqual(13);
    expect(calls.get('http://127.0.218.40/slow')).toBe(3);
    expect(calls.get('http://127.0.218.40/off')).toBeUndefined();
    const states = a.checks.list('web');
    expect(states.map((v: CheckView) => v.state.status)).toEqual(['ok', 'ok', 'unknown']);
    expect(states[2]?.state.message).toBe('disabled');
    await a.stop();
    const before = calls.get('http://127.0.218.40/fast');
    await clock.advance(60_000);
    expect(calls.get('http://127.0.218.40/fast')).toBe(before);
  });

  it('a check removed while the engine runs stops running; one added runs at once', async () => {
    const calls: string[] = [];
    const { app: a, clock } = open(async (req) => {
      calls.push(req.url);
      return { status: 200, body: '', durationMs: 1, redirects: [] };
    });
    a.engine.addServer({ name: 'web', kind: 'physical', address: '127.0.218.40', ports: [80] });
    a.start();
    a.checks.add('web', http({ id: 'one', url: 'http://127.0.218.40/one', intervalSec: 10 }));
    await clock.advance(0);
    expect(calls).toEqual(['http://127.0.218.40/one']);
    expect(a.checks.remove('web', 'one')).toBe(true);
    await clock.advance(60_000);
    expect(calls).toEqual(['http://127.0.218.40/one']);
  });

  it('with no alert rule of the kind "check" (rules saved before checks existed), a failing check still raises a notice saying so', async () => {
    const { app: a } = open(async () => ({ status: 500, body: '', durationMs: 1, redirects: [] }));
    a.monitoring.setRules(a.monitoring.alertConfig().rules.filter((r) => r.kind !== 'check'));
    const notices: Notice[] = [];
    a.engine.events.on('notice', (n) => void notices.push(n));
    a.engine.addServer({ name: 'web', kind: 'physical', address: '127.0.218.40', ports: [80] });
    a.checks.add('web', http({ id: 'site', url: 'http://127.0.218.40/' }));
    expect((await a.checks.runNow('web', 'site'))[0]?.state.status).toBe('failing');
    expect(a.monitoring.listAlerts({ state: 'active' })).toEqual([]);
    expect(notices).toContainEqual(expect.objectContaining({ level: 'warning', title: 'web: check "site" is failing', body: expect.stringContaining('No alert rule of the kind "A check failed" is on') }));
  });
});
