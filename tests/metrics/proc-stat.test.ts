import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/main/monitoring/metrics/parse-error';
import { cpuPercent, parseProcStat, type CpuTimes } from '../../src/main/monitoring/metrics/proc-stat';
import { CENTOS6_STAT, DEBIAN12_STAT, GARBAGE, PROXMOX8_STAT } from './fixtures';
import { readProc } from './real-host';

const times = (over: Partial<CpuTimes>): CpuTimes => ({ user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0, ...over });

describe('/proc/stat', () => {
  it('reads this machine, one entry per online CPU', () => {
    const stat = parseProcStat(readProc('stat'));
    const online = readProc('stat').split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
    expect(stat.cpus.filter(Boolean)).toHaveLength(online);
    expect(stat.total.idle).toBeGreaterThan(0);
    expect(stat.btime).toBeGreaterThan(1_000_000_000);
  });

  it('measures a busy share between two real readings', () => {
    const a = parseProcStat(readProc('stat'));
    const until = Date.now() + 60;
    while (Date.now() < until) Math.sqrt(Math.random()); // make sure some jiffies pass
    const b = parseProcStat(readProc('stat'));
    const pct = cpuPercent(a.total, b.total);
    expect(pct).toBeGreaterThan(0); // we just kept a CPU busy for 60 ms
    expect(pct).toBeLessThanOrEqual(100);
  });

  it('reads Debian 12 and Proxmox 8', () => {
    const debian = parseProcStat(DEBIAN12_STAT);
    expect(debian.cpus).toHaveLength(4);
    expect(debian.total).toMatchObject({ user: 1051316, nice: 1238, system: 396153, idle: 82735412, iowait: 27911, softirq: 11380 });
    const pve = parseProcStat(PROXMOX8_STAT);
    expect(pve.cpus).toHaveLength(8);
    expect(pve.total.guest).toBe(9811231);
    expect(pve.btime).toBe(1717000000);
  });

  it('reads the nine columns of a 2.6.32 kernel, guest_nice as 0', () => {
    const stat = parseProcStat(CENTOS6_STAT);
    expect(stat.total).toEqual(times({ user: 2255, nice: 34, system: 2290, idle: 22625563, iowait: 6290, irq: 127, softirq: 456 }));
    expect(stat.cpus).toHaveLength(2);
  });

  it('does not count guest time twice (it is inside user)', () => {
    const prev = times({ user: 100, idle: 100 });
    const next = times({ user: 200, guest: 100, idle: 200 });
    expect(cpuPercent(prev, next)).toBe(50);
  });

  it('counts iowait as idle and steal as busy', () => {
    expect(cpuPercent(times({}), times({ idle: 50, iowait: 50 }))).toBe(0);
    expect(cpuPercent(times({}), times({ steal: 25, idle: 75 }))).toBe(25);
  });

  it('gives no figure when the counters went back (reboot) or nothing elapsed', () => {
    const before = times({ user: 1000, idle: 5000 });
    expect(cpuPercent(before, times({ user: 10, idle: 50 }))).toBeUndefined();
    expect(cpuPercent(before, before)).toBeUndefined();
  });

  it.each(GARBAGE)('rejects garbage with a ParseError: %j', (input) => {
    expect(() => parseProcStat(input)).toThrow(ParseError);
  });

  it('names what is wrong', () => {
    expect(() => parseProcStat('cpu  1 2 x 4\n')).toThrow(/\/proc\/stat: line 1: cpu system is not a whole number/);
    expect(() => parseProcStat('cpu  1 2\n')).toThrow(/at least 4 expected/);
    expect(() => parseProcStat('cpu0 1 2 3 4\n')).toThrow(/no "cpu" total line/);
    expect(() => parseProcStat(42)).toThrow(/expected text, got number/);
    expect(() => parseProcStat(`cpu 1 2 3 ${'9'.repeat(20)}\n`)).toThrow(ParseError);
  });
});
