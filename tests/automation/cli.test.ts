import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn } from '../cli/run';
import { minutesOf } from '../../src/main/faces/cli/commands/automation';

/**
 * `rackdeck schedule`, `idle` and `keep-awake` on a home whose config.json predates automation
 * (no settings.automation): it loads, and what the commands save is in the file afterwards.
 * No engine runs, so each command builds one of its own; nothing is probed (127.0.0.1:1).
 */
let home: string;

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-cli-automation-'));
  fs.writeFileSync(
    path.join(home, 'config.json'),
    JSON.stringify({ schemaVersion: 1, servers: [{ id: 'nas', name: 'nas', kind: 'physical', address: '127.0.0.1', ports: [1], createdAt: Date.now() }], settings: {} }),
  );
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  return runCliIn(home, argv);
}

const saved = () => JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8')).settings.automation;

describe('rackdeck schedule', () => {
  it('adds a schedule from a simple form, lists it, shows it in the next 24 h, and removes it', async () => {
    const added = await cli('schedule', 'add', 'nas', 'suspend', 'daily 23:30', '--name', 'Night', '--cpu-above', '50');
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/^Added schedule (sch-[0-9a-f]+): suspend nas at "daily 23:30" \(cron 30 23 \* \* \*\)\.\nNext run: \w{3} \d{4}-\d\d-\d\d 23:30\.$/);
    const id = /sch-[0-9a-f]+/.exec(added.out)![0];
    expect(saved().schedules[0]).toMatchObject({ id, name: 'Night', action: 'suspend', target: { serverId: 'nas' }, conditions: { sshLogins: true, cpuAbovePct: 50 } });

    const list = await cli('schedule', 'list');
    expect(list.out).toMatch(new RegExp(`^${id}\\s+Night\\s+suspend\\s+nas\\s+daily 23:30\\s+\\w{3} \\d{4}-\\d\\d-\\d\\d 23:30$`, 'm'));
    const next = await cli('schedule', 'next');
    expect(next.out).toMatch(/^Next 24 h:\n {2}\w{3} \d{4}-\d\d-\d\d 23:30 {2}suspend nas {2}\[Night\]\nLast 24 h:\n {2}nothing ran$/);

    expect((await cli('schedule', 'remove', id)).out).toBe(`Removed schedule ${id}.`);
    expect(saved().schedules).toEqual([]);
  });

  it('adds a group schedule with a cron expression and a time zone', async () => {
    const r = await cli('schedule', 'add', '--group', 'lab', 'wake', '0 7 * * 1-5', '--tz', 'Europe/Paris');
    expect(r.code).toBe(0);
    expect(r.out).toContain('wake group lab at "0 7 * * 1-5" (cron 0 7 * * 1-5, Europe/Paris)');
    const json = JSON.parse((await cli('schedule', 'next', '--hours', '168', '--json')).out);
    expect(json.upcoming).toHaveLength(5);
    expect(json.upcoming[0]).toMatchObject({ action: 'wake', serverIds: [], note: 'group lab has no member' });
  });

  it('refuses what it cannot read, saying why, and saves nothing', async () => {
    const before = JSON.stringify(saved());
    const bad = await cli('schedule', 'add', 'nas', 'suspend', 'someday 23:30');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('"someday" is not a day form');
    const zone = await cli('schedule', 'add', 'nas', 'suspend', 'daily 23:30', '--tz', 'Mars/Olympus');
    expect(zone.err).toContain('"Mars/Olympus" is not a time zone');
    const who = await cli('schedule', 'add', 'ghost', 'suspend', 'daily 23:30');
    expect(who.err).toContain('Server "ghost" was not found');
    const action = await cli('schedule', 'add', 'nas', 'explode', 'daily 23:30');
    expect(action.code).toBe(2);
    expect(JSON.stringify(saved())).toBe(before);
  });
});

describe('rackdeck idle and keep-awake', () => {
  it('sets idle auto-suspend with its lines, lists it, and holds it off with keep-awake', async () => {
    const set = await cli('idle', 'nas', '--after', '45m', '--cpu', '5', '--net', '2', '--action', 'hibernate');
    expect(set.out).toBe('nas will hibernate after 45 min idle (CPU below 5 %, network below 2 Mb/s, nobody logged in, no guest running), never within 15 min of a wake.');
    expect(saved().idle).toEqual([{ serverId: 'nas', enabled: true, idleMinutes: 45, cpuBelowPct: 5, netBelowMbps: 2, action: 'hibernate', afterWakeMinutes: 15 }]);
    expect((await cli('idle')).out).toMatch(/^SERVER\s+AFTER\s+CPU <\s+NET <\s+ACTION\s+NOW\nnas\s+45m\s+5 %\s+2 Mb\/s\s+hibernate/);

    const before = Date.now();
    const held = await cli('keep-awake', 'nas', '--for', '2h');
    expect(held.out).toMatch(/^nas stays awake until \w{3} \d{4}-\d\d-\d\d \d\d:\d\d\.$/);
    const until = saved().keepAwake.nas as number;
    expect(until).toBeGreaterThanOrEqual(before + 120 * 60_000);

    expect((await cli('idle', 'nas', '--off')).out).toBe('Idle auto-suspend is off for nas.');
    expect(saved().idle).toEqual([]);
  });

  it('reads durations as minutes', () => {
    expect(minutesOf('2h', '--for')).toBe(120);
    expect(minutesOf('1h30m', '--for')).toBe(90);
    expect(minutesOf('45', '--for')).toBe(45);
    expect(minutesOf('1d', '--for')).toBe(1440);
    expect(() => minutesOf('soon', '--for')).toThrow(/duration like 2h/);
  });
});
