import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { metricSampleSchema } from '../../src/shared/metrics';
import { ParseError } from '../../src/main/monitoring/metrics/parse-error';
import { toSample } from '../../src/main/monitoring/metrics/sample';
import { METRICS_COMMAND, parseReadings, splitSections, type HostReadings } from '../../src/main/monitoring/metrics/snapshot';
import { parseDf } from '../../src/main/monitoring/metrics/df';
import { parseLoadavg } from '../../src/main/monitoring/metrics/loadavg';
import { parseMeminfo } from '../../src/main/monitoring/metrics/meminfo';
import { parseNetDev } from '../../src/main/monitoring/metrics/net-dev';
import { parseProcStat } from '../../src/main/monitoring/metrics/proc-stat';
import { parseUptime } from '../../src/main/monitoring/metrics/uptime';
import { DEBIAN12_DF, DEBIAN12_MEMINFO, DEBIAN12_NETDEV, DEBIAN12_STAT } from './fixtures';

/** The command the SSH driver will run, run here through the local shell instead. */
const runLocally = (): string => execFileSync('sh', ['-c', METRICS_COMMAND], { encoding: 'utf8' });

function debian(uptime: number, shift: number): HostReadings {
  const stat = parseProcStat(DEBIAN12_STAT);
  stat.total.user += shift * 3;
  stat.total.idle += shift;
  const net = parseNetDev(DEBIAN12_NETDEV).map((d) => ({ ...d, rxBytes: d.rxBytes + shift * 1000, txBytes: d.txBytes + shift * 10 }));
  return {
    stat,
    net,
    mem: parseMeminfo(DEBIAN12_MEMINFO),
    load: parseLoadavg('0.42 0.30 0.20 1/300 4000'),
    uptime: parseUptime(`${uptime} 1000.00`),
    disks: parseDf(DEBIAN12_DF),
  };
}

describe('a metrics poll', () => {
  it('runs the poll command on this machine and makes a valid sample of two readings', () => {
    const first = parseReadings(runLocally());
    const second = parseReadings(runLocally());
    const sample = toSample(1_700_000_000_000, second, first);
    expect(metricSampleSchema.parse(sample)).toEqual(sample);
    expect(sample.memTotal).toBe(first.mem.total);
    expect(sample.diskTotal).toBeGreaterThan(0);
    expect(Object.keys(toSample(1, first))).not.toContain('cpu'); // no rate without a previous reading
  });

  it('times rates by the host uptime, not by our clock', () => {
    const sample = toSample(0, debian(160, 100), debian(100, 0));
    expect(sample.netIn).toBeCloseTo((100 * 1000) / 60);
    expect(sample.netOut).toBeCloseTo((100 * 10) / 60);
    expect(sample.cpu).toBe(75);
    expect(sample).toMatchObject({ memUsed: (8131056 - 5871856) * 1024, diskUsed: 7124508672, diskTotal: 33501757440, load1: 0.42 });
  });

  it('leaves rates out across a reboot', () => {
    const sample = toSample(0, debian(30, 100), debian(100_000, 0));
    expect(sample.cpu).toBeUndefined();
    expect(sample.netIn).toBeUndefined();
    expect(sample.memUsed).toBeGreaterThan(0);
  });

  it('refuses output that was cut short or lacks a section', () => {
    const full = runLocally();
    expect(() => splitSections(full.slice(0, full.indexOf('@@rackdeck-metrics df')))).toThrow(/cut short/);
    expect(() => splitSections(full.replace('@@rackdeck-metrics uptime', '@@rackdeck-metrics bogus'))).toThrow(ParseError);
    expect(() => parseReadings(full.replace(/@@rackdeck-metrics loadavg\n[^\n]*/, '@@rackdeck-metrics loadavg\nnot a load'))).toThrow(/\/proc\/loadavg/);
  });
});
