import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { AlertBook } from '../../src/main/monitoring/alerts/book';
import { escalationsDue } from '../../src/main/monitoring/alerts/escalation';
import { AlertEvaluator, type AlertPolicy } from '../../src/main/monitoring/alerts/evaluator';
import { maintenanceFor, nextMaintenance, windowEnd } from '../../src/main/monitoring/alerts/maintenance';
import { DigestQueue } from '../../src/main/monitoring/channels/digest';
import { outgoingOf } from '../../src/main/monitoring/channels/message';
import { channelsOf, routeOf } from '../../src/main/monitoring/channels/routing';
import { maintenanceWindowSchema, type MaintenanceWindow } from '../../src/shared/contract/alert-policy';
import { alertRulesSchema, monitoringSettingsSchema, type AlertRuleInput } from '../../src/shared/contract/monitoring';
import type { MetricSample } from '../../src/shared/metrics';

const MIN = 60_000;
const rules = (input: AlertRuleInput[]) => alertRulesSchema.parse(input);
const down = (clock: FakeClock, active: boolean) => ({ subject: 'nas', serverId: 'nas', serverName: 'nas', active, at: clock.now(), title: active ? 'nas is down' : 'nas is back', body: '' });
const cpu = (t: number, value: number): MetricSample => ({ t, cpu: value }) as MetricSample;

function setup(input: AlertRuleInput[], policy?: Partial<AlertPolicy>) {
  const clock = new FakeClock(Date.UTC(2026, 11, 6, 6, 0));
  const book = new AlertBook();
  const ev = new AlertEvaluator(book, rules(input), 3 * MIN);
  ev.setPolicy({ overrides: {}, inMaintenance: () => false, ...policy });
  return { clock, book, ev };
}

describe('grace period for event kinds', () => {
  const rule: AlertRuleInput = { id: 'down', kind: 'down', name: 'Down', forMinutes: 2 };

  it('a server down for less than the grace never becomes an alert, nor a notification', async () => {
    const { clock, book, ev } = setup([rule]);
    expect(ev.condition('down', down(clock, true))).toEqual([]);
    await clock.advance(MIN);
    expect(ev.tick(clock.now())).toEqual([]);
    await clock.advance(30_000);
    expect(ev.condition('down', down(clock, false))).toEqual([]);
    await clock.advance(5 * MIN);
    expect(ev.tick(clock.now())).toEqual([]);
    expect(book.list()).toEqual([]);
    expect(ev.pendingCount()).toBe(0);
  });

  it('down through the grace: fires at its end (a repeated "still down" does not restart it), then resolves with a notification', async () => {
    const { clock, ev } = setup([rule]);
    ev.condition('down', down(clock, true));
    const since = clock.now();
    await clock.advance(MIN);
    ev.condition('down', down(clock, true));
    await clock.advance(MIN);
    const [fired] = ev.tick(clock.now());
    expect(fired).toMatchObject({ kind: 'fired', notify: true, alert: { startedAt: since + 2 * MIN, title: 'nas is down' } });
    await clock.advance(MIN);
    expect(ev.condition('down', down(clock, false))).toEqual([expect.objectContaining({ kind: 'resolved', notify: true })]);
  });

  it('without forMinutes an event fires at once, as before', () => {
    const { clock, ev } = setup([{ ...rule, forMinutes: undefined }]);
    expect(ev.condition('down', down(clock, true))).toEqual([expect.objectContaining({ kind: 'fired', notify: true })]);
  });
});

describe('maintenance windows', () => {
  const at = (iso: string) => Date.parse(iso);
  const w = (x: Partial<MaintenanceWindow>): MaintenanceWindow => maintenanceWindowSchema.parse({ id: 'w', name: 'W', target: { serverId: 'nas' }, ...x });

  it('one-off: [start, end)', () => {
    const win = w({ start: at('2026-12-06T06:00:00Z'), end: at('2026-12-06T08:00:00Z') });
    expect(windowEnd(win, at('2026-12-06T05:59:59Z'))).toBeUndefined();
    expect(windowEnd(win, at('2026-12-06T06:00:00Z'))).toBe(at('2026-12-06T08:00:00Z'));
    expect(windowEnd(win, at('2026-12-06T08:00:00Z'))).toBeUndefined();
  });

  it('recurring: each Sunday 02:00 Berlin time for 2 hours, across the DST change', () => {
    const win = w({ cron: '0 2 * * 0', durationMinutes: 120, timezone: 'Europe/Berlin' });
    // Winter (UTC+1): 01:00–03:00 UTC.
    expect(windowEnd(win, at('2026-12-06T01:30:00Z'))).toBe(at('2026-12-06T03:00:00Z'));
    expect(windowEnd(win, at('2026-12-06T03:00:00Z'))).toBeUndefined();
    // Summer (UTC+2): 00:00–02:00 UTC.
    expect(windowEnd(win, at('2026-07-05T00:30:00Z'))).toBe(at('2026-07-05T02:00:00Z'));
    expect(windowEnd(win, at('2026-07-05T02:30:00Z'))).toBeUndefined();
    expect(nextMaintenance([win], { id: 'nas' }, at('2026-12-06T04:00:00Z'))).toBe(at('2026-12-13T01:00:00Z'));
  });

  it('a group window covers its members; groups are read defensively; overlapping windows silence until the latest end', () => {
    const g = w({ id: 'g', target: { group: 'storage' }, start: 0, end: at('2026-12-06T09:00:00Z') });
    const s = w({ start: 0, end: at('2026-12-06T10:00:00Z') });
    const now = at('2026-12-06T07:00:00Z');
    expect(maintenanceFor([g], { id: 'nas', groups: ['storage'] }, now)?.until).toBe(at('2026-12-06T09:00:00Z'));
    expect(maintenanceFor([g], { id: 'web', groups: ['web'] }, now)).toBeUndefined();
    expect(maintenanceFor([g], { id: 'odd', groups: 'storage' }, now)).toBeUndefined();
    expect(maintenanceFor([g], { id: 'none' }, now)).toBeUndefined();
    expect(maintenanceFor([g, s], { id: 'nas', groups: ['storage'] }, now)?.until).toBe(at('2026-12-06T10:00:00Z'));
  });

  it('refuses a window that is neither one-off nor recurring, a bad cron, an end before its start, a bad zone', () => {
    expect(maintenanceWindowSchema.safeParse({ id: 'w', name: 'W', target: { serverId: 'a' } }).success).toBe(false);
    expect(maintenanceWindowSchema.safeParse({ id: 'w', name: 'W', target: { serverId: 'a' }, cron: 'every day', durationMinutes: 5 }).error?.issues[0]?.message).toMatch(/not a cron expression/);
    expect(maintenanceWindowSchema.safeParse({ id: 'w', name: 'W', target: { serverId: 'a' }, start: 10, end: 5 }).error?.issues[0]?.message).toBe('a one-off window ends after it starts');
    expect(maintenanceWindowSchema.safeParse({ id: 'w', name: 'W', target: { group: 'g' }, cron: '0 2 * * *', durationMinutes: 5, timezone: 'Mars/Olympus' }).success).toBe(false);
  });

  it('an alert raised in maintenance is recorded but silenced: no notification when it fires or resolves, and the throttle is not spent', () => {
    let inWindow = true;
    const { clock, book, ev } = setup([{ id: 'down', kind: 'down', name: 'Down' }], { inMaintenance: () => inWindow });
    const [fired] = ev.condition('down', down(clock, true));
    expect(fired).toMatchObject({ kind: 'fired', notify: false, alert: { silenced: true } });
    const [resolved] = ev.condition('down', down(clock, false));
    expect(resolved).toMatchObject({ kind: 'resolved', notify: false });
    inWindow = false;
    expect(ev.condition('down', down(clock, true))).toEqual([expect.objectContaining({ kind: 'fired', notify: true })]);
    expect(book.list({ state: 'active' })[0]?.silenced).toBeUndefined();
  });
});

describe('per-server overrides of a rule', () => {
  const cpuRule: AlertRuleInput = { id: 'cpu', kind: 'cpu', name: 'CPU', threshold: 90, forMinutes: 0, hysteresis: 5 };

  it('a lower threshold for one server fires there only; a rule turned off for a server stays quiet there', () => {
    const overrides = { nas: { cpu: { threshold: 50 } }, db: { cpu: { enabled: false } } };
    const { clock, ev } = setup([cpuRule], { overrides });
    expect(ev.sample('nas', 'nas', cpu(clock.now(), 60))).toEqual([expect.objectContaining({ kind: 'fired', alert: expect.objectContaining({ serverId: 'nas', value: 60 }) })]);
    expect(ev.sample('web', 'web', cpu(clock.now(), 60))).toEqual([]);
    expect(ev.sample('db', 'db', cpu(clock.now(), 99))).toEqual([]);
    expect(ev.sample('web', 'web', cpu(clock.now(), 95))).toHaveLength(1);
  });

  it('a longer grace for one server', async () => {
    const { clock, ev } = setup([{ id: 'down', kind: 'down', name: 'Down' }], { overrides: { nas: { down: { forMinutes: 10 } } } });
    expect(ev.condition('down', down(clock, true))).toEqual([]);
    await clock.advance(9 * MIN);
    expect(ev.tick(clock.now())).toEqual([]);
    await clock.advance(MIN);
    expect(ev.tick(clock.now())).toHaveLength(1);
  });
});

describe('acknowledgement with a note', () => {
  it('keeps the note (a later note replaces it, the time stays), and it survives the book\'s file', async () => {
    const { clock, book, ev } = setup([{ id: 'down', kind: 'down', name: 'Down' }]);
    const [fired] = ev.condition('down', down(clock, true));
    const t = clock.now();
    expect(book.acknowledge(fired!.alert.id, t, 'disk swap, back at noon')?.alert).toMatchObject({ acknowledgedAt: t, ackNote: 'disk swap, back at noon' });
    await clock.advance(MIN);
    expect(book.acknowledge(fired!.alert.id, clock.now(), 'took longer')?.alert).toMatchObject({ acknowledgedAt: t, ackNote: 'took longer' });
    expect(AlertBook.from(JSON.parse(JSON.stringify(book.toJSON()))).get(fired!.alert.id)).toMatchObject({ ackNote: 'took longer' });
  });
});

describe('escalation', () => {
  const rule: AlertRuleInput = { id: 'down', kind: 'down', name: 'Down', escalateAfterMinutes: 15, escalateTo: ['pager'] };

  it('an alert nobody acknowledged in N minutes escalates once; an acknowledged or silenced one never', async () => {
    const { clock, book, ev } = setup([rule]);
    const [fired] = ev.condition('down', down(clock, true));
    const all = ev.currentRules;
    await clock.advance(14 * MIN);
    expect(escalationsDue(book.activeAlerts(), all, clock.now())).toEqual([]);
    await clock.advance(MIN);
    expect(escalationsDue(book.activeAlerts(), all, clock.now())).toEqual([{ alert: expect.objectContaining({ id: fired!.alert.id }), channels: ['pager'] }]);
    book.markEscalated(fired!.alert.id, clock.now());
    expect(escalationsDue(book.activeAlerts(), all, clock.now() + 60 * MIN)).toEqual([]);

    const other = setup([rule]);
    const [a] = other.ev.condition('down', down(other.clock, true));
    other.book.acknowledge(a!.alert.id, other.clock.now(), 'on it');
    expect(escalationsDue(other.book.activeAlerts(), other.ev.currentRules, other.clock.now() + 60 * MIN)).toEqual([]);
  });
});

describe('digest', () => {
  it('one message per period per channel, listing what came in', async () => {
    const clock = new FakeClock(Date.UTC(2026, 11, 6, 6, 0));
    const q = new DigestQueue();
    const period = (id: string) => (id === 'slack' ? 10 * MIN : undefined);
    const { book, ev } = setup([{ id: 'down', kind: 'down', name: 'Down' }]);
    for (const name of ['nas', 'web', 'db']) {
      const [c] = ev.condition('down', { ...down(clock, true), subject: name, serverId: name, serverName: name, title: `${name} is down` });
      q.add('slack', outgoingOf(c!.alert, 'fired'), clock.now());
      await clock.advance(MIN);
    }
    expect(book.list()).toHaveLength(3);
    expect(q.due(clock.now(), period)).toEqual([]);
    await clock.advance(7 * MIN);
    const [d] = q.due(clock.now(), period);
    expect(d?.channelId).toBe('slack');
    expect(d?.message).toMatchObject({ event: 'digest', title: 'Rackdeck: 3 alert updates', severity: 'warning' });
    expect(d?.message.body.split('\n')).toEqual(['06:00 [ALERT] nas is down', '06:01 [ALERT] web is down', '06:02 [ALERT] db is down']);
    expect(q.due(clock.now() + 60 * MIN, period)).toEqual([]);
    // At stop (no period asked for) what waits goes out at once rather than being lost.
    q.add('slack', outgoingOf(book.list()[0]!, 'resolved'), clock.now());
    expect(q.due(clock.now(), () => undefined)).toEqual([{ channelId: 'slack', message: expect.objectContaining({ event: 'resolved' }) }]);
  });
});

describe('migration of the old e-mail and webhook settings', () => {
  it('an old file: its e-mail and webhook appear as channels, and rules keep their booleans\' meaning', () => {
    const old = monitoringSettingsSchema.parse({
      alerts: {
        rules: [
          { id: 'a', kind: 'down', name: 'A' },
          { id: 'b', kind: 'down', name: 'B', email: false },
          { id: 'c', kind: 'down', name: 'C', webhook: false },
        ],
        email: { enabled: true, host: 'smtp.lab.test', from: 'rd@lab.test', to: ['ops@lab.test'] },
        webhook: { enabled: true, format: 'ntfy' },
      },
    });
    const list = channelsOf(old.alerts, () => true);
    expect(list.map((c) => [c.id, c.kind, c.legacy])).toEqual([
      ['email', 'email', true],
      ['webhook', 'webhook', true],
    ]);
    const [a, b, c] = old.alerts.rules;
    expect(routeOf(a, list)).toEqual(['email', 'webhook']);
    expect(routeOf(b, list)).toEqual(['webhook']);
    expect(routeOf(c, list)).toEqual(['email']);
    expect(routeOf({ ...a!, channels: ['webhook', 'gone'] }, list)).toEqual(['webhook']);
    // A fresh file has no channel at all.
    expect(channelsOf(monitoringSettingsSchema.parse({}).alerts, () => false)).toEqual([]);
  });
});
