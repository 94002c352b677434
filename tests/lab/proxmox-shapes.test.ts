/**
 * The shapes real servers answer in and clients must read, on both releases: unnamed, paused,
 * hibernated, template and locked guests; numbers sent as strings; fields missing on stopped
 * guests; a node that is down (595, status unknown) while the others answer; a 401 with an
 * empty body; and backups (vzdump tasks and backup volumes) a client can date each guest's
 * last good backup from. Also the realWorld defaults the demo uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox/index';
import { fakeNodeHost, labCall, type FakeNodeHost, type LabAuth, type LabResponse } from '../../src/lab/proxmox/test-kit';

type Json = Record<string, unknown>;
const DAY = 86_400_000;

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each([9, 8] as const)('real-server shapes on PVE %i', (version) => {
  let lab: ProxmoxClusterHandle;
  let hosts: FakeNodeHost[];
  let auth: LabAuth;
  const get = <T = Json>(path: string, params: Record<string, string | number> = {}, url = lab.url): Promise<LabResponse<T>> =>
    labCall<T>(url, path, { auth, params, ca: lab.certPem });
  const resources = async (): Promise<Json[]> => (await get<Json[]>('/cluster/resources', { type: 'vm' })).body?.data ?? [];
  const resource = async (vmid: number): Promise<Json | undefined> => (await resources()).find((r) => r.vmid === vmid);
  const pick = (pred: (g: ReturnType<ProxmoxClusterHandle['guest']>['info'] extends () => infer I ? I : never) => boolean) => {
    const g = lab.vmids().map((v) => lab.guest(v).info()).find((x) => !x.template && !x.lock && x.hastate === undefined && pred(x));
    if (!g) throw new Error('no such guest');
    return g;
  };

  beforeAll(async () => {
    hosts = [fakeNodeHost('pve1'), fakeNodeHost('pve2'), fakeNodeHost('pve3')];
    lab = await startProxmoxCluster({ nodes: hosts, version, guests: 18, seed: 21, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
    auth = { token: lab.credentials.adminToken.header };
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('lists an unnamed VM as "VM <vmid>" and an unnamed container as "CT<vmid>", with no name in their configs', async () => {
    const vm = pick((g) => g.type === 'qemu' && g.status === 'running');
    const ct = pick((g) => g.type === 'lxc');
    lab.guest(vm.vmid).setName(undefined);
    lab.guest(ct.vmid).setName(undefined);
    expect(lab.guest(vm.vmid).info()).toMatchObject({ name: `VM ${vm.vmid}`, named: false });
    expect((await resource(vm.vmid))?.name).toBe(`VM ${vm.vmid}`);
    expect((await resource(ct.vmid))?.name).toBe(`CT${ct.vmid}`);
    const vmConfig = (await get(`/nodes/${vm.node}/qemu/${vm.vmid}/config`)).body?.data;
    expect(vmConfig).not.toHaveProperty('name');
    expect(vmConfig).toHaveProperty('net0');
    expect((await get(`/nodes/${ct.node}/lxc/${ct.vmid}/config`)).body?.data).not.toHaveProperty('hostname');
    expect((await get(`/nodes/${vm.node}/qemu/${vm.vmid}/status/current`)).body?.data.name).toBe(`VM ${vm.vmid}`);
    lab.guest(vm.vmid).setName('named-again');
    expect((await resource(vm.vmid))?.name).toBe('named-again');
  });

  it('says running without qmpstatus for a paused VM in /cluster/resources; status/current and qemu?full=1 say paused', async () => {
    const vm = pick((g) => g.type === 'qemu' && g.status === 'running');
    lab.guest(vm.vmid).setStatus('paused');
    const entry = await resource(vm.vmid);
    expect(entry?.status).toBe('running');
    expect(entry).not.toHaveProperty('qmpstatus');
    expect((await get(`/nodes/${vm.node}/qemu/${vm.vmid}/status/current`)).body?.data).toMatchObject({ status: 'running', qmpstatus: 'paused' });

    const full = (await get<Json[]>(`/nodes/${vm.node}/qemu`, { full: 1 })).body?.data ?? [];
    expect(full.length).toBeGreaterThan(0);
    for (const e of full) expect(['running', 'paused', 'stopped']).toContain(e.qmpstatus);
    expect(full.find((e) => e.vmid === vm.vmid)).toMatchObject({ status: 'running', qmpstatus: 'paused' });
    const plain = (await get<Json[]>(`/nodes/${vm.node}/qemu`)).body?.data ?? [];
    for (const e of plain) expect(e).not.toHaveProperty('qmpstatus');
    lab.guest(vm.vmid).setStatus('running');
  });

  it('shows a hibernated VM stopped with lock "suspended"; a start resumes it', async () => {
    const vm = pick((g) => g.type === 'qemu' && g.status === 'running' && g.agent.configured);
    lab.guest(vm.vmid).setStatus('hibernated');
    expect(await resource(vm.vmid)).toMatchObject({ status: 'stopped', lock: 'suspended' });
    expect((await get(`/nodes/${vm.node}/qemu/${vm.vmid}/status/current`)).body?.data).toMatchObject({ status: 'stopped', qmpstatus: 'stopped', lock: 'suspended' });
    expect((await get(`/nodes/${vm.node}/qemu/${vm.vmid}/config`)).body?.data).toMatchObject({ lock: 'suspended' });
    const start = await labCall(lab.url, `/nodes/${vm.node}/qemu/${vm.vmid}/status/start`, { method: 'POST', auth, ca: lab.certPem });
    expect(start.status).toBe(200);
    await lab.waitForIdle(5000);
    expect(await resource(vm.vmid)).toMatchObject({ status: 'running' });
    expect(await resource(vm.vmid)).not.toHaveProperty('lock');
  });

  it('carries templates and locks, and refuses actions on a locked guest', async () => {
    const template = lab.vmids().map((v) => lab.guest(v).info()).find((g) => g.template);
    expect((await resource(template?.vmid ?? 0))?.template).toBe(1);
    for (const lock of ['backup', 'migrate', 'snapshot']) {
      const g = pick((x) => x.status === 'stopped');
      lab.guest(g.vmid).setLock(lock);
      expect((await resource(g.vmid))?.lock).toBe(lock);
      const res = await labCall(lab.url, `/nodes/${g.node}/${g.type}/${g.vmid}/status/start`, { method: 'POST', auth, ca: lab.certPem });
      await lab.waitForIdle(5000);
      const status = (await get(`/nodes/${g.node}/tasks/${encodeURIComponent(String(res.body?.data))}/status`)).body?.data;
      expect(status?.exitstatus).toBe(`${g.type === 'qemu' ? 'VM' : 'CT'} is locked (${lock})`);
      lab.guest(g.vmid).setLock(undefined);
    }
  });

  it('sends container vmids and console ports as strings', async () => {
    const cts = (await get<Json[]>('/nodes/pve1/lxc')).body?.data ?? [];
    expect(cts.length).toBeGreaterThan(0);
    for (const ct of cts) expect(ct.vmid).toMatch(/^\d+$/);
    for (const vm of (await get<Json[]>('/nodes/pve1/qemu')).body?.data ?? []) expect(typeof vm.vmid).toBe('number');
    const login = await labCall<{ ticket: string; CSRFPreventionToken: string }>(lab.url, '/access/ticket', { method: 'POST', params: lab.credentials.user, ca: lab.certPem });
    const shell = await labCall<Json>(lab.url, '/nodes/pve1/termproxy', { method: 'POST', auth: { ticket: login.body?.data.ticket, csrf: login.body?.data.CSRFPreventionToken }, ca: lab.certPem });
    expect(shell.body?.data.port).toMatch(/^\d+$/);
    await labCall(lab.url, `/nodes/pve1/tasks/${encodeURIComponent(String(shell.body?.data.upid))}`, { method: 'DELETE', auth, ca: lab.certPem });
  });

  it('leaves out what a stopped guest does not have', async () => {
    const vm = pick((g) => g.type === 'qemu' && g.status === 'stopped');
    const listed = ((await get<Json[]>(`/nodes/${vm.node}/qemu`, { full: 1 })).body?.data ?? []).find((e) => e.vmid === vm.vmid);
    for (const key of ['pid', 'running-qemu', 'running-machine', 'memhost']) expect(listed).not.toHaveProperty(key);
    expect(listed).toMatchObject({ status: 'stopped', qmpstatus: 'stopped', uptime: 0 });
  });

  it('answers 595 for a node that is down while the others answer, and lists its guests as unknown', async () => {
    const down = hosts[2] as FakeNodeHost;
    const g = lab.vmids().map((v) => lab.guest(v).info()).find((x) => x.node === 'pve3');
    down.setPower('off');
    await until(async () => ((await resources()).find((r) => r.vmid === g?.vmid)?.status ?? '') === 'unknown');
    const res = await get(`/nodes/pve3/${g?.type}/${g?.vmid}/status/current`);
    expect([res.status, res.reason, res.text]).toEqual([595, 'No route to host', '']);
    expect((await get('/nodes/pve1/status')).status).toBe(200);
    const entry = await resource(g?.vmid ?? 0);
    expect(entry).not.toHaveProperty('cpu');
    expect(entry).not.toHaveProperty('memhost');
    down.setPower('on');
    await until(async () => (await resources()).every((r) => r.status !== 'unknown'));
  });

  it('answers a bad token with 401, the reason in the status line and an empty body', async () => {
    const res = await labCall(lab.url, '/cluster/resources', { auth: { token: 'PVEAPIToken=root@pam!rackdeck=00000000-0000-4000-8000-000000000000' }, ca: lab.certPem });
    expect([res.status, res.reason, res.text]).toEqual([401, 'invalid token value!', '']);
  });

  it('keeps vzdump tasks and backup volumes in step, so a guest\'s last good backup can be dated', async () => {
    const g = pick((x) => x.type === 'qemu');
    const before = lab.guest(g.vmid).info().backups.length;
    lab.guest(g.vmid).addBackup({ ageMs: 3 * DAY });
    lab.guest(g.vmid).addBackup({ ageMs: 1 * DAY, ok: false });
    const info = lab.guest(g.vmid).info();
    expect(info.backups).toHaveLength(before + 1);

    const volumes = ((await get<Json[]>('/nodes/pve1/storage/nas/content', { content: 'backup', vmid: g.vmid })).body?.data ?? []).sort(
      (a, b) => Number(a.ctime) - Number(b.ctime),
    );
    const last = volumes.at(-1);
    expect(last).toMatchObject({ content: 'backup', format: 'vma.zst', vmid: g.vmid, subtype: 'qemu' });
    expect(String(last?.volid)).toMatch(new RegExp(`^nas:backup/vzdump-qemu-${g.vmid}-\\d{4}_\\d{2}_\\d{2}-\\d{2}_\\d{2}_\\d{2}\\.vma\\.zst$`));
    const ageDays = (Date.now() / 1000 - Number(last?.ctime)) / 86_400;
    expect(Math.round(ageDays)).toBe(3);

    const tasks = ((await get<Json[]>(`/nodes/${g.node}/tasks`, { typefilter: 'vzdump', vmid: g.vmid, source: 'all', limit: 100 })).body?.data ?? []).sort(
      (a, b) => Number(b.starttime) - Number(a.starttime),
    );
    expect(tasks[0]).toMatchObject({ type: 'vzdump', id: String(g.vmid), status: 'job errors' });
    expect(tasks[1]).toMatchObject({ type: 'vzdump', id: String(g.vmid), status: 'OK' });
    const cluster = (await get<Json[]>('/cluster/tasks')).body?.data ?? [];
    expect(cluster.some((t) => t.type === 'vzdump' && t.id === String(g.vmid))).toBe(true);
    const log = (await get<{ t: string }[]>(`/nodes/${g.node}/tasks/${encodeURIComponent(String(tasks[1]?.upid))}/log`)).body?.data ?? [];
    expect(log.map((l) => l.t)).toContain('INFO: Backup job finished successfully');
  });
});

describe('the realWorld defaults of the demo cluster', () => {
  let lab: ProxmoxClusterHandle;
  beforeAll(async () => {
    lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1'), fakeNodeHost('pve2')], guests: 12, realWorld: true, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('has an unnamed VM, a hibernated one, stale locks and an ignored HA resource', () => {
    const guests = lab.vmids().map((v) => lab.guest(v).info());
    expect(guests.filter((g) => !g.named && g.type === 'qemu')).toHaveLength(1);
    expect(guests.find((g) => g.name === 'homecloud')).toMatchObject({ status: 'stopped', lock: 'suspended' });
    expect(new Set(guests.map((g) => g.lock).filter(Boolean))).toEqual(new Set(['suspended', 'backup', 'migrate', 'snapshot']));
    expect(guests.some((g) => g.hastate === 'ignored')).toBe(true);
    expect(guests.some((g) => g.qmpstatus === 'paused')).toBe(true);
  });

  it('has a backup history with current, stale, failed and missing backups', () => {
    const guests = lab.vmids().map((v) => lab.guest(v).info()).filter((g) => !g.template);
    const now = Date.now() / 1000;
    const ages = guests.map((g) => {
      const last = g.backups.at(-1);
      return last === undefined ? Infinity : (now - last.ctime) / 86_400;
    });
    expect(ages.some((a) => a === Infinity)).toBe(true);
    expect(ages.some((a) => a < 2)).toBe(true);
    expect(ages.some((a) => a > 20 && a < Infinity)).toBe(true);
  });
});
