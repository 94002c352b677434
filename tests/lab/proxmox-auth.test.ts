/**
 * Authentication and authorisation as pveproxy does them: API tokens, tickets with CSRF
 * tokens, renewal, expiry, the 401 shapes and the 403 texts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox/index';
import { fakeNodeHost, labCall, type LabAuth } from '../../src/lab/proxmox/test-kit';

let lab: ProxmoxClusterHandle;
let admin: LabAuth;
let audit: LabAuth;

const get = (path: string, auth: LabAuth, params: Record<string, string | number> = {}) =>
  labCall(lab.url, path, { auth, params, ca: lab.certPem });
const post = (path: string, auth: LabAuth, params: Record<string, string | number> = {}) =>
  labCall(lab.url, path, { method: 'POST', auth, params, ca: lab.certPem });

async function login(password = lab.credentials.user.password, username = 'root@pam') {
  return labCall<{ username: string; ticket: string; CSRFPreventionToken: string; clustername: string; cap: Record<string, unknown> }>(
    lab.url,
    '/access/ticket',
    { method: 'POST', params: { username, password }, ca: lab.certPem },
  );
}

function firstGuest(type: 'qemu' | 'lxc', status: 'running' | 'stopped') {
  const g = lab
    .vmids()
    .map((v) => lab.guest(v).info())
    .find((x) => x.type === type && x.status === status && !x.template && !x.hastate);
  if (!g) throw new Error(`no ${status} ${type}`);
  return g;
}

beforeAll(async () => {
  lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1')], guests: 8, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec', seed: 3 });
  admin = { token: lab.credentials.adminToken.header };
  audit = { token: lab.credentials.auditToken.header };
});

afterAll(async () => {
  await lab?.stop();
});

describe('API tokens', () => {
  it('formats credentials like pveum does', () => {
    expect(lab.credentials.adminToken.tokenId).toBe('root@pam!rackdeck');
    expect(lab.credentials.adminToken.secret).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(lab.credentials.adminToken.header).toBe(`PVEAPIToken=root@pam!rackdeck=${lab.credentials.adminToken.secret}`);
    expect(lab.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('accepts a valid token without CSRF, also for writes', async () => {
    expect((await get('/version', admin)).body?.data).toMatchObject({ release: '9.1' });
    const g = firstGuest('qemu', 'stopped');
    const res = await post(`/nodes/${g.node}/qemu/${g.vmid}/status/start`, admin);
    expect(res.status).toBe(200);
    expect(String(res.body?.data)).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmstart:\d+:root@pam!rackdeck:$/);
    await lab.waitForIdle();
  });

  it('refuses missing, unknown and wrong tokens with 401, the reason in the status line and an empty body', async () => {
    const none = await get('/cluster/resources', {});
    expect([none.status, none.reason, none.text]).toEqual([401, 'No ticket', '']);
    const wrong = await get('/cluster/resources', { token: `PVEAPIToken=root@pam!rackdeck=00000000-0000-4000-8000-000000000000` });
    expect([wrong.status, wrong.reason, wrong.text]).toEqual([401, 'invalid token value!', '']);
    const unknown = await get('/cluster/resources', { token: 'PVEAPIToken=root@pam!nope=x' });
    expect([unknown.status, unknown.reason]).toEqual([401, "no such token 'nope' for user 'root@pam'"]);
  });

  it('gives the limited token read access and the exact 403 text for what it lacks', async () => {
    const list = await get('/cluster/resources', audit, { type: 'vm' });
    expect(list.status).toBe(200);
    expect((list.body?.data as unknown[]).length).toBe(lab.vmids().length);
    const g = firstGuest('qemu', 'running');
    const denied = await post(`/nodes/${g.node}/qemu/${g.vmid}/status/stop`, audit);
    expect(denied.status).toBe(403);
    expect(denied.reason).toBe(`Permission check failed (/vms/${g.vmid}, VM.PowerMgmt)`);
    expect(denied.body).toEqual({ data: null, message: `Permission check failed (/vms/${g.vmid}, VM.PowerMgmt)\n` });
    const rollback = await post(`/nodes/${g.node}/qemu/${g.vmid}/snapshot/x/rollback`, audit);
    expect(rollback.reason).toBe(`Permission check failed (/vms/${g.vmid}, VM.Snapshot|VM.Snapshot.Rollback)`);
    const shell = await post('/nodes/pve1/termproxy', audit);
    expect(shell.reason).toBe('Permission check failed (/nodes/pve1, Sys.Console)');
  });
});

describe('tickets', () => {
  it('logs in with form and JSON bodies', async () => {
    const form = await login();
    expect(form.status).toBe(200);
    expect(form.body?.data).toMatchObject({ username: 'root@pam', clustername: 'homelab' });
    expect(form.body?.data.ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::\S+$/);
    expect(form.body?.data.CSRFPreventionToken).toMatch(/^[0-9A-F]{8}:\S+$/);
    expect(form.body?.data.cap).toHaveProperty('vms');
    const json = await labCall<{ ticket: string }>(lab.url, '/access/ticket', {
      method: 'POST',
      json: { username: 'root', realm: 'pam', password: lab.credentials.user.password },
      ca: lab.certPem,
    });
    expect(json.status).toBe(200);
    expect(json.body?.data.ticket).toMatch(/^PVE:root@pam:/);
  });

  it('refuses a wrong password with 401 "authentication failure"', async () => {
    const res = await login('wrong');
    expect([res.status, res.reason]).toEqual([401, 'authentication failure']);
    expect(res.body).toEqual({ data: null, message: 'authentication failure\n' });
  });

  it('needs the CSRF token on writes, not on reads', async () => {
    const { ticket, CSRFPreventionToken } = (await login()).body?.data ?? { ticket: '', CSRFPreventionToken: '' };
    expect((await get('/cluster/resources', { ticket })).status).toBe(200);
    const g = firstGuest('lxc', 'running');
    const noCsrf = await post(`/nodes/${g.node}/lxc/${g.vmid}/status/suspend`, { ticket });
    expect([noCsrf.status, noCsrf.reason, noCsrf.text]).toEqual([401, 'Permission denied - invalid csrf token', '']);
    const badCsrf = await post(`/nodes/${g.node}/lxc/${g.vmid}/status/suspend`, { ticket, csrf: '00000000:forged' });
    expect(badCsrf.status).toBe(401);
    const withCsrf = await post(`/nodes/${g.node}/lxc/${g.vmid}/status/suspend`, { ticket, csrf: CSRFPreventionToken });
    expect(withCsrf.status).toBe(200);
    expect(String(withCsrf.body?.data)).toContain(':vzsuspend:');
    await lab.waitForIdle();
  });

  it('renews a ticket by posting it as the password', async () => {
    const first = (await login()).body?.data.ticket ?? '';
    lab.advanceTime(60 * 60 * 1000);
    const renewed = await login(first);
    expect(renewed.status).toBe(200);
    const second = renewed.body?.data.ticket ?? '';
    expect(second).not.toBe(first);
    lab.advanceTime(61 * 60 * 1000);
    // The first ticket is now past its two hours; the renewed one is not.
    expect((await get('/version', { ticket: first })).reason).toBe('permission denied - invalid PVE ticket');
    expect((await get('/version', { ticket: second })).status).toBe(200);
    expect((await login(first)).status).toBe(401);
  });

  it('expires tickets on demand and while the expireTickets fault is set', async () => {
    const { ticket } = (await login()).body?.data ?? { ticket: '' };
    lab.expireTickets();
    expect((await get('/version', { ticket })).status).toBe(401);
    const fresh = (await login()).body?.data.ticket ?? '';
    expect((await get('/version', { ticket: fresh })).status).toBe(200);
    lab.setFault({ expireTickets: true });
    expect((await get('/version', { ticket: fresh })).status).toBe(401);
    expect((await get('/version', admin)).status).toBe(200);
    lab.clearFaults();
    expect((await get('/version', { ticket: fresh })).status).toBe(200);
  });
});

describe('the unauthenticated delay', () => {
  it('is applied to 401 answers and configurable', async () => {
    const slow = await startProxmoxCluster({ nodes: [fakeNodeHost('slow1')], guests: 1, authFailDelayMs: 300, certificateKey: 'ec' });
    try {
      const t0 = performance.now();
      const res = await labCall(slow.url, '/version', { ca: slow.certPem });
      expect(res.status).toBe(401);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    } finally {
      await slow.stop();
    }
  });
});
