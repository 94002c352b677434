import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { AlertBook } from '../../src/main/monitoring/alerts/book';
import { AlertEvaluator } from '../../src/main/monitoring/alerts/evaluator';
import { stepThreshold, type ThresholdParams, type ThresholdState } from '../../src/main/monitoring/alerts/threshold';
import { throttleAllows } from '../../src/main/monitoring/alerts/throttle';
import { alertRulesSchema, DEFAULT_ALERT_RULES, monitoringSettingsSchema, type AlertRuleInput } from '../../src/shared/contract/monitoring';

const MIN = 60_000;
const P: ThresholdParams = { threshold: 90, forMs: 5 * MIN, hysteresis: 5, maxGapMs: 3 * MIN };

/** Feeds one value a minute from `start`; returns the changes with the minute they happened at. */
function run(values: number[], params = P, start = 0): { changes: Array<[number, string]>; state: ThresholdState | undefined } {
  let state: ThresholdState | undefined;
  const changes: Array<[number, string]> = [];
  values.forEach((v, i) => {
    const step = stepThreshold(state, v, start + i * MIN, params);
    state = step.state;
    if (step.change) changes.push([i, step.change]);
  });
  return { changes, state };
}

describe('threshold state machine', () => {
  it('fires only after the figure stayed at or above the threshold for the whole duration', () => {
    // 0..4 below; 95 from minute 5: pending at 5, fires at 10 (5 minutes later).
    const { changes, state } = run([10, 20, 30, 40, 50, 95, 95, 95, 95, 95, 95, 95]);
    expect(changes).toEqual([[10, 'fire']]);
    expect(state?.phase).toBe('firing');
  });

  it('the threshold itself counts as above', () => {
    expect(run([90, 90, 90, 90, 90, 90]).changes).toEqual([[5, 'fire']]);
    expect(run([89.99, 89.99, 89.99, 89.99, 89.99, 89.99, 89.99]).changes).toEqual([]);
  });

  it('a dip below the threshold restarts the duration', () => {
    const { changes } = run([95, 95, 95, 95, 80, 95, 95, 95, 95, 95, 95]);
    expect(changes).toEqual([[10, 'fire']]);
  });

  it('hysteresis: a figure hovering just under the line does not clear it, one clearly below does', () => {
    const { changes } = run([95, 95, 95, 95, 95, 95, /* firing */ 88, 86, 91, 85.5, 85, 84.9]);
    expect(changes).toEqual([
      [5, 'fire'],
      [11, 'resolve'],
    ]);
  });

  it('no flapping: around the threshold it fires once and stays', () => {
    const values = [95, 95, 95, 95, 95, 95, ...Array.from({ length: 60 }, (_, i) => (i % 2 ? 91 : 88))];
    expect(run(values).changes).toEqual([[5, 'fire']]);
  });

  it('a duration of zero fires on the first sample at the threshold', () => {
    expect(run([50, 92, 93], { ...P, forMs: 0 }).changes).toEqual([[1, 'fire']]);
  });

  it('a gap in the samples restarts a pending duration (five minutes must be five minutes seen)', () => {
    let state: ThresholdState | undefined;
    const changes: string[] = [];
    for (const [t, v] of [
      [0, 95],
      [1, 95],
      [2, 95],
      // asleep for 10 minutes
      [12, 95],
      [13, 95],
      [14, 95],
      [15, 95],
      [16, 95],
      [17, 95],
    ] as const) {
      const step = stepThreshold(state, v, t * MIN, P);
      state = step.state;
      if (step.change) changes.push(`${t}:${step.change}`);
    }
    expect(changes).toEqual(['17:fire']);
  });

  it('a gap does not end a firing alert: no news is not good news', () => {
    let state = run([95, 95, 95, 95, 95, 95]).state;
    expect(state?.phase).toBe('firing');
    const step = stepThreshold(state, 96, 60 * MIN, P);
    expect(step.change).toBeUndefined();
    state = step.state;
    expect(stepThreshold(state, 20, 61 * MIN, P).change).toBe('resolve');
  });

  it('ignores samples older than the last one and non-finite values', () => {
    const { state } = run([95, 95]);
    expect(stepThreshold(state, 10, 0, P).state).toBe(state);
    expect(stepThreshold(state, Number.NaN, 5 * MIN, P).state).toBe(state);
  });
});

describe('throttle', () => {
  it('allows the first notification, then one per window', () => {
    expect(throttleAllows(undefined, 0, 3_600_000)).toBe(true);
    expect(throttleAllows(0, 3_599_999, 3_600_000)).toBe(false);
    expect(throttleAllows(0, 3_600_000, 3_600_000)).toBe(true);
    expect(throttleAllows(1000, 1001, 0)).toBe(true);
    // A clock stepped back must not mute the rule.
    expect(throttleAllows(10_000, 5_000, 3_600_000)).toBe(true);
  });
});

function evaluator(rules: AlertRuleInput[] = DEFAULT_ALERT_RULES, maxGapMs = 3 * MIN) {
  const book = new AlertBook();
  return { book, ev: new AlertEvaluator(book, alertRulesSchema.parse(rules), maxGapMs) };
}

describe('alert evaluator on a fake clock', () => {
  it('the defaults: 90 % for 5 minutes, one notification per rule and server per hour', () => {
    const settings = monitoringSettingsSchema.parse({});
    const cpu = settings.alerts.rules.find((r) => r.kind === 'cpu');
    expect(cpu).toMatchObject({ threshold: 90, forMinutes: 5, throttleMinutes: 60, enabled: true });
    expect(settings.alerts.rules.map((r) => r.kind).sort()).toEqual(['agent_stale', 'certificate', 'check', 'cpu', 'disk', 'down', 'host_key', 'memory', 'task_failed', 'wake_failed']);
  });

  it('CPU high for five minutes fires one notifying alert; it resolves below the hysteresis line', async () => {
    const clock = new FakeClock();
    const { ev, book } = evaluator();
    const changes = [];
    for (let i = 0; i < 8; i++) {
      changes.push(...ev.sample('nas', 'nas', { t: clock.now(), cpu: 97 }));
      await clock.advance(MIN);
    }
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'fired', notify: true, alert: { kind: 'cpu', serverId: 'nas', state: 'active', title: 'nas: CPU at 97 %' } });
    expect(ev.stateOf('cpu-high', 'nas')?.phase).toBe('firing');
    const resolved = ev.sample('nas', 'nas', { t: clock.now(), cpu: 30 });
    expect(resolved).toEqual([
      expect.objectContaining({ kind: 'resolved', notify: true, message: expect.objectContaining({ title: 'nas: CPU back to 30 %' }), alert: expect.objectContaining({ state: 'resolved', title: 'nas: CPU at 97 %' }) }),
    ]);
    expect(book.list({ state: 'active' })).toEqual([]);
    expect(book.list()).toHaveLength(1);
  });

  it('memory and disk are judged as used over total', () => {
    const { ev } = evaluator([
      { id: 'm', kind: 'memory', name: 'mem', threshold: 80, forMinutes: 0 },
      { id: 'd', kind: 'disk', name: 'disk', threshold: 95, forMinutes: 0 },
    ]);
    const c = ev.sample('a', 'a', { t: 1, memUsed: 81, memTotal: 100, diskUsed: 94, diskTotal: 100 });
    expect(c.map((x) => x.alert.ruleId)).toEqual(['m']);
    expect(c[0]?.alert.value).toBe(81);
    // A sample without the figure leaves the rule where it was.
    expect(ev.sample('a', 'a', { t: 2, cpu: 3 })).toEqual([]);
    expect(ev.sample('a', 'a', { t: 3, memUsed: 10, memTotal: 100, diskUsed: 99, diskTotal: 100 }).map((x) => `${x.alert.ruleId}:${x.kind}`)).toEqual(['m:resolved', 'd:fired']);
  });

  it('throttling: fire, resolve and fire again within the hour notifies once; after the hour it notifies again', async () => {
    const clock = new FakeClock();
    const { ev } = evaluator([{ id: 'c', kind: 'cpu', name: 'cpu', threshold: 90, forMinutes: 0, hysteresis: 0 }]);
    const notified: number[] = [];
    const fired: number[] = [];
    const step = (cpu: number) => {
      for (const c of ev.sample('web', 'web', { t: clock.now(), cpu })) {
        if (c.kind === 'fired') fired.push(clock.now());
        if (c.kind === 'fired' && c.notify) notified.push(clock.now());
      }
    };
    const start = clock.now();
    for (let i = 0; i < 120; i++) {
      step(i % 2 ? 95 : 10);
      await clock.advance(MIN);
    }
    // 60 separate alerts, but only one notification per hour of them.
    expect(fired).toHaveLength(60);
    expect(notified.map((t) => (t - start) / MIN)).toEqual([1, 61]);
  });

  it('a resolution reaches the channels only if its firing did, and not after an acknowledgement', () => {
    const { ev } = evaluator([{ id: 'c', kind: 'cpu', name: 'cpu', threshold: 90, forMinutes: 0, hysteresis: 0, throttleMinutes: 60 }]);
    const first = ev.sample('x', 'x', { t: 0, cpu: 99 })[0];
    expect(first?.notify).toBe(true);
    expect(ev.sample('x', 'x', { t: MIN, cpu: 1 })[0]).toMatchObject({ kind: 'resolved', notify: true });
    // Fires again inside the hour: throttled, so its end is not news either.
    expect(ev.sample('x', 'x', { t: 2 * MIN, cpu: 99 })[0]).toMatchObject({ kind: 'fired', notify: false });
    expect(ev.sample('x', 'x', { t: 3 * MIN, cpu: 1 })[0]).toMatchObject({ kind: 'resolved', notify: false });
    // After the hour: notified; acknowledged; its end is then not sent.
    const again = ev.sample('x', 'x', { t: 70 * MIN, cpu: 99 })[0];
    expect(again).toMatchObject({ kind: 'fired', notify: true });
    expect(ev.book.acknowledge(again!.alert.id, 71 * MIN)?.alert.acknowledgedAt).toBe(71 * MIN);
    expect(ev.sample('x', 'x', { t: 72 * MIN, cpu: 1 })[0]).toMatchObject({ kind: 'resolved', notify: false });
  });

  it('throttles per rule and per server: another server or rule is not muted', () => {
    const { ev } = evaluator([
      { id: 'c1', kind: 'cpu', name: 'cpu', threshold: 90, forMinutes: 0 },
      { id: 'c2', kind: 'cpu', name: 'cpu critical', threshold: 98, forMinutes: 0, severity: 'error' },
    ]);
    const a = ev.sample('a', 'a', { t: 0, cpu: 99 });
    const b = ev.sample('b', 'b', { t: 0, cpu: 99 });
    expect(a.map((c) => [c.alert.ruleId, c.notify])).toEqual([
      ['c1', true],
      ['c2', true],
    ]);
    expect(b.map((c) => c.notify)).toEqual([true, true]);
    expect(b[1]?.alert.severity).toBe('error');
  });

  it('repeating incidents (a second failed wake) notify again once the throttle allows, unless acknowledged', () => {
    const { ev } = evaluator();
    const incident = (at: number, active = true) => ev.condition('wake_failed', { subject: 'pc', serverId: 'pc', serverName: 'pc', active, at, title: 'pc did not wake', body: 'timeout', repeats: true });
    expect(incident(0)[0]).toMatchObject({ kind: 'fired', notify: true });
    expect(incident(10 * MIN)[0]).toMatchObject({ kind: 'repeated', notify: false });
    const later = incident(61 * MIN)[0];
    expect(later).toMatchObject({ kind: 'repeated', notify: true });
    ev.book.acknowledge(later!.alert.id, 62 * MIN);
    expect(incident(200 * MIN)[0]).toMatchObject({ kind: 'repeated', notify: false });
    // A wake that works ends it.
    expect(incident(201 * MIN, false)[0]).toMatchObject({ kind: 'resolved' });
    expect(ev.book.list({ state: 'active' })).toEqual([]);
  });

  it('conditions that merely stay true do not repeat (server down)', () => {
    const { ev } = evaluator();
    const down = (at: number) => ev.condition('down', { subject: 'n', serverId: 'n', serverName: 'n', active: true, at, title: 'n is down', body: '' });
    expect(down(0)).toHaveLength(1);
    expect(down(MIN)).toEqual([]);
    expect(ev.condition('down', { subject: 'n', serverId: 'n', active: false, at: 2 * MIN, title: 'back', body: '' })[0]?.kind).toBe('resolved');
    // Resolving what is not active is nothing.
    expect(ev.condition('down', { subject: 'n', serverId: 'n', active: false, at: 3 * MIN, title: 'back', body: '' })).toEqual([]);
  });

  it('a rule scoped to servers ignores the others; a disabled rule ignores everything', () => {
    const { ev } = evaluator([
      { id: 'only-nas', kind: 'cpu', name: 'nas cpu', threshold: 50, forMinutes: 0, servers: ['nas'] },
      { id: 'off', kind: 'cpu', name: 'off', threshold: 1, forMinutes: 0, enabled: false },
    ]);
    expect(ev.sample('web', 'web', { t: 0, cpu: 99 })).toEqual([]);
    expect(ev.sample('nas', 'nas', { t: 0, cpu: 99 }).map((c) => c.alert.ruleId)).toEqual(['only-nas']);
  });

  it('changing the rules resolves (quietly) the alerts of a removed or disabled rule and restarts changed watches', () => {
    const { ev } = evaluator([
      { id: 'a', kind: 'cpu', name: 'a', threshold: 90, forMinutes: 0 },
      { id: 'b', kind: 'cpu', name: 'b', threshold: 80, forMinutes: 10 },
    ]);
    ev.sample('s', 's', { t: 0, cpu: 95 });
    expect(ev.stateOf('b', 's')?.phase).toBe('pending');
    const changes = ev.setRules(alertRulesSchema.parse([{ id: 'b', kind: 'cpu', name: 'b', threshold: 85, forMinutes: 10 }]), MIN);
    expect(changes).toEqual([expect.objectContaining({ kind: 'resolved', notify: false, alert: expect.objectContaining({ ruleId: 'a' }) })]);
    expect(ev.stateOf('b', 's')).toBeUndefined();
  });

  it('a server removed from the inventory: its alerts end quietly', () => {
    const { ev } = evaluator();
    ev.condition('down', { subject: 'gone', serverId: 'gone', active: true, at: 0, title: 'gone is down', body: '' });
    expect(ev.forgetServer('gone', 1)).toEqual([expect.objectContaining({ kind: 'resolved', notify: false })]);
  });

  it('acknowledging all, and the list filters', () => {
    const { ev, book } = evaluator();
    ev.condition('down', { subject: 'a', serverId: 'a', active: true, at: 1, title: 'a', body: '' });
    ev.condition('down', { subject: 'b', serverId: 'b', active: true, at: 2, title: 'b', body: '' });
    ev.condition('certificate', { subject: 'cluster:lab', active: true, at: 3, title: 'cert', body: '' });
    expect(book.list().map((a) => a.title)).toEqual(['cert', 'b', 'a']);
    expect(book.list({ serverId: 'a' }).map((a) => a.title)).toEqual(['a']);
    expect(book.acknowledgeAll(10, 'b')).toHaveLength(1);
    expect(book.acknowledgeAll(11)).toHaveLength(2);
    expect(book.acknowledgeAll(12)).toHaveLength(0);
    expect(book.list({ limit: 1 })).toHaveLength(1);
  });

  it('the book survives a round trip through its file format, throttle included', () => {
    const { ev, book } = evaluator();
    ev.condition('down', { subject: 'a', serverId: 'a', active: true, at: 5, title: 'a is down', body: 'x' });
    const copy = AlertBook.from(JSON.parse(JSON.stringify(book.toJSON())));
    expect(copy.list()).toEqual(book.list());
    const ev2 = new AlertEvaluator(copy, ev.currentRules, 3 * MIN);
    // Still active after the restart: no second alert.
    expect(ev2.condition('down', { subject: 'a', serverId: 'a', active: true, at: 10, title: 'a is down', body: 'x' })).toEqual([]);
    ev2.condition('down', { subject: 'a', serverId: 'a', active: false, at: 11, title: '', body: '' });
    // Fires again within the hour of the first notification: throttled across the restart.
    expect(ev2.condition('down', { subject: 'a', serverId: 'a', active: true, at: 12, title: 'a is down', body: 'x' })[0]?.notify).toBe(false);
    expect(() => AlertBook.from({ version: 2 })).toThrow();
  });

  it('keeps a bounded number of resolved alerts', () => {
    const book = new AlertBook(10);
    const ev = new AlertEvaluator(book, alertRulesSchema.parse([{ id: 'd', kind: 'down', name: 'down', throttleMinutes: 0 }]), MIN);
    for (let i = 0; i < 50; i++) {
      ev.condition('down', { subject: 's', serverId: 's', active: true, at: i * 2, title: `down ${i}`, body: '' });
      ev.condition('down', { subject: 's', serverId: 's', active: false, at: i * 2 + 1, title: '', body: '' });
    }
    expect(book.list()).toHaveLength(10);
    expect(book.list()[0]?.title).toBe('down 49');
  });

  it('rule validation explains what is wrong, field by field', () => {
    const r = alertRulesSchema.safeParse([
      { id: 'x', kind: 'cpu', name: 'no threshold' },
      { id: 'x', kind: 'memory', name: 'dup', threshold: 50, hysteresis: 60 },
      { id: 'Bad Id', kind: 'down', name: '' },
    ]);
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        '0.threshold: a threshold is required for this kind',
        '1.hysteresis: hysteresis must be below the threshold',
        '2.id: an id is 1–40 lowercase letters, digits or dashes',
        '2.name: a rule needs a name',
      ]),
    );
    // The duplicate id is reported once the items themselves are valid.
    const dup = alertRulesSchema.safeParse([
      { id: 'x', kind: 'down', name: 'a' },
      { id: 'x', kind: 'down', name: 'b' },
    ]);
    expect(dup.error?.issues[0]?.message).toBe('the id "x" is used twice');
  });
});
