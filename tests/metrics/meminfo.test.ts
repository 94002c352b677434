import { describe, expect, it } from 'vitest';
import { parseMeminfo } from '../../src/main/monitoring/metrics/meminfo';
import { ParseError } from '../../src/main/monitoring/metrics/parse-error';
import { CENTOS6_MEMINFO, DEBIAN12_MEMINFO, GARBAGE, PROXMOX8_MEMINFO } from './fixtures';
import { readProc } from './real-host';

describe('/proc/meminfo', () => {
  it('reads this machine', () => {
    const text = readProc('meminfo');
    const mem = parseMeminfo(text);
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]) * 1024;
    expect(mem.total).toBe(kb('MemTotal'));
    expect(mem.used).toBe(mem.total - mem.available);
    expect(mem.used).toBeGreaterThan(0);
    expect(mem.availableEstimated).toBe(!/^MemAvailable:/m.test(text));
  });

  it('uses MemAvailable on Debian 12 and Proxmox 8', () => {
    const debian = parseMeminfo(DEBIAN12_MEMINFO);
    expect(debian).toMatchObject({ total: 8131056 * 1024, available: 5871856 * 1024, used: (8131056 - 5871856) * 1024, availableEstimated: false });
    expect(debian.swapFree).toBe(989948 * 1024);
    const pve = parseMeminfo(PROXMOX8_MEMINFO);
    expect(pve.used).toBe((65777484 - 21470412) * 1024);
  });

  it('estimates available as MemFree + Buffers + Cached on CentOS 6', () => {
    const mem = parseMeminfo(CENTOS6_MEMINFO);
    expect(mem.availableEstimated).toBe(true);
    expect(mem.available).toBe((155576 + 129508 + 921368) * 1024);
    expect(mem.used).toBe((1922260 - 155576 - 129508 - 921368) * 1024);
  });

  it('clamps an available figure above the total', () => {
    expect(parseMeminfo('MemTotal: 100 kB\nMemFree: 50 kB\nMemAvailable: 120 kB\n').used).toBe(0);
  });

  it.each(GARBAGE)('rejects garbage with a ParseError: %j', (input) => {
    expect(() => parseMeminfo(input)).toThrow(ParseError);
  });

  it('names what is wrong', () => {
    expect(() => parseMeminfo('MemFree: 10 kB\n')).toThrow(/no MemTotal line/);
    expect(() => parseMeminfo('MemTotal: 10 MB\nMemFree: 1 kB\n')).toThrow(/MemTotal has unit "MB"/);
    expect(() => parseMeminfo('MemTotal: -10 kB\nMemFree: 1 kB\n')).toThrow(/line 1: MemTotal is not a whole number/);
    expect(() => parseMeminfo('MemTotal: 0 kB\nMemFree: 0 kB\n')).toThrow(/MemTotal is 0/);
  });
});
