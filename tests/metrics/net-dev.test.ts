import { describe, expect, it } from 'vitest';
import { counterDelta } from '../../src/main/monitoring/metrics/counters';
import { netRates, parseNetDev, skipVirtual, type NetDevice } from '../../src/main/monitoring/metrics/net-dev';
import { ParseError } from '../../src/main/monitoring/metrics/parse-error';
import { CENTOS6_NETDEV, DEBIAN12_NETDEV, GARBAGE, PROXMOX8_NETDEV } from './fixtures';
import { readProc } from './real-host';

const dev = (iface: string, rxBytes: number, txBytes: number): NetDevice => ({
  iface, rxBytes, txBytes, rxPackets: 0, rxErrors: 0, rxDropped: 0, txPackets: 0, txErrors: 0, txDropped: 0,
});

describe('/proc/net/dev', () => {
  it('reads this machine, loopback included in the parse', () => {
    const text = readProc('net/dev');
    const devices = parseNetDev(text);
    expect(devices.map((d) => d.iface)).toContain('lo');
    expect(devices).toHaveLength(text.trim().split('\n').length - 2);
  });

  it('reads Debian 12', () => {
    const [lo, ens] = parseNetDev(DEBIAN12_NETDEV);
    expect(lo?.iface).toBe('lo');
    expect(ens).toMatchObject({ iface: 'ens18', rxBytes: 98712034121, rxPackets: 71234512, rxDropped: 1204, txBytes: 12071234987, txPackets: 31234877 });
  });

  it('reads a 2.6 kernel line where the counter touches the colon', () => {
    expect(parseNetDev(CENTOS6_NETDEV)[1]).toMatchObject({ iface: 'eth0', rxBytes: 4012345678, txBytes: 1234567890 });
  });

  it('computes rates without loopback', () => {
    const prev = [dev('lo', 0, 0), dev('eth0', 1000, 500)];
    const next = [dev('lo', 1e9, 1e9), dev('eth0', 11_000, 2500)];
    const rates = netRates(prev, next, 10);
    expect(rates).toMatchObject({ rxPerSec: 1000, txPerSec: 200, reset: [] });
    expect(rates?.interfaces.map((i) => i.iface)).toEqual(['eth0']);
  });

  it('can leave out a hypervisor bridges, taps and veths so traffic is not counted three times', () => {
    const prev = parseNetDev(PROXMOX8_NETDEV);
    const next = prev.map((d) => ({ ...d, rxBytes: d.rxBytes + 6000, txBytes: d.txBytes + 3000 }));
    expect(netRates(prev, next, 60)?.interfaces).toHaveLength(7);
    const physical = netRates(prev, next, 60, skipVirtual);
    expect(physical?.interfaces.map((i) => i.iface)).toEqual(['enp3s0']);
    expect(physical).toMatchObject({ rxPerSec: 100, txPerSec: 50 });
  });

  it('handles a 32-bit counter wrap and leaves out a reset interface', () => {
    const prev = [dev('eth0', 2 ** 32 - 1000, 10), dev('eth1', 9e12, 9e12)];
    const next = [dev('eth0', 3000, 20), dev('eth1', 5000, 5000)];
    const rates = netRates(prev, next, 1);
    expect(rates).toMatchObject({ rxPerSec: 4000, txPerSec: 10, reset: ['eth1'] });
  });

  it('decides wrap versus reset', () => {
    expect(counterDelta(10, 25)).toBe(15);
    expect(counterDelta(2 ** 32 - 5, 5)).toBe(10);
    expect(counterDelta(2 ** 40, 5)).toBeUndefined(); // 64-bit counters do not wrap: a reset
    expect(counterDelta(1000, 5)).toBeUndefined(); // a wrap would mean 4 GB in one poll
  });

  it('has no rate without elapsed time, and skips interfaces that appeared', () => {
    expect(netRates([dev('eth0', 0, 0)], [dev('eth0', 1, 1)], 0)).toBeUndefined();
    expect(netRates([], [dev('eth0', 1, 1)], 5)?.interfaces).toEqual([]);
  });

  it.each([...GARBAGE, DEBIAN12_NETDEV.replace('45912873  412873', '45912873'), DEBIAN12_NETDEV.replace('ens18', 'ens 18')])('rejects %j', (input) => {
    expect(() => parseNetDev(input)).toThrow(ParseError);
  });

  it('names what is wrong', () => {
    expect(() => parseNetDev(DEBIAN12_NETDEV.replace('45912873  412873', '45912873'))).toThrow(/line 3: lo has 15 counters, 16 expected/);
    expect(() => parseNetDev('eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n')).toThrow(/no "Inter-\| {3}Receive" header/);
  });
});
