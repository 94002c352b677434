import { describe, expect, it } from 'vitest';
import { busyReason, parseWho, skipReasons, type Observation } from '../../src/main/automation/conditions';
import { idleStep } from '../../src/main/automation/idle';
import { dueSchedules, upcoming } from '../../src/main/automation/plan';
import { childrenOn, groupsOf, membersOf } from '../../src/main/automation/targets';
import { readWhen, runTimes } from '../../src/main/automation/when';
import { automationSettingsSchema, conditionsSchema, idlePolicySchema, scheduleSchema, type Schedule } from '../../src/shared/contract/automation';
import { settingsSchema } from '../../src/shared/settings';
import type { ServerConfig } from '../../src/shared/server';

const server = (id: string, extra: Partial<ServerConfig> & { groups?: unknown } = {}) => ({ id, name: id, kind: 'physical', address: '127.0.0.1', ports: [22], createdAt: 0, ...extra }) as ServerConfig;
const MIN = 60_000;

describe('when a schedule runs', () => {
  it('reads the simple forms as cron', () => {
    expect(readWhen('weekdays 07:00')).toEqual({ ok: true, cron: '0 7 * * 1-5' });
    expect(readWhen('daily 23:30')).toEqual({ ok: true, cron: '30 23 * * *' });
    expect(readWhen('sat,sun 09:00')).toEqual({ ok: true, cron: '0 9 * * 6,0' });
    expect(readWhen('Mon-Fri at 6:05')).toEqual({ ok: true, cron: '5 6 * * 1-5' });
    expect(readWhen('weekends 10:15')).toEqual({ ok: true, cron: '15 10 * * 0,6' });
    expect(readWhen('*/15 * * * *')).toEqual({ ok: true, cron: '*/15 * * * *' });
  });

  it('refuses what it cannot read, saying why', () => {
    expect(readWhen('someday 07:00')).toMatchObject({ ok: false, error: expect.stringContaining('not a day form') });
    expect(readWhen('daily 24:00')).toMatchObject({ ok: false, error: expect.stringContaining('not a time of day') });
    expect(readWhen('0 7 * *')).toMatchObject({ ok: false, error: expect.stringContaining('neither a cron expression') });
    expect(readWhen('0 25 * * *')).toMatchObject({ ok: false, error: expect.stringContaining('cannot be read') });
    expect(readWhen('daily 07:00', 'Nowhere/City')).toMatchObject({ ok: false, error: expect.stringContaining('not a time zone') });
  });

  it('follows the time zone across DST: the 02:30 that does not exist runs after the gap, the one that happens twice runs once', () => {
    const { cron } = readWhen('daily 02:30') as { cron: string };
    // Europe/Paris springs forward on 2026-03-29 (02:00 → 03:00) and falls back on 2026-10-25.
    const spring = runTimes(cron, 'Europe/Paris', Date.UTC(2026, 2, 27, 12), Date.UTC(2026, 2, 30, 12)).map((t) => new Date(t).toISOString());
    expect(spring).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    const autumn = runTimes(cron, 'Europe/Paris', Date.UTC(2026, 9, 24, 12), Date.UTC(2026, 9, 26, 12));
    expect(autumn.map((t) => new Date(t).toISOString())).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });
});

describe('the plan', () => {
  const nas = server('nas', { groups: ['storage'] });
  const pve = server('pve', { groups: ['lab', 'storage'] });
  const old = server('old', { groups: 'not-a-list' as unknown as string[] }); // a hand-edited file
  const schedule = (extra: Partial<Schedule>): Schedule => scheduleSchema.parse({ id: 's1', target: { group: 'storage' }, action: 'suspend', when: 'daily 23:00', timezone: 'UTC', ...extra });

  it('resolves a group to its members, reading groups defensively', () => {
    expect(membersOf({ group: 'storage' }, [nas, pve, old]).map((s) => s.id)).toEqual(['nas', 'pve']);
    expect(membersOf({ serverId: 'old' }, [nas, pve, old]).map((s) => s.id)).toEqual(['old']);
    expect(groupsOf(old)).toEqual([]);
  });

  it('lists the next 24 hours in time order, and notes a run with nobody to act on', () => {
    const from = Date.UTC(2026, 0, 5, 12);
    const list = upcoming([schedule({}), schedule({ id: 's2', action: 'wake', when: 'daily 07:00', target: { group: 'empty' } }), schedule({ id: 's3', enabled: false })], [nas, pve], from, from + 24 * 3_600_000);
    expect(list).toEqual([
      { at: Date.UTC(2026, 0, 5, 23), scheduleId: 's1', action: 'suspend', serverIds: ['nas', 'pve'] },
      { at: Date.UTC(2026, 0, 6, 7), scheduleId: 's2', action: 'wake', serverIds: [], note: 'group empty has no member' },
    ]);
  });

  it('finds what fell due since the last look, once, at its latest time', () => {
    const s = schedule({ when: '*/10 * * * *' });
    expect(dueSchedules([s], Date.UTC(2026, 0, 5, 22, 55), Date.UTC(2026, 0, 5, 22, 59))).toEqual([]);
    expect(dueSchedules([s], Date.UTC(2026, 0, 5, 22, 55), Date.UTC(2026, 0, 5, 23, 25))).toEqual([{ schedule: s, at: Date.UTC(2026, 0, 5, 23, 20) }]);
  });
});

describe('conditions', () => {
  const o = (extra: Partial<Observation>): Observation => ({ childrenOn: [], logins: [], cpu: 1, netMbps: 0.1, ...extra });
  const c = conditionsSchema.parse({ cpuAbovePct: 50, netAboveMbps: 100 });

  it('says why a power-down is skipped, one reason per condition met', () => {
    expect(skipReasons(o({}), c)).toEqual([]);
    expect(skipReasons(o({ logins: ['admin (192.0.2.4)'], childrenOn: ['vm1', 'ct2'], backups: ['101'], cpu: 80, netMbps: 250 }), c)).toEqual([
      'someone is logged in over SSH: admin (192.0.2.4)',
      '2 guests are running: vm1, ct2',
      'a backup is running (vzdump 101)',
      'CPU at 80.0 % is above 50 %',
      'network at 250.0 Mb/s is above 100 Mb/s',
    ]);
    expect(skipReasons(o({ logins: undefined, loginsError: 'connection refused' }), c)).toEqual(['who is logged in cannot be read (connection refused)']);
    expect(skipReasons(o({ logins: ['admin on pts/0'] }), conditionsSchema.parse({ sshLogins: false }))).toEqual([]);
  });

  it('reads who', () => {
    expect(parseWho('admin    pts/0        2026-01-05 22:58 (127.0.0.1)\nroot     tty1         2026-01-05 08:00\n\n')).toEqual(['admin (127.0.0.1)', 'root on tty1']);
    expect(parseWho('')).toEqual([]);
  });

  it('lists the children that run', () => {
    const servers = [server('host'), server('vm1', { parentId: 'host' }), server('vm2', { parentId: 'host' }), server('other', { parentId: 'x' })];
    const power: Record<string, 'on' | 'off' | 'paused'> = { vm1: 'on', vm2: 'off', other: 'on' };
    expect(childrenOn('host', servers, (id) => power[id])).toEqual(['vm1']);
  });
});

describe('idle auto-suspend', () => {
  const p = idlePolicySchema.parse({ serverId: 'nas', idleMinutes: 30, cpuBelowPct: 10, netBelowMbps: 1, afterWakeMinutes: 15 });
  const quiet: Observation = { childrenOn: [], logins: [], cpu: 2, netMbps: 0.2 };
  const t0 = Date.UTC(2026, 0, 5, 12);

  it('fires after the idle period, and starts the count again whenever it is busy', () => {
    let track = idleStep({}, quiet, p, { now: t0, power: 'on', onSince: t0 - 3_600_000 }).track;
    expect(track.idleSince).toBe(t0);
    expect(idleStep(track, quiet, p, { now: t0 + 29 * MIN, power: 'on', onSince: 0 }).fire).toBe(false);
    const busy = idleStep(track, { ...quiet, cpu: 40 }, p, { now: t0 + 20 * MIN, power: 'on', onSince: 0 });
    expect(busy).toEqual({ track: { busy: 'CPU at 40.0 % is above 10 %' }, fire: false });
    track = idleStep(busy.track, quiet, p, { now: t0 + 21 * MIN, power: 'on', onSince: 0 }).track;
    expect(idleStep(track, quiet, p, { now: t0 + 50 * MIN, power: 'on', onSince: 0 }).fire).toBe(false);
    expect(idleStep(track, quiet, p, { now: t0 + 51 * MIN, power: 'on', onSince: 0 }).fire).toBe(true);
  });

  it('never while a guest runs, within M minutes of a wake, under a keep-awake, or without figures', () => {
    const idle = { idleSince: t0 - 60 * MIN };
    expect(idleStep(idle, { ...quiet, childrenOn: ['vm1'] }, p, { now: t0, power: 'on', onSince: 0 })).toEqual({ track: { busy: 'a guest is running: vm1' }, fire: false });
    expect(idleStep(idle, quiet, p, { now: t0, power: 'on', onSince: t0 - 10 * MIN })).toMatchObject({ fire: false, track: { busy: 'woke less than 15 min ago' } });
    expect(idleStep(idle, quiet, p, { now: t0, power: 'on', onSince: 0, keepAwakeUntil: t0 + MIN })).toMatchObject({ fire: false, track: { busy: expect.stringContaining('kept awake until') } });
    expect(idleStep(idle, quiet, p, { now: t0, power: 'on', onSince: 0, keepAwakeUntil: t0 - MIN }).fire).toBe(true);
    expect(busyReason({ childrenOn: [], logins: [] }, p)).toBe('no recent CPU and network figures');
    expect(idleStep(idle, quiet, p, { now: t0, power: 'suspended' })).toEqual({ track: { busy: 'it is suspended' }, fire: false });
    expect(idleStep(idle, quiet, { ...p, enabled: false }, { now: t0, power: 'on' }).fire).toBe(false);
  });
});

describe('settings', () => {
  it('an older config without automation loads with empty defaults', () => {
    expect(settingsSchema.parse({}).automation).toEqual({ schedules: [], idle: [], keepAwake: {} });
    expect(automationSettingsSchema.safeParse({ schedules: [{ id: 'x', target: { serverId: 'a', group: 'b' }, action: 'suspend', when: 'daily 23:00' }] }).success).toBe(false);
  });
});
