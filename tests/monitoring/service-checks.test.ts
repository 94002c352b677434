import { describe, expect, it } from 'vitest';
import type { Prober } from '../../src/main/drivers/probe';
import { ServiceChecker } from '../../src/main/monitoring/services/checker';
import { COMMON_PORTS } from '../../src/main/monitoring/services/catalog';
import { CLOSED_RESCAN_PASSES, ClosedPorts } from '../../src/main/monitoring/services/closed-ports';

// No packet is sent: the prober is scripted. 127.0.164.x names the fake hosts.

/** A host with port 2222 (its own, ssh) and 443 open; every probe's ports are recorded. */
function host() {
  const open = new Set([2222, 443]);
  const asked: number[][] = [];
  const probe: Prober = async (_address, ports) => {
    asked.push([...ports]);
    return { openPorts: Object.fromEntries(ports.map((p) => [String(p), open.has(p)])) };
  };
  const checker = new ServiceChecker({ commonPorts: true, timeoutMs: 100, probe, sniff: async () => ({ name: 'ssh' }) });
  return { open, asked, checker };
}

const target = { id: 'a', address: '127.0.164.1', ports: [2222] };
const now = () => 0;

describe('the services loop knocks on closed common ports less often', () => {
  it('leaves a closed common port unknocked for a few passes, then knocks on it again; its own and open ports every pass', async () => {
    const h = host();
    const closed = new ClosedPorts();
    const pass = async () => {
      const known = reports.at(-1);
      const unchanged = closed.reusable('a', target.address, known);
      const report = await h.checker.check(target, now, unchanged);
      closed.checked('a', target.address, unchanged.length > 0);
      reports.push(report);
      return report;
    };
    const reports: Awaited<ReturnType<ServiceChecker['check']>>[] = [];
    const first = await pass();
    expect(h.asked[0]).toHaveLength(1 + COMMON_PORTS.length);
    for (let i = 1; i < CLOSED_RESCAN_PASSES; i++) {
      const report = await pass();
      // Only the server's own port and the open one are knocked on; the report still lists every port, as it was.
      expect(h.asked[i]?.sort((x, y) => x - y)).toEqual([443, 2222]);
      expect(report.services).toEqual(first.services);
    }
    await pass();
    expect(h.asked[CLOSED_RESCAN_PASSES]).toHaveLength(1 + COMMON_PORTS.length);
  });

  it('sees an open port that closed at the next pass, and knocks on every port again when the address changed', async () => {
    const h = host();
    const closed = new ClosedPorts();
    const first = await h.checker.check(target, now);
    closed.checked('a', target.address, false);
    h.open.delete(443);
    const unchanged = closed.reusable('a', target.address, first);
    const second = await h.checker.check(target, now, unchanged);
    expect(second.services.find((v) => v.port === 443)?.open).toBe(false);
    expect(closed.reusable('a', '127.0.164.2', second)).toEqual([]);
    closed.forget('a');
    expect(closed.reusable('a', target.address, second)).toEqual([]);
  });

  it('always knocks on a server\'s own port, even one it was told to take as it was', async () => {
    const h = host();
    h.open.delete(2222);
    const first = await h.checker.check(target, now);
    await h.checker.check(target, now, first.services);
    expect(h.asked[1]).toContain(2222);
  });
});
