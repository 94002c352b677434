import { describe, expect, it } from 'vitest';
import { CheckBook } from '../../src/main/checks/book';
import { daysUntilFull, judgeDisk } from '../../src/main/checks/model/forecast';
import { judgeReboot, parseDf, parseFailedUnits, parseSensors, parseUpgradable, REBOOT_MARK } from '../../src/main/checks/model/host-reports';
import { unprivilegedIcmpAllowed } from '../../src/main/checks/model/network';
import { judgeSmart } from '../../src/main/checks/model/smart';
import { initialState, stepState, type Outcome } from '../../src/main/checks/model/state';
import { checkSpecSchema, parseResolver } from '../../src/shared/contract/checks';

/** The checks' pure parts: the state machine, the parsers on the tools' real output, the forecast. */
const DAY = 86_400_000;

describe('a check state', () => {
  const fail: Outcome = { result: 'fail', message: 'down' };
  const ok: Outcome = { result: 'ok', message: 'up' };
  it('turns failing only after failAfter failures in a row, fires once, clears once seen good', () => {
    let s = initialState(0);
    let r = stepState(s, ok, 3, 1, 5);
    expect(r).toMatchObject({ state: { status: 'ok', since: 1, failures: 0, durationMs: 5 }, edge: undefined });
    s = r.state;
    r = stepState(s, fail, 3, 2, 5);
    expect(r.state).toMatchObject({ status: 'ok', since: 1, failures: 1, message: 'down (failure 1 of 3 before failing)' });
    r = stepState(stepState(r.state, fail, 3, 3, 5).state, fail, 3, 4, 5);
    expect(r).toMatchObject({ state: { status: 'failing', since: 4, failures: 3, alerting: true }, edge: 'fired' });
    expect(stepState(r.state, fail, 3, 5, 5).edge).toBeUndefined();
    // Unknown (the host asleep) holds the alert; the next good run clears it.
    const unknown = stepState(r.state, { result: 'unknown', message: 'asleep' }, 3, 6, 0);
    expect(unknown).toMatchObject({ state: { status: 'unknown', alerting: true }, edge: undefined });
    expect(stepState(unknown.state, ok, 3, 7, 1)).toMatchObject({ state: { status: 'ok', failures: 0, alerting: false }, edge: 'cleared' });
  });
});

describe('the forecast', () => {
  it('days until full from a week of growth; none when flat or too short', () => {
    const total = 100e9;
    const points = Array.from({ length: 8 }, (_, i) => ({ t: i * DAY, used: 50e9 + i * 5e9 }));
    expect(daysUntilFull(points, total, 7 * DAY, 85e9)).toBeCloseTo(3, 5);
    expect(daysUntilFull(points.map((p) => ({ ...p, used: 50e9 })), total, 7 * DAY, 50e9)).toBeUndefined();
    expect(daysUntilFull(points.slice(0, 2), total, DAY, 55e9)).toBeUndefined();
    expect(judgeDisk({ size: total, used: 85e9, avail: 10e9, target: '/' }, 3, { warnPercent: 95, failPercent: 99, warnDays: 14, failDays: 3 })).toMatchObject({ result: 'fail', message: '/ 89.5 % used, full in 3 days at this pace' });
    expect(judgeDisk({ size: total, used: 40e9, avail: 60e9, target: '/' }, undefined, { warnPercent: 85, failPercent: 95, warnDays: 14, failDays: 3 }).result).toBe('ok');
  });
});

describe('the tools’ output', () => {
  it('smartctl: an ATA report that cannot open the disk is unknown, with smartctl’s own words', () => {
    const text = JSON.stringify({ smartctl: { version: [7, 3], messages: [{ string: 'Smartctl open device: /dev/sda failed: Permission denied', severity: 'error' }], exit_status: 2 }, device: { name: '/dev/sda' } });
    expect(judgeSmart('/dev/sda', text, 2)).toEqual({ result: 'unknown', message: '/dev/sda: smartctl could not read the disk (Smartctl open device: /dev/sda failed: Permission denied)' });
    expect(() => judgeSmart('/dev/sda', 'smartctl: command not found', 127)).toThrow(/did not print JSON/);
  });

  it('sensors -j, systemctl --failed, apt list --upgradable, df -P -B1, the reboot mark', () => {
    const sensors = '{\n   "coretemp-isa-0000":{\n      "Adapter": "ISA adapter",\n      "Package id 0":{\n         "temp1_input": 45.000,\n         "temp1_max": 80.000,\n         "temp1_crit": 100.000,\n         "temp1_crit_alarm": 0.000\n      }\n   },\n   "BAT0-acpi-0":{\n      "Adapter": "ACPI interface",\n      "in0":{\n         "in0_input": 12.919\n      }\n   }\n}\n';
    expect(parseSensors(sensors)).toEqual([{ label: 'coretemp-isa-0000 Package id 0', celsius: 45, crit: 100, alarm: false }]);
    expect(parseFailedUnits('● nginx.service loaded failed failed A high performance web server\nsmartd.service  loaded failed failed Self Monitoring\n')).toEqual(['nginx.service', 'smartd.service']);
    expect(parseFailedUnits('')).toEqual([]);
    expect(parseUpgradable('Listing...\nlibssl3t64/noble-updates,noble-security 3.0.13-0ubuntu3.4 amd64 [upgradable from: 3.0.13-0ubuntu3.1]\nsnapd/noble-updates 2.66.1+24.04 amd64 [upgradable from: 2.63+24.04]\n')).toEqual([
      { name: 'libssl3t64', suite: 'noble-updates,noble-security', version: '3.0.13-0ubuntu3.4', security: true },
      { name: 'snapd', suite: 'noble-updates', version: '2.66.1+24.04', security: false },
    ]);
    expect(parseDf('Filesystem        1B-blocks       Used  Available Capacity Mounted on\n/dev/nvme0n1p2 125658222592 9452224512 109764145152       8% /\n')).toEqual({ size: 125658222592, used: 9452224512, avail: 109764145152, target: '/' });
    expect(judgeReboot(`libc6\n${REBOOT_MARK}\n`, false)).toMatchObject({ result: 'warning', message: 'a reboot is pending (for libc6)' });
  });
});

describe('boundaries', () => {
  it('ping_group_range decides unprivileged ICMP; a resolver is an address with an optional port', () => {
    expect(unprivilegedIcmpAllowed('1\t0', 1000, 1000)).toBe(false);
    expect(unprivilegedIcmpAllowed('0 2147483647', 1000, 1000)).toBe(true);
    expect(unprivilegedIcmpAllowed('1 0', 0, 0)).toBe(true);
    expect(parseResolver('127.0.0.1:5353')).toEqual({ address: '127.0.0.1', port: 5353 });
    expect(parseResolver('[::1]:53')).toEqual({ address: '::1', port: 53 });
    expect(parseResolver('dns.example')).toBeUndefined();
    expect(parseResolver('127.0.0.1:70000')).toBeUndefined();
  });

  it('a bad edit throws and changes nothing; ids are made from the kind', () => {
    const book = new CheckBook({ version: 1, servers: {} });
    const ping = checkSpecSchema.parse({ kind: 'ping' });
    expect(book.add('a', ping).id).toBe('ping');
    expect(book.add('a', ping).id).toBe('ping-2');
    expect(() => book.add('a', { ...ping, id: 'ping' })).toThrow(/already has a check "ping"/);
    expect(() => book.update('a', 'nope', ping)).toThrow(/was not found/);
    expect(book.of('a').map((c) => c.id)).toEqual(['ping', 'ping-2']);
    expect(checkSpecSchema.safeParse({ kind: 'http', url: 'https://x/', statusMin: 500, statusMax: 200 }).success).toBe(false);
    expect(checkSpecSchema.safeParse({ kind: 'ping', extra: 1 }).success).toBe(false);
  });
});
