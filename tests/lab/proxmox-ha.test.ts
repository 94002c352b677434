/**
 * HA on both releases: /cluster/ha/resources from add to delete, the service state that
 * /cluster/resources reports as hastate, the resource manager's own tasks when the requested
 * state changes, power calls on a managed guest turning into hastart/hastop, and "ignored".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox/index';
import { fakeNodeHost, labCall, type LabAuth, type LabResponse } from '../../src/lab/proxmox/test-kit';

type Json = Record<string, unknown>;

describe.each([9, 8] as const)('HA on PVE %i', (version) => {
  let lab: ProxmoxClusterHandle;
  let auth: LabAuth;

  const call = <T = Json>(method: string, path: string, params: Record<string, string | number> = {}): Promise<LabResponse<T>> =>
    labCall<T>(lab.url, path, { method, auth, params, ca: lab.certPem });
  const resource = async (vmid: number): Promise<Json | undefined> =>
    ((await call<Json[]>('GET', '/cluster/resources', { type: 'vm' })).body?.data ?? []).find((r) => r.vmid === vmid);
  const tasksOf = async (node: string, vmid: number): Promise<Json[]> =>
    (await call<Json[]>('GET', `/nodes/${node}/tasks`, { vmid, source: 'all' })).body?.data ?? [];

  /** A plain stopped VM that is not an HA resource yet. */
  const plainVm = (status: 'running' | 'stopped'): number => {
    const g = lab
      .vmids()
      .map((v) => lab.guest(v).info())
      .find((x) => x.type === 'qemu' && x.status === status && x.qmpstatus !== 'paused' && !x.template && !x.hastate && !x.lock && !x.ignoresAcpi);
    if (!g) throw new Error(`no plain ${status} VM`);
    return g.vmid;
  };

  beforeAll(async () => {
    lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1'), fakeNodeHost('pve2')], version, guests: 14, seed: 5, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
    auth = { token: lab.credentials.adminToken.header };
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('adds a resource, reports its state, and starts the guest through the resource manager', async () => {
    const vmid = plainVm('stopped');
    const node = lab.guest(vmid).info().node;
    expect(await resource(vmid)).not.toHaveProperty('hastate');

    expect((await call('POST', '/cluster/ha/resources', { sid: `vm:${vmid}`, state: 'stopped', comment: 'lab' })).status).toBe(200);
    expect(await resource(vmid)).toMatchObject({ hastate: 'stopped', status: 'stopped' });
    const entry = (await call('GET', `/cluster/ha/resources/vm:${vmid}`)).body?.data;
    expect(entry).toMatchObject({ sid: `vm:${vmid}`, type: 'vm', state: 'stopped', comment: 'lab', max_restart: 1, max_relocate: 1 });
    expect(typeof entry?.digest).toBe('string');
    const list = (await call<Json[]>('GET', '/cluster/ha/resources')).body?.data ?? [];
    expect(list.map((r) => r.sid)).toContain(`vm:${vmid}`);

    // Asking for "started" returns at once; the LRM then starts it with its own task, as root@pam.
    expect((await call('PUT', `/cluster/ha/resources/vm:${vmid}`, { state: 'started' })).status).toBe(200);
    // Right after the request the resource is on its way; on a busy machine the LRM's task may
    // already have run, so either word is right here. That it went through the LRM is checked below.
    expect(['starting', 'started']).toContain((await resource(vmid))?.hastate);
    await lab.waitForIdle(5000);
    expect(await resource(vmid)).toMatchObject({ hastate: 'started', status: 'running' });
    const start = (await tasksOf(node, vmid)).find((t) => t.type === 'qmstart');
    expect(start).toMatchObject({ user: 'root@pam', status: 'OK' });

    const status = (await call<Json[]>('GET', '/cluster/ha/status/current')).body?.data ?? [];
    expect(status.find((r) => r.type === 'quorum')).toMatchObject({ quorate: 1 });
    expect(status.find((r) => r.sid === `vm:${vmid}`)).toMatchObject({ type: 'service', state: 'started', request_state: 'started', node });

    expect((await call('DELETE', `/cluster/ha/resources/vm:${vmid}`)).status).toBe(200);
    expect(await resource(vmid)).not.toHaveProperty('hastate');
    expect(lab.guest(vmid).info().status).toBe('running');
  });

  it('turns status/shutdown and status/start of a managed guest into hastop and hastart', async () => {
    const vmid = plainVm('running');
    const node = lab.guest(vmid).info().node;
    lab.guest(vmid).setHa('started');
    expect(await resource(vmid)).toMatchObject({ hastate: 'started' });

    const stop = await call('POST', `/nodes/${node}/qemu/${vmid}/status/shutdown`);
    expect(String(stop.body?.data)).toContain(':hastop:');
    await lab.waitForIdle(5000);
    expect(await resource(vmid)).toMatchObject({ hastate: 'stopped', status: 'stopped' });
    expect(lab.guest(vmid).info().haRequest).toBe('stopped');
    const log = (await call<{ t: string }[]>('GET', `/nodes/${node}/tasks/${encodeURIComponent(String(stop.body?.data))}/log`)).body?.data ?? [];
    expect(log.map((l) => l.t)).toEqual([`Requesting HA stop for VM ${vmid}`, 'TASK OK']);
    expect((await tasksOf(node, vmid)).find((t) => t.type === 'qmshutdown')).toMatchObject({ user: 'root@pam' });

    const start = await call('POST', `/nodes/${node}/qemu/${vmid}/status/start`);
    expect(String(start.body?.data)).toContain(':hastart:');
    await lab.waitForIdle(5000);
    expect(await resource(vmid)).toMatchObject({ hastate: 'started', status: 'running' });
  });

  it('leaves an "ignored" resource to direct power calls', async () => {
    const vmid = plainVm('running');
    const node = lab.guest(vmid).info().node;
    lab.guest(vmid).setHa('ignored');
    expect(await resource(vmid)).toMatchObject({ hastate: 'ignored' });
    const stop = await call('POST', `/nodes/${node}/qemu/${vmid}/status/stop`);
    expect(String(stop.body?.data)).toContain(':qmstop:');
    await lab.waitForIdle(5000);
    expect(await resource(vmid)).toMatchObject({ hastate: 'ignored', status: 'stopped' });
    lab.guest(vmid).setHa(undefined);
  });

  it('refuses what pve-ha-manager refuses', async () => {
    const managed = lab.vmids().find((v) => lab.guest(v).info().hastate !== undefined) ?? 0;
    const dup = await call('POST', '/cluster/ha/resources', { sid: `vm:${managed}` });
    expect([dup.status, dup.reason]).toEqual([500, `resource ID 'vm:${managed}' already defined`]);
    const missing = await call('POST', '/cluster/ha/resources', { sid: 'vm:9999' });
    expect([missing.status, missing.reason]).toEqual([500, "resource 'vm:9999' does not exist in cluster"]);
    const ct = lab.vmids().find((v) => lab.guest(v).info().type === 'qemu') ?? 0;
    const wrongType = await call('POST', '/cluster/ha/resources', { sid: `ct:${ct}` });
    expect(wrongType.reason).toBe(`resource 'ct:${ct}' does not exist in cluster`);
    const badState = await call('PUT', `/cluster/ha/resources/vm:${managed}`, { state: 'running' });
    expect(badState.status).toBe(400);
    const plain = plainVm('stopped');
    const notManaged = await call('DELETE', `/cluster/ha/resources/vm:${plain}`);
    expect(notManaged.reason).toBe(`cannot delete service 'vm:${plain}', not HA managed!`);
  });
});
