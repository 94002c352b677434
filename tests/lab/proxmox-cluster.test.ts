/**
 * Cluster-level behaviour: nodes going offline and coming back, scale (900 guests in one
 * /cluster/resources answer), certificate rotation, fault injection and the request log.
 */
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox/index';
import { fakeNodeHost, labCall, type FakeNodeHost, type LabAuth } from '../../src/lab/proxmox/test-kit';

type Json = Record<string, unknown>;

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function peerFingerprint(url: string, ca?: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca, rejectUnauthorized: ca !== undefined }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('a node that goes offline', () => {
  let lab: ProxmoxClusterHandle;
  let hosts: FakeNodeHost[];
  let auth: LabAuth;
  const get = (url: string, path: string, params: Record<string, string> = {}) => labCall<Json[] & Json>(url, path, { auth, params, ca: lab.certPem });

  beforeAll(async () => {
    hosts = [fakeNodeHost('pve1'), fakeNodeHost('pve2'), fakeNodeHost('pve3')];
    lab = await startProxmoxCluster({ nodes: hosts, guests: 30, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
    auth = { token: lab.credentials.adminToken.header };
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('closes its listener, shows offline elsewhere, and its guests lose their figures', async () => {
    const pve2 = hosts[1] as FakeNodeHost;
    const url2 = lab.urls.pve2 ?? '';
    const onPve2 = lab.vmids().map((v) => lab.guest(v).info()).filter((g) => g.node === 'pve2');
    expect(onPve2.length).toBe(10);
    pve2.setPower('off');
    await until(async () => {
      try {
        await get(url2, '/version');
        return false;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
      }
    });

    const resources = (await get(lab.url, '/cluster/resources')).body?.data ?? [];
    const node = resources.find((r) => r.id === 'node/pve2');
    expect(node).toEqual({ id: 'node/pve2', type: 'node', node: 'pve2', level: '', status: 'offline' });
    const guests = resources.filter((r) => r.node === 'pve2' && (r.type === 'qemu' || r.type === 'lxc'));
    expect(guests).toHaveLength(10);
    for (const g of guests) {
      expect(g.status).toBe('unknown');
      expect(g).not.toHaveProperty('cpu');
      expect(g).not.toHaveProperty('uptime');
    }
    const storage = resources.find((r) => r.id === 'storage/pve2/local');
    expect(storage?.status).toBe('unknown');

    const status = (await get(lab.url, '/cluster/status')).body?.data ?? [];
    expect(status.find((s) => s.name === 'pve2')).toMatchObject({ online: 0 });
    expect(status.find((s) => s.type === 'cluster')).toMatchObject({ quorate: 1, nodes: 3 });

    const target = onPve2[0];
    const action = await labCall(lab.url, `/nodes/pve2/${target?.type}/${target?.vmid}/status/start`, { method: 'POST', auth, ca: lab.certPem });
    expect([action.status, action.reason, action.text]).toEqual([595, 'No route to host', '']);
    const read = await get(lab.url, `/nodes/pve2/${target?.type}/${target?.vmid}/status/current`);
    expect(read.status).toBe(595);

    // RRD history of the offline node is still served by the others, with gaps where it is down.
    lab.advanceTime(3 * 60_000);
    const rrd = await get(lab.url, '/nodes/pve2/rrddata', { timeframe: 'hour' });
    expect(rrd.status).toBe(200);
    expect(rrd.body?.data.at(-1)).toEqual({ time: expect.any(Number) });
    expect(rrd.body?.data.at(0)).toHaveProperty('cpu');

    // Power loss stopped its guests; power back starts those marked onboot.
    pve2.setPower('booting');
    pve2.setPower('on');
    await until(async () => (await get(url2, '/version').catch(() => undefined))?.status === 200);
    const after = (await get(url2, '/cluster/resources', { type: 'vm' })).body?.data ?? [];
    const back = after.filter((r) => r.node === 'pve2');
    expect(back.every((r) => r.status === 'running' || r.status === 'stopped')).toBe(true);
    const onboot = onPve2.filter((g) => !g.template);
    const running = back.filter((r) => r.status === 'running').length;
    expect(running).toBeGreaterThan(0);
    expect(running).toBeLessThanOrEqual(onboot.length);
    expect((await get(lab.url, '/nodes')).body?.data.find((n) => n.node === 'pve2')).toMatchObject({ status: 'online' });
  });

  it('keeps its guests running across a suspend', async () => {
    const pve3 = hosts[2] as FakeNodeHost;
    const before = lab.vmids().map((v) => lab.guest(v).info()).filter((g) => g.node === 'pve3').map((g) => [g.vmid, g.status]);
    pve3.setPower('suspending');
    pve3.setPower('suspended');
    await until(async () => (await get(lab.url, '/cluster/resources', { type: 'node' })).body?.data.find((n) => n.node === 'pve3')?.status === 'offline');
    pve3.setPower('on');
    await until(async () => (await get(lab.urls.pve3 ?? '', '/version').catch(() => undefined))?.status === 200);
    const after = lab.vmids().map((v) => lab.guest(v).info()).filter((g) => g.node === 'pve3').map((g) => [g.vmid, g.status]);
    expect(after).toEqual(before);
  });
});

describe('the network rule', () => {
  it('refuses a node address outside 127.0.0.0/8', async () => {
    await expect(startProxmoxCluster({ nodes: [fakeNodeHost('pve1', '192.0.2.1')], certificateKey: 'ec' })).rejects.toThrow(
      'not a loopback address',
    );
  });
});

describe('scale', () => {
  it('serves 900 guests over 3 nodes in one /cluster/resources answer', async () => {
    const t0 = performance.now();
    const lab = await startProxmoxCluster({
      nodes: [fakeNodeHost('pve1'), fakeNodeHost('pve2'), fakeNodeHost('pve3')],
      guests: 900,
      authFailDelayMs: 0,
      certificateKey: 'ec',
    });
    const started = performance.now() - t0;
    try {
      const auth = { token: lab.credentials.adminToken.header };
      const timings: number[] = [];
      let data: Json[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        const res = await labCall<Json[]>(lab.url, '/cluster/resources', { auth, ca: lab.certPem });
        timings.push(performance.now() - t);
        data = res.body?.data ?? [];
      }
      const vms = data.filter((r) => r.type === 'qemu' || r.type === 'lxc');
      expect(vms).toHaveLength(900);
      expect(new Set(vms.map((v) => v.node))).toEqual(new Set(['pve1', 'pve2', 'pve3']));
      expect(data.filter((r) => r.type === 'node')).toHaveLength(3);
      // Paused VMs are "running" here; only status/current and qemu?full=1 say paused.
      expect(new Set(vms.map((v) => v.status))).toEqual(new Set(['running', 'stopped']));
      expect(lab.vmids().some((v) => lab.guest(v).info().qmpstatus === 'paused')).toBe(true);
      expect(lab.requestCounts()['GET /cluster/resources']).toBe(5);
      const sorted = [...timings].sort((a, b) => a - b);
      console.log(`900 guests: start ${started.toFixed(0)} ms, /cluster/resources median ${sorted[2]?.toFixed(1)} ms (first ${timings[0]?.toFixed(1)} ms)`);
      expect(started).toBeLessThan(5000);
    } finally {
      await lab.stop();
    }
  });
});

describe('certificate, faults and request log', () => {
  let lab: ProxmoxClusterHandle;
  let auth: LabAuth;

  beforeAll(async () => {
    lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1')], guests: 4, authFailDelayMs: 0, certificateKey: 'ec' });
    auth = { token: lab.credentials.adminToken.header };
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('presents the advertised fingerprint, and a new one after rotation', async () => {
    const before = lab.fingerprint;
    const oldPem = lab.certPem;
    expect(await peerFingerprint(lab.url, oldPem)).toBe(before);
    const after = await lab.rotateCertificate();
    expect(after).not.toBe(before);
    expect(lab.fingerprint).toBe(after);
    expect(await peerFingerprint(lab.url)).toBe(after);
    await expect(peerFingerprint(lab.url, oldPem)).rejects.toThrow();
    const res = await labCall(lab.url, '/version', { auth, ca: lab.certPem });
    expect(res.status).toBe(200);
    const nodes = await labCall<Json[]>(lab.url, '/nodes', { auth, ca: lab.certPem });
    expect(nodes.body?.data[0]?.ssl_fingerprint).toBe(after);
  });

  it('injects latency, 500s and dropped connections, and lifts them', async () => {
    const call = () => labCall(lab.url, '/cluster/resources', { auth, ca: lab.certPem });
    lab.setFault({ latencyMs: 120 });
    const t0 = performance.now();
    expect((await call()).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    lab.setFault({ latencyMs: undefined, fail500Paths: ['/cluster/resources'] });
    const failed = await call();
    expect(failed.status).toBe(500);
    expect((await labCall(lab.url, '/version', { auth, ca: lab.certPem })).status).toBe(200);
    lab.setFault({ fail500Paths: undefined, errorRate: 1 });
    expect((await labCall(lab.url, '/version', { auth, ca: lab.certPem })).status).toBe(500);
    lab.setFault({ errorRate: undefined, dropConnections: true });
    await expect(call()).rejects.toThrow();
    lab.clearFaults();
    expect((await call()).status).toBe(200);
  });

  it('logs and counts requests per path', async () => {
    lab.resetRequestLog();
    for (let i = 0; i < 3; i++) await labCall(lab.url, '/cluster/resources', { auth, ca: lab.certPem });
    await labCall(lab.url, '/nodes/pve1/status', { auth, ca: lab.certPem });
    expect(lab.requestCount()).toBe(4);
    expect(lab.requestCounts()).toEqual({ 'GET /cluster/resources': 3, 'GET /nodes/pve1/status': 1 });
    expect(lab.requestLog().at(-1)).toMatchObject({ node: 'pve1', method: 'GET', path: '/nodes/pve1/status', status: 200 });
  });

  it('describes itself as plain JSON', () => {
    const d = lab.describe();
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    expect(d).toMatchObject({ clusterName: 'homelab', url: lab.url, fingerprint: lab.fingerprint, guests: 4 });
    expect(d.nodes[0]).toMatchObject({ name: 'pve1', online: true });
  });
});
