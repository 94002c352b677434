/**
 * What differs between the two releases the lab models: /version, the privileges that exist
 * (VM.Monitor on 8, VM.GuestAgent.* on 9) and what the guest agent needs, PVE 9's memhost and
 * pressure-stall figures, and API tokens on consoles (refused by 8's termproxy, accepted by 9's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox/index';
import { fakeNodeHost, labCall, type LabAuth, type LabResponse } from '../../src/lab/proxmox/test-kit';

type Json = Record<string, unknown>;

const AGENT_SECRET = '5b3a6c2e-0d1f-4f5a-9c1e-2a7b8c9d0e1f';

function labOf(version: 9 | 8): Promise<ProxmoxClusterHandle> {
  return startProxmoxCluster({
    nodes: [fakeNodeHost('pve1'), fakeNodeHost('pve2')],
    version,
    guests: 8,
    seed: 11,
    taskDelayMs: 5,
    authFailDelayMs: 0,
    certificateKey: 'ec',
    tokens: [{ tokenId: 'agent@pve!ro', secret: AGENT_SECRET, privileges: ['VM.Audit'] }],
  });
}

describe.each([
  [9, '9.1', 'VM.GuestAgent.Audit', 'VM.Monitor'],
  [8, '8.4', 'VM.Monitor', 'VM.GuestAgent.Audit'],
] as const)('PVE %i', (version, release, agentPrivilege, foreignPrivilege) => {
  let lab: ProxmoxClusterHandle;
  let admin: LabAuth;
  const call = <T = Json>(method: string, path: string, params: Record<string, string | number> = {}, auth: LabAuth = admin): Promise<LabResponse<T>> =>
    labCall<T>(lab.url, path, { method, auth, params, ca: lab.certPem });
  const agentVm = () => {
    const g = lab.vmids().map((v) => lab.guest(v).info()).find((x) => x.type === 'qemu' && x.agent.running);
    if (!g) throw new Error('no VM with a running agent');
    return g;
  };

  beforeAll(async () => {
    lab = await labOf(version);
    admin = { token: lab.credentials.adminToken.header };
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it(`answers /version with ${release}.x`, async () => {
    expect(lab.version).toBe(version);
    const v = (await call('GET', '/version')).body?.data;
    expect(v).toMatchObject({ release, version: expect.stringMatching(new RegExp(`^${release.replace('.', '\\.')}\\.\\d+$`)) });
    expect((await call('GET', '/nodes/pve1/version')).body?.data).toMatchObject({ release });
    expect(lab.describe().version).toMatch(new RegExp(`^${release.replace('.', '\\.')}\\.`));
  });

  it(`refuses a role naming ${foreignPrivilege} with a 400, and takes ${agentPrivilege}`, async () => {
    const refused = await call('POST', '/access/roles', { roleid: 'Rackdeck', privs: `VM.Audit,${foreignPrivilege}` });
    expect([refused.status, refused.reason]).toEqual([400, 'Parameter verification failed.']);
    expect(refused.body?.errors).toEqual({ privs: `invalid format - invalid privilege '${foreignPrivilege}'\n` });
    expect((await call('POST', '/access/roles', { roleid: 'Rackdeck', privs: `VM.Audit,${agentPrivilege}` })).status).toBe(200);
    expect((await call('GET', '/access/roles/Rackdeck')).body?.data).toEqual({ 'VM.Audit': 1, [agentPrivilege]: 1 });
    const modify = await call('PUT', '/access/roles/Rackdeck', { privs: foreignPrivilege, append: 1 });
    expect(modify.status).toBe(400);
    await expect(labOf8or9WithToken(version, foreignPrivilege)).rejects.toThrow(`invalid privilege '${foreignPrivilege}'`);
  });

  it(`needs ${agentPrivilege} for guest-agent calls, grantable through an ACL`, async () => {
    const vm = agentVm();
    const path = `/nodes/${vm.node}/qemu/${vm.vmid}/agent/network-get-interfaces`;
    const agentToken = { token: `PVEAPIToken=agent@pve!ro=${AGENT_SECRET}` };
    const denied = await call('GET', path, {}, agentToken);
    expect(denied.status).toBe(403);
    expect(denied.reason).toBe(
      version === 9 ? `Permission check failed (/vms/${vm.vmid}, VM.GuestAgent.Audit|VM.GuestAgent.Unrestricted)` : `Permission check failed (/vms/${vm.vmid}, VM.Monitor)`,
    );
    await call('POST', '/access/roles', { roleid: 'AgentReader', privs: agentPrivilege });
    expect((await call('PUT', '/access/acl', { path: '/', roles: 'AgentReader', tokens: 'agent@pve!ro' })).status).toBe(200);
    expect((await call<Json[]>('GET', '/access/acl')).body?.data).toContainEqual({ path: '/', type: 'token', ugid: 'agent@pve!ro', roleid: 'AgentReader', propagate: 1 });
    const allowed = await call<{ result: Json[] }>('GET', path, {}, agentToken);
    expect(allowed.status).toBe(200);
    expect(allowed.body?.data.result.length).toBeGreaterThan(1);
  });

  it(version === 9 ? 'reports memhost and pressure figures for running guests only' : 'has no memhost or pressure figures', async () => {
    const resources = (await call<Json[]>('GET', '/cluster/resources', { type: 'vm' })).body?.data ?? [];
    const runningVm = resources.find((r) => r.type === 'qemu' && r.status === 'running');
    const stoppedVm = resources.find((r) => r.type === 'qemu' && r.status === 'stopped' && r.template === 0);
    const ct = lab.vmids().map((v) => lab.guest(v).info()).find((g) => g.type === 'lxc' && g.status === 'running');
    const vmCurrent = (await call('GET', `/nodes/${runningVm?.node}/qemu/${runningVm?.vmid}/status/current`)).body?.data ?? {};
    const ctCurrent = (await call('GET', `/nodes/${ct?.node}/lxc/${ct?.vmid}/status/current`)).body?.data ?? {};
    const stoppedCurrent = (await call('GET', `/nodes/${stoppedVm?.node}/qemu/${stoppedVm?.vmid}/status/current`)).body?.data ?? {};
    const pressure = ['pressurecpusome', 'pressureiosome', 'pressureiofull', 'pressurememorysome', 'pressurememoryfull'];
    if (version === 9) {
      expect(runningVm?.memhost).toEqual(expect.any(Number));
      for (const key of [...pressure, 'pressurecpufull', 'memhost']) expect(vmCurrent[key], key).toEqual(expect.any(Number));
      for (const key of pressure) expect(ctCurrent[key], key).toEqual(expect.any(Number));
      expect(ctCurrent).not.toHaveProperty('memhost');
    } else {
      expect(runningVm).not.toHaveProperty('memhost');
      for (const key of [...pressure, 'memhost']) expect(vmCurrent).not.toHaveProperty(key);
    }
    // Fields that only exist while a guest runs are missing on a stopped one.
    for (const key of [...pressure, 'memhost', 'pid', 'running-qemu']) expect(stoppedCurrent).not.toHaveProperty(key);
    expect(stoppedVm).not.toHaveProperty('memhost');
  });

  if (version === 9) {
    it('shows memory pressure when a guest is starved of memory', async () => {
      const vm = agentVm();
      const read = async () => (await call('GET', `/nodes/${vm.node}/qemu/${vm.vmid}/status/current`)).body?.data ?? {};
      lab.guest(vm.vmid).setLoad({ mem: 0.2 });
      expect((await read()).pressurememorysome).toBe(0);
      lab.guest(vm.vmid).setLoad({ mem: 1 });
      expect(Number((await read()).pressurememorysome)).toBeGreaterThan(10);
    });
  }

  it(version === 9 ? 'opens node shells and guest consoles for an API token' : 'refuses API-token sessions on consoles', async () => {
    const shell = (await call<{ user: string; ticket: string; port: string }>('POST', '/nodes/pve1/termproxy')).body?.data;
    expect(shell?.user).toBe('root@pam!rackdeck');
    const ws = await openConsole(lab, '/nodes/pve1/vncwebsocket', shell?.port ?? '', shell?.ticket ?? '');
    ws.send(Buffer.from(`${shell?.user}:${shell?.ticket}\n`));
    const first = await nextMessageOrClose(ws);
    if (version === 9) {
      expect(first).toBe('OK');
      ws.close();
    } else {
      expect(first).toBe('closed');
    }
    // termproxy's check itself: /access/vncticket (9) takes a token id; /access/ticket never does.
    const again = (await call<{ user: string; ticket: string; upid: string }>('POST', '/nodes/pve1/termproxy')).body?.data;
    const legacy = await labCall(lab.url, '/access/ticket', { method: 'POST', params: { username: again?.user ?? '', password: again?.ticket ?? '', path: '/nodes/pve1', privs: 'Sys.Console' }, ca: lab.certPem });
    expect(legacy.status).toBe(401);
    const modern = await labCall(lab.url, '/access/vncticket', { method: 'POST', params: { authid: again?.user ?? '', vncticket: again?.ticket ?? '', path: '/nodes/pve1', privs: 'Sys.Console' }, ca: lab.certPem });
    expect(modern.status).toBe(version === 9 ? 200 : 501);
    await call('DELETE', `/nodes/pve1/tasks/${encodeURIComponent(again?.upid ?? '')}`);
  });

  if (version === 9) {
    it('runs a VM screen (RFB) for an API token', async () => {
      const vm = agentVm();
      const grant = (await call<{ ticket: string; port: string }>('POST', `/nodes/${vm.node}/qemu/${vm.vmid}/vncproxy`, { websocket: 1 })).body?.data;
      const ws = await openConsole(lab, `/nodes/${vm.node}/qemu/${vm.vmid}/vncwebsocket`, grant?.port ?? '', grant?.ticket ?? '');
      expect(await nextMessageOrClose(ws)).toBe('RFB 003.008\n');
      ws.send(Buffer.from('RFB 003.008\n', 'latin1'));
      // Security types: one, "None" — a token session is not refused.
      expect(await nextBytes(ws)).toEqual([1, 1]);
      ws.close();
    });
  }
});

function labOf8or9WithToken(version: 9 | 8, privilege: string): Promise<ProxmoxClusterHandle> {
  return startProxmoxCluster({ nodes: [fakeNodeHost('pve9')], version, guests: 0, tokens: [{ tokenId: 'x@pve!y', privileges: [privilege] }], certificateKey: 'ec' });
}

function openConsole(lab: ProxmoxClusterHandle, path: string, port: string, ticket: string): Promise<WebSocket> {
  const url = `${lab.url.replace('https', 'wss')}/api2/json${path}?port=${port}&vncticket=${encodeURIComponent(ticket)}`;
  const ws = new WebSocket(url, 'binary', { ca: lab.certPem, headers: { Authorization: lab.credentials.adminToken.header } });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode} ${res.statusMessage}`)));
    ws.once('error', reject);
  });
}

function nextMessageOrClose(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => {
    ws.once('message', (data: Buffer) => resolve(data.toString('latin1')));
    ws.once('close', () => resolve('closed'));
  });
}

function nextBytes(ws: WebSocket): Promise<number[]> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve([...data])));
}
