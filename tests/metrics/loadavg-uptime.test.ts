import { describe, expect, it } from 'vitest';
import { parseLoadavg } from '../../src/main/monitoring/metrics/loadavg';
import { ParseError } from '../../src/main/monitoring/metrics/parse-error';
import { parseUptime } from '../../src/main/monitoring/metrics/uptime';
import { GARBAGE } from './fixtures';
import { readProc } from './real-host';

describe('/proc/loadavg', () => {
  it('reads this machine', () => {
    const load = parseLoadavg(readProc('loadavg'));
    expect(load.load1).toBeGreaterThanOrEqual(0);
    expect(load.total).toBeGreaterThanOrEqual(load.running);
    expect(load.lastPid).toBeGreaterThan(0);
  });

  it('reads a Proxmox node under load', () => {
    expect(parseLoadavg('12.51 9.80 7.02 14/2187 3912874\n')).toEqual({ load1: 12.51, load5: 9.8, load15: 7.02, running: 14, total: 2187, lastPid: 3912874 });
  });

  it.each([...GARBAGE, '0.1 0.2 0.3', '0.1 0.2 0.3 1/2 3\n0.1 0.2 0.3 1/2 3', '-1 0 0 1/2 3', 'NaN 0 0 1/1 1'])('rejects %j', (input) => {
    expect(() => parseLoadavg(input)).toThrow(ParseError);
  });
});

describe('/proc/uptime', () => {
  it('reads this machine', () => {
    const up = parseUptime(readProc('uptime'));
    expect(up.uptime).toBeGreaterThan(0);
    expect(up.idle).toBeGreaterThanOrEqual(0);
  });

  it('reads a long-running server', () => {
    expect(parseUptime('3456789.12 27123456.78\n')).toEqual({ uptime: 3456789.12, idle: 27123456.78 });
  });

  it.each([...GARBAGE, '12.3', '1e5 2', 'Infinity 1'])('rejects %j', (input) => {
    expect(() => parseUptime(input)).toThrow(/\/proc\/uptime/);
  });
});
