import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeHost, socketProbe, tcpProbe } from '../../src/main/drivers/probe';
import { handleConnector } from '../../src/main/drivers/tcp-handle';
import { startBlackHoles, type BlackHoles } from '../../bench/support/black-hole';

// Real connects, on loopback only: 127.0.166.x.
const LISTEN = '127.0.166.1';
const CLOSED = '127.0.166.2';
const SILENT = '127.0.166.3';

describe('the TCP probe', () => {
  let server: net.Server;
  let port = 0;
  let holes: BlackHoles;
  beforeAll(async () => {
    server = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(0, LISTEN, resolve));
    port = (server.address() as net.AddressInfo).port;
    holes = await startBlackHoles([SILENT], [port], 60_000);
  });
  afterAll(async () => {
    await holes.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  it('connects to an IP address through the bare handle in Node', () => {
    expect(handleConnector()).toBeDefined();
  });

  it('tells open, refused and silent apart, the bare handle as net.Socket does', async () => {
    for (const probe of [tcpProbe, socketProbe]) {
      const open = await probe(LISTEN, port, 1500);
      expect(open).toMatchObject({ open: true });
      expect(open.ms).toBeGreaterThanOrEqual(0);
      const refused = await probe(CLOSED, port, 1500);
      expect(refused).toMatchObject({ open: false, reason: 'refused', message: 'connection refused' });
      expect(refused.ms).toBeGreaterThanOrEqual(0);
      expect(await probe(SILENT, port, 150)).toEqual({ open: false, reason: 'timeout', message: 'no answer within 150 ms' });
    }
  });

  it('probes every port of a host, and learns the quickest answer', async () => {
    const obs = await probeHost(LISTEN, [port, 1], 1500);
    expect(obs.openPorts).toEqual({ [String(port)]: true, '1': false });
    expect(obs.error).toBe('connection refused');
    expect(obs.rttMs).toBeGreaterThanOrEqual(0);
    expect(obs.timedOut).toBeUndefined();
    expect(await probeHost(SILENT, [port], 100)).toEqual({ openPorts: { [String(port)]: false }, error: 'no answer within 100 ms', timedOut: true });
  });

  it('leaves no handle open after many probes that time out', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'TCPWRAP').length;
    await Promise.all(Array.from({ length: 50 }, () => tcpProbe(SILENT, port, 50)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(process.getActiveResourcesInfo().filter((r) => r === 'TCPWRAP').length).toBe(before);
  });
});
