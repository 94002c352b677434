/**
 * A bulk wake by Proxmox tag (issue 17) against the simulated cluster: the guests go in their
 * cluster's one bulk call on PVE 9 (/cluster/bulk-action/guest/start) and one call each on PVE
 * 8, which has no bulk endpoint; guests already running are skipped with the reason.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxmoxClusterHandle } from '../../src/lab/proxmox';
import { guestServerId } from '../../src/main/proxmox/inventory-map';
import { openEngine, pump } from '../proxmox/engine-kit';
import { startLab } from '../proxmox/lab-kit';

describe.each([9, 8] as const)('a bulk wake by tag on Proxmox VE %i', (version) => {
  let lab: ProxmoxClusterHandle;
  let env: ReturnType<typeof openEngine> | undefined;
  beforeAll(async () => {
    ({ lab } = await startLab({ version, guests: 16, seed: 17, certificateKey: 'ec' }));
  });
  afterAll(async () => {
    await lab.stop();
  });
  afterEach(() => {
    env?.close();
    env = undefined;
  });

  it(`starts the tagged guests ${version === 9 ? "in the cluster's one bulk call" : 'one call each'}, and skips the running ones`, async () => {
    const e = (env = openEngine());
    const token = `${lab.credentials.adminToken.tokenId}=${lab.credentials.adminToken.secret}`;
    await e.client.proxmox.addCluster({ name: 'lab', url: lab.url, token, fingerprint: lab.fingerprint });
    const info = () => lab.vmids().map((v) => lab.guest(v).info());
    const plain = info().filter((g) => !g.template && !g.haRequest && !g.lock);
    const tag = plain.find((g) => g.tags.length > 0)?.tags[0];
    expect(tag).toBeDefined();
    const tagged = plain.filter((g) => g.tags.includes(tag!));
    // All but one of them stopped: that one is running and is skipped.
    const [running, ...stopped] = tagged;
    expect(stopped.length).toBeGreaterThan(0);
    lab.guest(running!.vmid).setStatus('running');
    for (const g of stopped) lab.guest(g.vmid).setStatus('stopped');
    await e.client.proxmox.discover({});

    const plan = await e.client.bulk.plan({ action: 'wake', target: { tag: tag! } });
    const id = (g: { vmid: number; type: 'qemu' | 'lxc'; node: string }) => guestServerId('lab', g);
    expect(plan.steps.map((s) => [s.serverId, s.via]).sort()).toEqual(stopped.map((g) => [id(g), 'proxmox']).sort());
    expect(plan.skipped).toEqual([expect.objectContaining({ serverId: id(running!), reason: 'it is already on' })]);

    lab.resetRequestLog();
    const run = await e.client.bulk.run({ action: 'wake', target: { tag: tag! } });
    const done = await pump(e.clock, e.client.bulk.wait({ id: run.id }));
    expect(done.results.map((r) => r.status)).toEqual(stopped.map(() => 'sent'));
    const counts = lab.requestCounts();
    const perGuest = Object.entries(counts).filter(([k]) => /^POST \/nodes\/[^/]+\/(qemu|lxc)\/\d+\/status\/start$/.test(k)).reduce((n, [, c]) => n + c, 0);
    const bulkCalls = counts['POST /cluster/bulk-action/guest/start'] ?? 0;
    if (version === 9) expect([bulkCalls, perGuest]).toEqual([1, 0]);
    else expect([bulkCalls, perGuest]).toEqual([0, stopped.length]);
    // The tasks run to their end: every tagged guest that was stopped runs now.
    await pump(e.clock, (async () => {
      for (;;) {
        if (stopped.every((g) => lab.guest(g.vmid).info().status === 'running')) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    })());
  });
});
