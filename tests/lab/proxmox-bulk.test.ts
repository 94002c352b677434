/**
 * PVE 9's bulk guest actions: one API call starts one worker task that drives every guest
 * through its ordinary action (HA guests through HA, paused VMs resumed), logging skips as
 * warnings and naming failures; PVE 8 does not have them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox/index';
import { fakeNodeHost, labCall, type LabAuth, type LabResponse } from '../../src/lab/proxmox/test-kit';

type Json = Record<string, unknown>;

describe('bulk actions on PVE 9', () => {
  let lab: ProxmoxClusterHandle;
  let auth: LabAuth;

  const bulk = (action: string, body: Record<string, unknown>, as: LabAuth = auth): Promise<LabResponse> =>
    labCall(lab.url, `/cluster/bulk-action/guest/${action}`, { method: 'POST', json: body, auth: as, ca: lab.certPem });
  const get = async <T = Json>(path: string, params: Record<string, string | number> = {}): Promise<T | undefined> =>
    (await labCall<T>(lab.url, path, { auth, params, ca: lab.certPem })).body?.data;

  async function finished(upid: unknown): Promise<{ status: Json; log: string[] }> {
    await lab.waitForIdle(10_000);
    const node = String(upid).split(':')[1];
    const enc = encodeURIComponent(String(upid));
    const status = (await get<Json>(`/nodes/${node}/tasks/${enc}/status`)) ?? {};
    const log = ((await get<{ t: string }[]>(`/nodes/${node}/tasks/${enc}/log`, { limit: 500 })) ?? []).map((l) => l.t);
    return { status, log };
  }

  const infos = () => lab.vmids().map((v) => lab.guest(v).info());

  beforeAll(async () => {
    lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1'), fakeNodeHost('pve2'), fakeNodeHost('pve3')], guests: 30, seed: 4, taskDelayMs: 5, shutdownTimeoutMs: 30, authFailDelayMs: 0, certificateKey: 'ec' });
    auth = { token: lab.credentials.adminToken.header };
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('starts 20 guests with one API call and one bulk-start task', async () => {
    const twenty = infos()
      .filter((g) => !g.template && !g.lock && g.hastate === undefined)
      .slice(0, 20);
    expect(twenty).toHaveLength(20);
    for (const g of twenty) lab.guest(g.vmid).setStatus('stopped');
    lab.resetRequestLog();

    const res = await bulk('start', { vms: twenty.map((g) => g.vmid) });
    expect(res.status, res.text).toBe(200);
    expect(String(res.body?.data)).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:bulk-start::root@pam!rackdeck:$/);
    // The client made exactly one request; the worker's per-guest calls stay inside the cluster.
    expect(lab.requestCount()).toBe(1);

    const { status, log } = await finished(res.body?.data);
    expect(status).toMatchObject({ type: 'bulk-start', id: '', status: 'stopped', exitstatus: 'OK' });
    expect(log[0]).toBe(`Starting guests: ${twenty.map((g) => g.vmid).join(', ')}`);
    for (const g of twenty) {
      expect(log).toContain(`Starting ${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid}`);
      expect(lab.guest(g.vmid).info().status).toBe('running');
    }
    const tasks = (await get<Json[]>('/cluster/tasks')) ?? [];
    const children = tasks.filter((t) => (t.type === 'qmstart' || t.type === 'vzstart') && twenty.some((g) => String(g.vmid) === t.id));
    expect(children.length).toBeGreaterThanOrEqual(20);
  });

  it('resumes paused VMs, skips running ones with a warning, and goes through HA for HA guests', async () => {
    const [paused, running, ha] = infos().filter((g) => g.type === 'qemu' && !g.template && !g.lock && g.hastate === undefined);
    if (!paused || !running || !ha) throw new Error('not enough VMs');
    lab.guest(paused.vmid).setStatus('paused');
    lab.guest(running.vmid).setStatus('running');
    lab.guest(ha.vmid).setHa('stopped');

    const res = await bulk('start', { vms: [paused.vmid, running.vmid, ha.vmid] });
    const { status, log } = await finished(res.body?.data);
    expect(status.exitstatus).toBe('WARNINGS: 1');
    expect(log).toContain(`WARN: Skipping VM ${running.vmid}, already running.`);
    expect(log.at(-1)).toBe('TASK WARNINGS: 1');
    expect(lab.guest(paused.vmid).info().qmpstatus).toBe('running');
    expect(lab.guest(ha.vmid).info()).toMatchObject({ status: 'running', hastate: 'started', haRequest: 'started' });
    const haTasks = ((await get<Json[]>(`/nodes/${ha.node}/tasks`, { vmid: ha.vmid, source: 'all' })) ?? []).map((t) => t.type);
    expect(haTasks).toContain('hastart');
    lab.guest(ha.vmid).setHa(undefined);
  });

  it('names the guests that failed', async () => {
    const [locked, fine] = infos().filter((g) => g.type === 'qemu' && !g.template && g.hastate === undefined);
    if (!locked || !fine) throw new Error('not enough VMs');
    lab.guest(locked.vmid).setStatus('stopped');
    lab.guest(fine.vmid).setStatus('stopped');
    lab.guest(locked.vmid).setLock('backup');
    const res = await bulk('start', { vms: [locked.vmid, fine.vmid] });
    const { status, log } = await finished(res.body?.data);
    expect(status.exitstatus).toBe(`Some guests failed to start: ${locked.vmid}`);
    expect(log).toContain(`WARN: Starting VM ${locked.vmid} failed: VM is locked (backup)`);
    expect(lab.guest(fine.vmid).info().status).toBe('running');
    lab.guest(locked.vmid).setLock(undefined);
  });

  it('shuts down and suspends (VMs only) the listed guests', async () => {
    const vm = infos().find((g) => g.type === 'qemu' && !g.template && !g.lock && g.hastate === undefined && !g.ignoresAcpi);
    const ct = infos().find((g) => g.type === 'lxc' && !g.template && !g.lock && g.hastate === undefined);
    if (!vm || !ct) throw new Error('no guests');
    lab.guest(vm.vmid).setStatus('running');
    lab.guest(ct.vmid).setStatus('running');

    const suspend = await finished((await bulk('suspend', { vms: [vm.vmid, ct.vmid] })).body?.data);
    expect(suspend.log).toContain(`WARN: skipping ${ct.vmid}, only VMs can be suspended`);
    expect(suspend.status.exitstatus).toBe('WARNINGS: 1');
    expect(lab.guest(vm.vmid).info().qmpstatus).toBe('paused');

    // Without force-stop the real worker skips a paused VM; with it, it shuts it down.
    const skipped = await finished((await bulk('shutdown', { vms: [vm.vmid] })).body?.data);
    expect(skipped.log).toContain(`WARN: Skipping VM ${vm.vmid}, resume paused VM before shutdown.`);
    const down = await finished((await bulk('shutdown', { vms: [vm.vmid, ct.vmid], 'force-stop': 1, timeout: 30 })).body?.data);
    expect(down.status.exitstatus).toBe('OK');
    expect(down.log).toContain(`Shutting down CT ${ct.vmid} (Timeout = 30 seconds)`);
    expect([lab.guest(vm.vmid).info().status, lab.guest(ct.vmid).info().status]).toEqual(['stopped', 'stopped']);
  });

  it('checks VM.PowerMgmt and the vms list', async () => {
    const audit = { token: lab.credentials.auditToken.header };
    const all = await bulk('start', {}, audit);
    expect([all.status, all.reason]).toEqual([403, 'Permission check failed (/, VM.PowerMgmt)']);
    const some = await bulk('start', { vms: [lab.vmids()[0]] }, audit);
    expect(some.reason).toBe(`Permission check failed (/vms/${lab.vmids()[0]}, VM.PowerMgmt)`);
    const bad = await bulk('start', { vms: [100, 42] });
    expect(bad.status).toBe(400);
    expect(bad.body?.errors).toEqual({ 'vms[1]': 'invalid format - value does not look like a valid VM ID\n' });
    // Repeated form fields are the array too.
    const form = await labCall(lab.url, '/cluster/bulk-action/guest/suspend?vms=9998&vms=9999', { method: 'POST', auth, ca: lab.certPem });
    expect(form.status).toBe(200);
  });
});

describe('bulk actions on PVE 8', () => {
  it('do not exist: 501 like a real 8.4 node', async () => {
    const lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1')], version: 8, guests: 4, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
    try {
      const res = await labCall(lab.url, '/cluster/bulk-action/guest/start', { method: 'POST', auth: { token: lab.credentials.adminToken.header }, ca: lab.certPem });
      expect([res.status, res.reason]).toEqual([501, "Method 'POST /cluster/bulk-action/guest/start' not implemented"]);
      const index = await labCall(lab.url, '/cluster/bulk-action', { auth: { token: lab.credentials.adminToken.header }, ca: lab.certPem });
      expect(index.status).toBe(501);
    } finally {
      await lab.stop();
    }
  });
});
