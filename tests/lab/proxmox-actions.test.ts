/**
 * Guest power actions against the lab over HTTPS: every action's task completes, the refusal
 * rules and texts of qemu-server / pve-container, hibernation, HA, the guest agent, and
 * failing tasks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox/index';
import { fakeNodeHost, labCall, type LabAuth, type LabResponse } from '../../src/lab/proxmox/test-kit';

let lab: ProxmoxClusterHandle;
let auth: LabAuth;

type Json = Record<string, unknown>;

function base(vmid: number): string {
  const g = lab.guest(vmid).info();
  return `/nodes/${g.node}/${g.type}/${vmid}`;
}

async function act(vmid: number, action: string, params: Record<string, string | number> = {}): Promise<LabResponse> {
  return labCall(lab.url, `${base(vmid)}/status/${action}`, { method: 'POST', auth, params, ca: lab.certPem });
}

async function get<T = Json>(path: string, params: Record<string, string | number> = {}): Promise<LabResponse<T>> {
  return labCall<T>(lab.url, path, { auth, params, ca: lab.certPem });
}

/** Waits for the task and returns its final status and log. */
async function finished(upid: unknown): Promise<{ status: Json; log: string[] }> {
  await lab.waitForIdle(5000);
  const node = String(upid).split(':')[1];
  const enc = encodeURIComponent(String(upid));
  const status = (await get(`/nodes/${node}/tasks/${enc}/status`)).body?.data ?? {};
  const log = ((await get<{ t: string }[]>(`/nodes/${node}/tasks/${enc}/log`)).body?.data ?? []).map((l) => l.t);
  return { status, log };
}

async function runOk(vmid: number, action: string, params: Record<string, string | number> = {}): Promise<string[]> {
  const res = await act(vmid, action, params);
  expect(res.status, `${action} ${vmid}: ${res.reason}`).toBe(200);
  const { status, log } = await finished(res.body?.data);
  expect(status.status).toBe('stopped');
  expect(status.exitstatus, `${action} ${vmid}: ${log.join(' | ')}`).toBe('OK');
  expect(log.at(-1)).toBe('TASK OK');
  return log;
}

async function current(vmid: number): Promise<Json> {
  return (await get(`${base(vmid)}/status/current`)).body?.data ?? {};
}

async function resource(vmid: number): Promise<Json | undefined> {
  const list = (await get<Json[]>('/cluster/resources', { type: 'vm' })).body?.data ?? [];
  return list.find((r) => r.vmid === vmid);
}

// The first eight guests of a lab are fixed archetypes (see generate.ts); on two nodes:
const WEB_HA = 100; // qemu, running, HA-managed, agent
const DB_CT = 101; // lxc, running
const APP_VM = 102; // qemu, stopped, agent installed
const CACHE_CT = 103; // lxc, stopped, dhcp
const WIN_VM = 104; // qemu, running, ignores ACPI, no agent
const MEDIA_VM = 107; // qemu, paused, agent configured but not running in the guest

beforeAll(async () => {
  lab = await startProxmoxCluster({
    nodes: [fakeNodeHost('pve1'), fakeNodeHost('pve2')],
    guests: 8,
    taskDelayMs: 5,
    shutdownTimeoutMs: 40,
    authFailDelayMs: 0,
    certificateKey: 'ec',
  });
  auth = { token: lab.credentials.adminToken.header };
});

afterAll(async () => {
  await lab?.stop();
});

describe('the lab starts with guests in every state', () => {
  it('has the archetypes', () => {
    expect(lab.guest(WEB_HA).info()).toMatchObject({ type: 'qemu', status: 'running', hastate: 'started' });
    expect(lab.guest(APP_VM).info()).toMatchObject({ type: 'qemu', status: 'stopped', agent: { configured: true } });
    expect(lab.guest(WIN_VM).info()).toMatchObject({ ignoresAcpi: true, agent: { configured: false } });
    expect(lab.guest(MEDIA_VM).info()).toMatchObject({ status: 'running', qmpstatus: 'paused' });
    expect(lab.guest(105).info().template).toBe(true);
    expect(lab.guest(DB_CT).info().mac).toMatch(/^BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}$/);
  });
});

describe('every action completes through its task', () => {
  it('QEMU: start, suspend, resume, reset, reboot, shutdown, stop', async () => {
    expect((await runOk(APP_VM, 'start')).at(-1)).toBe('TASK OK');
    expect(await current(APP_VM)).toMatchObject({ status: 'running', qmpstatus: 'running', agent: 1 });
    await runOk(APP_VM, 'suspend');
    expect(await current(APP_VM)).toMatchObject({ status: 'running', qmpstatus: 'paused' });
    // /cluster/resources says running and carries no qmpstatus, as pvestatd reports it.
    expect(await resource(APP_VM)).toMatchObject({ status: 'running' });
    expect(await resource(APP_VM)).not.toHaveProperty('qmpstatus');
    await runOk(APP_VM, 'resume');
    expect(await current(APP_VM)).toMatchObject({ qmpstatus: 'running' });
    await runOk(APP_VM, 'reset');
    await runOk(APP_VM, 'reboot');
    expect((await current(APP_VM)).status).toBe('running');
    await runOk(APP_VM, 'shutdown');
    expect(await current(APP_VM)).toMatchObject({ status: 'stopped', qmpstatus: 'stopped', uptime: 0 });
    await runOk(APP_VM, 'start');
    await runOk(APP_VM, 'stop');
    expect((await resource(APP_VM))?.status).toBe('stopped');
  });

  it('LXC: suspend, resume, reboot, shutdown, start, stop', async () => {
    await runOk(DB_CT, 'suspend');
    await runOk(DB_CT, 'resume');
    await runOk(DB_CT, 'reboot');
    await runOk(DB_CT, 'shutdown');
    expect((await current(DB_CT)).status).toBe('stopped');
    await runOk(DB_CT, 'start');
    expect((await current(DB_CT)).status).toBe('running');
    await runOk(DB_CT, 'stop');
    expect((await current(DB_CT)).status).toBe('stopped');
    await runOk(DB_CT, 'start');
  });
});

describe('refusals', () => {
  it('refuses reboot/reset/suspend/resume of a stopped VM at once', async () => {
    for (const action of ['reboot', 'reset', 'suspend', 'resume']) {
      const res = await act(APP_VM, action);
      expect([res.status, res.reason]).toEqual([500, `VM ${APP_VM} not running`]);
      expect(res.body).toEqual({ data: null, message: `VM ${APP_VM} not running\n` });
    }
    expect((await act(CACHE_CT, 'reboot')).reason).toBe(`CT ${CACHE_CT} not running`);
  });

  it('accepts starting a running VM and fails its task', async () => {
    const res = await act(WIN_VM, 'start');
    expect(res.status).toBe(200);
    const { status, log } = await finished(res.body?.data);
    expect(status.exitstatus).toBe(`VM ${WIN_VM} already running`);
    expect(log.at(-1)).toBe(`TASK ERROR: VM ${WIN_VM} already running`);
  });

  it('refuses starting a running container at once', async () => {
    const res = await act(DB_CT, 'start');
    expect([res.status, res.reason]).toEqual([500, `CT ${DB_CT} already running`]);
  });

  it('refuses to shut down a paused VM', async () => {
    const res = await act(MEDIA_VM, 'shutdown');
    expect([res.status, res.reason]).toEqual([500, 'VM is paused - cannot shutdown']);
  });

  it('refuses to destroy a running guest', async () => {
    const res = await labCall(lab.url, base(WIN_VM), { method: 'DELETE', auth, ca: lab.certPem });
    expect([res.status, res.reason]).toEqual([500, `VM ${WIN_VM} is running - destroy failed`]);
  });
});

describe('shutdown of a guest that ignores ACPI', () => {
  it('times out with the real error text, and forceStop stops it', async () => {
    const res = await act(WIN_VM, 'shutdown');
    const { status, log } = await finished(res.body?.data);
    expect(status.exitstatus).toBe('VM quit/powerdown failed - got timeout');
    expect(log.at(-1)).toBe('TASK ERROR: VM quit/powerdown failed - got timeout');
    expect((await current(WIN_VM)).status).toBe('running');
    const log2 = await runOk(WIN_VM, 'shutdown', { forceStop: 1 });
    expect(log2).toContain('VM still running - terminating now with SIGTERM');
    expect((await current(WIN_VM)).status).toBe('stopped');
    await runOk(WIN_VM, 'start');
  });

  it('a hung VM does not answer ACPI or its agent until reset', async () => {
    await runOk(APP_VM, 'start');
    lab.guest(APP_VM).setHung(true);
    const agent = await get(`${base(APP_VM)}/agent/network-get-interfaces`);
    expect(agent.reason).toBe('QEMU guest agent is not running');
    const res = await act(APP_VM, 'shutdown');
    const { status, log } = await finished(res.body?.data);
    expect(status.exitstatus).toBe('VM quit/powerdown failed - got timeout');
    expect(log[0]).toBe(`QEMU Guest Agent is not running - VM ${APP_VM} qga command 'guest-ping' failed - got timeout`);
    await runOk(APP_VM, 'reset');
    expect(lab.guest(APP_VM).info().hung).toBe(false);
  });
});

describe('hibernation', () => {
  it('locks "suspending", then stops with lock "suspended"; start resumes it', async () => {
    expect((await current(APP_VM)).status).toBe('running');
    const res = await act(APP_VM, 'suspend', { todisk: 1 });
    expect(String(res.body?.data)).toContain(':qmsuspend:');
    const { status } = await finished(res.body?.data);
    expect(status.exitstatus).toBe('OK');
    expect(await current(APP_VM)).toMatchObject({ status: 'stopped', lock: 'suspended' });
    expect(await resource(APP_VM)).toMatchObject({ status: 'stopped', lock: 'suspended' });
    expect((await act(APP_VM, 'resume')).reason).toBe(`VM ${APP_VM} not running`);
    const log = await runOk(APP_VM, 'start');
    expect(log).toContain('Resuming suspended VM');
    const after = await current(APP_VM);
    expect(after.status).toBe('running');
    expect(after.lock).toBeUndefined();
  });

  it('shows lock "suspending" while the state is written', async () => {
    const slow = await startProxmoxCluster({ nodes: [fakeNodeHost('solo')], guests: 3, taskDelayMs: 200, authFailDelayMs: 0, certificateKey: 'ec' });
    try {
      slow.guest(102).setStatus('running');
      const res = await labCall(slow.url, '/nodes/solo/qemu/102/status/suspend', {
        method: 'POST',
        auth: { token: slow.credentials.adminToken.header },
        params: { todisk: 1 },
        ca: slow.certPem,
      });
      expect(res.status).toBe(200);
      const during = await labCall<Json>(slow.url, '/nodes/solo/qemu/102/status/current', { auth: { token: slow.credentials.adminToken.header }, ca: slow.certPem });
      expect(during.body?.data).toMatchObject({ status: 'running', lock: 'suspending' });
      await slow.waitForIdle(5000);
      expect(slow.guest(102).info()).toMatchObject({ status: 'stopped', lock: 'suspended' });
    } finally {
      await slow.stop();
    }
  });
});

describe('HA-managed guests', () => {
  it('are stopped and started through the HA manager', async () => {
    const res = await act(WEB_HA, 'shutdown');
    expect(String(res.body?.data)).toContain(':hastop:');
    const { log } = await finished(res.body?.data);
    expect(log[0]).toBe(`Requesting HA stop for VM ${WEB_HA}`);
    expect(lab.guest(WEB_HA).info()).toMatchObject({ status: 'stopped', hastate: 'stopped' });
    const node = lab.guest(WEB_HA).info().node;
    const tasks = (await get<Json[]>(`/nodes/${node}/tasks`, { vmid: WEB_HA })).body?.data ?? [];
    expect(tasks.some((t) => t.type === 'qmshutdown' && t.user === 'root@pam')).toBe(true);
    const start = await act(WEB_HA, 'start');
    expect(String(start.body?.data)).toContain(':hastart:');
    await finished(start.body?.data);
    expect(lab.guest(WEB_HA).info()).toMatchObject({ status: 'running', hastate: 'started' });
  });
});

describe('addresses', () => {
  it('answers the guest agent with loopback addresses, or the real errors', async () => {
    const ok = await get<{ result: { name: string; 'ip-addresses': { 'ip-address': string }[] }[] }>(
      `${base(WEB_HA)}/agent/network-get-interfaces`,
    );
    expect(ok.status).toBe(200);
    const ens = ok.body?.data.result.find((i) => i.name === 'ens18');
    expect(ens?.['ip-addresses'][0]?.['ip-address']).toMatch(/^127\.0\.\d+\.\d+$/);
    expect((await get(`${base(WIN_VM)}/agent/network-get-interfaces`)).reason).toBe('No QEMU guest agent configured');
    expect((await get(`${base(MEDIA_VM)}/agent/network-get-interfaces`)).reason).toBe('QEMU guest agent is not running');
    await runOk(APP_VM, 'stop');
    expect((await get(`${base(APP_VM)}/agent/network-get-interfaces`)).reason).toBe(`VM ${APP_VM} is not running`);
  });

  it('lists container interfaces, and null for a stopped container', async () => {
    const running = await get<{ name: string; inet?: string; hwaddr: string }[]>(`${base(DB_CT)}/interfaces`);
    const eth0 = running.body?.data.find((i) => i.name === 'eth0');
    expect(eth0?.inet).toMatch(/^127\.0\.\d+\.\d+\/24$/);
    const stopped = await get(`${base(CACHE_CT)}/interfaces`);
    expect(stopped.status).toBe(200);
    expect(stopped.body?.data).toBeNull();
    const config = (await get(`${base(CACHE_CT)}/config`)).body?.data ?? {};
    expect(String(config.net0)).toMatch(/^name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:[0-9A-F:]+,ip=dhcp,type=veth$/);
  });
});

describe('tasks', () => {
  it('fails tasks on demand with a realistic message', async () => {
    lab.setFault({ failTasks: { types: ['qmstart'] } });
    try {
      const res = await act(APP_VM, 'start');
      const { status } = await finished(res.body?.data);
      expect(status.exitstatus).toBe('start failed: QEMU exited with code 1');
      expect((await current(APP_VM)).status).toBe('stopped');
    } finally {
      lab.setFault({ failTasks: undefined });
    }
    await runOk(APP_VM, 'start');
  });

  it('lists node tasks with total and answers unknown UPIDs with 400', async () => {
    const list = await get<Json[]>('/nodes/pve1/tasks', { limit: 3 });
    expect(list.body?.data).toHaveLength(3);
    expect(list.body?.total).toBeGreaterThan(3);
    const bogus = 'UPID:pve1:00000001:00000001:00000001:qmstart:100:root@pam:';
    const missing = await get(`/nodes/pve1/tasks/${encodeURIComponent(bogus)}/status`);
    expect([missing.status, missing.body?.errors]).toEqual([400, { upid: 'no such task' }]);
    const garbage = await get('/nodes/pve1/tasks/nonsense/status');
    expect(garbage.body?.errors).toEqual({ upid: 'unable to parse worker upid' });
  });
});
