/**
 * Walks every endpoint the lab serves, on both releases it models, with real HTTPS requests:
 * every answer's `data` is checked against that release's official `returns` (accepting only
 * the deviations real servers show too, deviations.ts), and every request the walk makes must
 * pass that release's `parameters` (no 400 in the request log). Then checks that bad
 * parameters get PVE's 400s.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRealServerDeviation } from '../../src/lab/proxmox/deviations';
import { labEndpoints } from '../../src/lab/proxmox/endpoints';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox/index';
import type { PveMajor } from '../../src/lab/proxmox/profile';
import { PVE8_API_SUBSET_JSON } from '../../src/lab/proxmox/pve-api-schema-8';
import { PVE9_API_SUBSET_JSON } from '../../src/lab/proxmox/pve-api-schema-9';
import { labSchema } from '../../src/lab/proxmox/schema-check';
import { validateReturns } from '../../src/lab/proxmox/schema-returns';
import { buildSubset, type SchemaTreeNode } from '../../src/lab/proxmox/schema-subset';
import { fakeNodeHost, labCall, type LabAuth, type LabResponse } from '../../src/lab/proxmox/test-kit';

/** The folder holding the official pve-9-api-schema.json and pve-8-api-schema.json, when available. */
const OFFICIAL_DIR = process.env.PVE_SCHEMA_DIR;

describe('schema subsets', () => {
  it.skipIf(!OFFICIAL_DIR).each([
    [9, PVE9_API_SUBSET_JSON],
    [8, PVE8_API_SUBSET_JSON],
  ] as const)('match the official PVE %i schema for every lab endpoint', (major, committed) => {
    const official = JSON.parse(readFileSync(join(OFFICIAL_DIR ?? '', `pve-${major}-api-schema.json`), 'utf8')) as SchemaTreeNode[];
    expect(JSON.parse(committed)).toEqual(JSON.parse(JSON.stringify(buildSubset(official, major))));
  });
});

describe.each([9, 8] as const)('PVE %i: every served endpoint answers what the schema says it returns', (major: PveMajor) => {
  let lab: ProxmoxClusterHandle;
  let token: LabAuth;
  let ticket: LabAuth;
  const covered = new Set<string>();
  const problems: string[] = [];

  async function call(method: string, path: string, params: Record<string, string | number> = {}, auth: LabAuth = token): Promise<LabResponse> {
    const res = await labCall(lab.url, path, { method, params, auth, ca: lab.certPem });
    const matched = labSchema(major).find(method, path.split('?')[0] ?? path);
    if (res.status === 200 && matched) {
      const endpoint = `${method} ${matched.endpoint.path}`;
      covered.add(endpoint);
      const issues = validateReturns(matched.endpoint.info.returns, res.body?.data).filter((p) => !isRealServerDeviation(endpoint, p));
      problems.push(...issues.map((p) => `${method} ${path}: ${p}`));
    }
    return res;
  }

  async function ok(method: string, path: string, params: Record<string, string | number> = {}, auth: LabAuth = token): Promise<unknown> {
    const res = await call(method, path, params, auth);
    expect(res.status, `${method} ${path} → ${res.status} ${res.reason} ${res.text}`).toBe(200);
    return res.body?.data;
  }

  const enc = encodeURIComponent;

  beforeAll(async () => {
    lab = await startProxmoxCluster({
      nodes: [fakeNodeHost('pve1'), fakeNodeHost('pve2'), fakeNodeHost('pve3')],
      version: major,
      guests: 16,
      seed: 7,
      realWorld: true,
      taskDelayMs: 5,
      shutdownTimeoutMs: 30,
      authFailDelayMs: 0,
      certificateKey: 'ec',
    });
    token = { token: lab.credentials.adminToken.header };
    const login = await labCall<{ ticket: string; CSRFPreventionToken: string }>(lab.url, '/access/ticket', {
      method: 'POST',
      params: { username: lab.credentials.user.username, password: lab.credentials.user.password },
      ca: lab.certPem,
    });
    ticket = { ticket: login.body?.data.ticket, csrf: login.body?.data.CSRFPreventionToken };
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('walks the API', async () => {
    expect((await ok('GET', '/version')) as { release: string }).toMatchObject({ release: major === 9 ? '9.1' : '8.4' });
    const guests = lab.vmids().map((v) => lab.guest(v).info());
    const byType = (type: 'qemu' | 'lxc', pred: (g: (typeof guests)[number]) => boolean) => {
      const g = guests.find((x) => x.type === type && !x.template && pred(x));
      if (!g) throw new Error(`no ${type} guest for the walk`);
      return g;
    };
    const vm = byType('qemu', (g) => g.status === 'stopped' && !g.hastate && !g.lock);
    const ct = byType('lxc', (g) => g.status === 'running' && !g.hastate && !g.lock);
    const vmBase = `/nodes/${vm.node}/qemu/${vm.vmid}`;
    const ctBase = `/nodes/${ct.node}/lxc/${ct.vmid}`;

    await ok('GET', '/access');
    await ok('GET', '/access/ticket', {}, {});
    await ok('POST', '/access/ticket', { username: 'root@pam', password: lab.credentials.user.password }, {});
    await ok('GET', '/cluster');
    for (const type of ['', 'vm', 'node', 'storage', 'sdn']) await ok('GET', '/cluster/resources', type ? { type } : {});
    await ok('GET', '/cluster/status');
    await ok('GET', '/cluster/tasks');
    await ok('GET', '/nodes');
    for (const node of ['pve1', 'pve2', 'pve3']) {
      await ok('GET', `/nodes/${node}`);
      await ok('GET', `/nodes/${node}/status`);
      await ok('GET', `/nodes/${node}/version`);
      await ok('GET', `/nodes/${node}/qemu`, { full: 1 });
      await ok('GET', `/nodes/${node}/lxc`);
      await ok('GET', `/nodes/${node}/storage`);
      await ok('GET', `/nodes/${node}/subscription`);
      await ok('GET', `/nodes/${node}/apt/repositories`);
      for (const tf of ['hour', 'day', 'week', 'month', 'year']) await ok('GET', `/nodes/${node}/rrddata`, { timeframe: tf, cf: 'AVERAGE' });
    }
    await ok('GET', '/storage');
    for (const s of ['local', 'local-lvm', 'nas']) {
      await ok('GET', `/storage/${s}`);
      await ok('GET', `/nodes/pve1/storage/${s}`);
      await ok('GET', `/nodes/pve1/storage/${s}/status`);
      await ok('GET', `/nodes/pve1/storage/${s}/content`);
    }
    await ok('GET', '/nodes/pve1/storage/local/content', { content: 'iso' });
    await ok('GET', '/nodes/pve1/storage/nas/content', { content: 'backup' });
    await ok('GET', '/nodes/pve1/tasks', { typefilter: 'vzdump', source: 'all' });
    // The other shapes of a node's subscription and repositories: a key, every repository, an old suite, a broken file.
    lab.repos('pve2', { subscription: { status: 'expired', nextduedate: '2026-01-10' }, enterprise: true, test: true, oldSuite: true, errors: [{ path: '/etc/apt/sources.list.d/broken.list', error: 'malformed entry on line 1' }] });
    await ok('GET', '/nodes/pve2/subscription');
    await ok('GET', '/nodes/pve2/subscription', {}, { token: lab.credentials.auditToken.header });
    await ok('GET', '/nodes/pve2/apt/repositories');

    // Reading every guest, in every state the generator produces.
    for (const g of guests) {
      const base = `/nodes/${g.node}/${g.type}/${g.vmid}`;
      await ok('GET', base);
      await ok('GET', `${base}/config`);
      await ok('GET', `${base}/status`);
      await ok('GET', `${base}/status/current`);
      await ok('GET', `${base}/snapshot`);
      for (const tf of ['hour', 'day', 'week', 'month', 'year']) await ok('GET', `${base}/rrddata`, { timeframe: tf, cf: 'MAX' });
      if (g.type === 'lxc') await ok('GET', `${base}/interfaces`);
      if (g.type === 'qemu') {
        await ok('GET', `${base}/agent`);
        if (g.agent.running) await ok('GET', `${base}/agent/network-get-interfaces`);
      }
    }

    // Power actions, each task followed to its end through status and log.
    const actions: [string, string, Record<string, string | number>][] = [
      [vmBase, 'start', {}],
      [vmBase, 'suspend', {}],
      [vmBase, 'resume', {}],
      [vmBase, 'reset', {}],
      [vmBase, 'reboot', {}],
      [vmBase, 'shutdown', { forceStop: 1 }],
      [vmBase, 'start', {}],
      [vmBase, 'suspend', { todisk: 1 }],
      [vmBase, 'start', {}],
      [vmBase, 'stop', {}],
      [ctBase, 'suspend', {}],
      [ctBase, 'resume', {}],
      [ctBase, 'reboot', {}],
      [ctBase, 'shutdown', {}],
      [ctBase, 'start', {}],
      [ctBase, 'stop', {}],
    ];
    for (const [base, action, params] of actions) {
      const upid = (await ok('POST', `${base}/status/${action}`, params)) as string;
      await lab.waitForIdle(5000);
      const node = base.split('/')[2] ?? '';
      await ok('GET', `/nodes/${node}/tasks/${enc(upid)}`);
      const status = (await ok('GET', `/nodes/${node}/tasks/${enc(upid)}/status`)) as { exitstatus: string };
      expect(status.exitstatus, `${action} on ${base}`).toBe('OK');
      await ok('GET', `/nodes/${node}/tasks/${enc(upid)}/log`, { start: 0, limit: 50 });
    }
    await ok('GET', `/nodes/${vm.node}/tasks`, { vmid: vm.vmid, source: 'all' });
    await ok('GET', `/nodes/${vm.node}/tasks`, { errors: 1, limit: 5 });

    // Snapshots round trip on both types (VM with RAM).
    await ok('POST', `${vmBase}/status/start`);
    await lab.waitForIdle(5000);
    for (const [base, extra] of [
      [vmBase, { vmstate: 1 }],
      [ctBase, {}],
    ] as const) {
      await ok('POST', `${base}/snapshot`, { snapname: 'walk1', description: 'schema walk', ...extra });
      await lab.waitForIdle(5000);
      await ok('POST', `${base}/snapshot`, { snapname: 'walk2' });
      await lab.waitForIdle(5000);
      await ok('GET', `${base}/snapshot`);
      await ok('GET', `${base}/snapshot/walk1`);
      await ok('GET', `${base}/snapshot/walk1/config`);
      await ok('GET', `${base}/config`, { snapshot: 'walk1' });
      await ok('POST', `${base}/snapshot/walk1/rollback`, { start: 1 });
      await lab.waitForIdle(5000);
      await ok('DELETE', `${base}/snapshot/walk2`);
      await lab.waitForIdle(5000);
    }

    // Consoles: tickets and ports, then the websocket endpoint read as plain GET.
    const nodeTerm = (await ok('POST', '/nodes/pve1/termproxy', {}, ticket)) as { port: number; ticket: string; upid: string };
    await ok('GET', '/nodes/pve1/vncwebsocket', { port: nodeTerm.port, vncticket: nodeTerm.ticket }, ticket);
    await ok('POST', `${ctBase}/termproxy`, {}, ticket);
    const ctVnc = (await ok('POST', `${ctBase}/vncproxy`, { websocket: 1 }, ticket)) as { port: number; ticket: string };
    await ok('GET', `${ctBase}/vncwebsocket`, { port: ctVnc.port, vncticket: ctVnc.ticket }, ticket);
    await ok('POST', `${vmBase}/termproxy`, {}, ticket);
    const vmVnc = (await ok('POST', `${vmBase}/vncproxy`, { websocket: 1, 'generate-password': 1 }, ticket)) as { port: number; ticket: string };
    await ok('GET', `${vmBase}/vncwebsocket`, { port: vmVnc.port, vncticket: vmVnc.ticket }, ticket);
    await ok('DELETE', `/nodes/pve1/tasks/${enc(nodeTerm.upid)}`, {}, ticket);

    // HA: the manager's status and a resource's whole life, and a requested state that moves the guest.
    await ok('GET', '/cluster/ha');
    await ok('GET', '/cluster/ha/status/current');
    await ok('GET', '/cluster/ha/resources');
    await ok('GET', '/cluster/ha/resources', { type: 'vm' });
    await ok('POST', '/cluster/ha/resources', { sid: `vm:${vm.vmid}`, state: 'stopped', comment: 'walk' });
    await ok('GET', `/cluster/ha/resources/vm:${vm.vmid}`);
    await ok('PUT', `/cluster/ha/resources/vm:${vm.vmid}`, { state: 'started', max_restart: 2 });
    await lab.waitForIdle(5000);
    await ok('GET', '/cluster/ha/status/current');
    await ok('PUT', `/cluster/ha/resources/vm:${vm.vmid}`, { state: 'stopped', delete: 'comment' });
    await lab.waitForIdle(5000);
    await ok('DELETE', `/cluster/ha/resources/vm:${vm.vmid}`);

    // Roles and ACLs with this release's privileges.
    const agentPriv = major === 9 ? 'VM.GuestAgent.Audit' : 'VM.Monitor';
    await ok('GET', '/access/roles');
    await ok('POST', '/access/roles', { roleid: 'Walk', privs: `VM.Audit,${agentPriv}` });
    await ok('GET', '/access/roles/Walk');
    await ok('PUT', '/access/roles/Walk', { privs: 'Sys.Audit', append: 1 });
    await ok('PUT', '/access/acl', { path: '/', roles: 'Walk', tokens: lab.credentials.auditToken.tokenId });
    await ok('GET', '/access/acl');
    await ok('DELETE', '/access/roles/Walk');

    if (major === 9) {
      await ok('GET', '/cluster/bulk-action');
      await ok('GET', '/cluster/bulk-action/guest');
      const targets = [vm.vmid, ct.vmid];
      for (const [action, params] of [
        ['start', {}],
        ['suspend', {}],
        ['start', { 'max-workers': 2 }],
        ['shutdown', { 'force-stop': 1, timeout: 30 }],
      ] as const) {
        const res = await labCall(lab.url, `/cluster/bulk-action/guest/${action}`, { method: 'POST', json: { vms: targets, ...params }, auth: token, ca: lab.certPem });
        expect(res.status, res.text).toBe(200);
        covered.add(`POST /cluster/bulk-action/guest/${action}`);
        problems.push(...validateReturns(labSchema(9).get('POST', `/cluster/bulk-action/guest/${action}`)?.info.returns ?? {}, res.body?.data));
        await lab.waitForIdle(5000);
      }
      const shell = (await ok('POST', '/nodes/pve1/termproxy', {}, token)) as { port: string; ticket: string; upid: string };
      await ok('POST', '/access/vncticket', { authid: lab.credentials.adminToken.tokenId, vncticket: shell.ticket, path: '/nodes/pve1', privs: 'Sys.Console' }, {});
      await ok('DELETE', `/nodes/pve1/tasks/${enc(shell.upid)}`);
    }

    // Destroying a stopped guest of each type.
    for (const type of ['qemu', 'lxc'] as const) {
      const doomed = guests.find(
        (g) => g.type === type && lab.guest(g.vmid).info().status === 'stopped' && !g.hastate && !g.lock && g.vmid !== vm.vmid && g.vmid !== ct.vmid,
      );
      if (!doomed) throw new Error(`no stopped ${type} guest to destroy`);
      await ok('DELETE', `/nodes/${doomed.node}/${doomed.type}/${doomed.vmid}`);
      await lab.waitForIdle(5000);
      expect(lab.vmids()).not.toContain(doomed.vmid);
    }

    expect(problems).toEqual([]);
    expect([...labEndpoints(major)].filter((e) => !covered.has(e))).toEqual([]);
    // Every request of the walk passed this release's parameter checks.
    expect(lab.requestLog().filter((e) => e.status === 400)).toEqual([]);
  });
});

describe('parameters are verified against the schema before any handler runs', () => {
  let lab: ProxmoxClusterHandle;
  let token: LabAuth;
  const call = (method: string, path: string, params: Record<string, string | number> = {}): Promise<LabResponse> =>
    labCall(lab.url, path, { method, params, auth: token, ca: lab.certPem });

  beforeAll(async () => {
    lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1'), fakeNodeHost('pve2')], guests: 8, seed: 7, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
    token = { token: lab.credentials.adminToken.header };
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('refuses an unknown parameter', async () => {
    const res = await call('GET', '/cluster/resources', { kind: 'vm' });
    expect(res.status).toBe(400);
    expect(res.reason).toBe('Parameter verification failed.');
    expect(res.body).toEqual({
      data: null,
      message: 'Parameter verification failed.\n',
      errors: { kind: 'property is not defined in schema and the schema does not allow additional properties' },
    });
  });

  it('refuses a missing required parameter, a bad enum and a bad type', async () => {
    const missing = await call('GET', '/nodes/pve1/rrddata');
    expect(missing.status).toBe(400);
    expect(missing.body?.errors).toEqual({ timeframe: 'property is missing and it is not optional' });

    const badEnum = await call('GET', '/cluster/resources', { type: 'vms' });
    expect(badEnum.body?.errors).toEqual({ type: "value 'vms' does not have a value in the enumeration 'vm, storage, node, sdn'" });

    const badType = await call('GET', '/nodes/pve1/qemu/abc/status/current');
    expect(badType.status).toBe(400);
    expect(badType.body?.errors).toEqual({ vmid: "type check ('integer') failed - got 'abc'" });

    const badFormat = await call('GET', '/nodes/pve1/qemu/99/status/current');
    expect(badFormat.body?.errors).toEqual({ vmid: 'invalid format - value does not look like a valid VM ID\n' });

    const vm = lab.vmids().map((v) => lab.guest(v).info()).find((g) => g.type === 'qemu' && g.status === 'running');
    const badBool = await call('POST', `/nodes/${vm?.node}/qemu/${vm?.vmid}/status/suspend`, { todisk: 'true' });
    expect(badBool.status).toBe(400);
    expect(badBool.body?.errors).toEqual({ todisk: "type check ('boolean') failed - got 'true'" });

    const badMin = await call('GET', '/nodes/pve1/tasks', { limit: -1 });
    expect(badMin.body?.errors).toEqual({ limit: 'value must have a minimum value of 0' });

    const requires = await call('POST', `/nodes/${vm?.node}/qemu/${vm?.vmid}/status/suspend`, { statestorage: 'local-lvm' });
    expect(requires.body?.errors).toEqual({ todisk: "missing property - 'statestorage' requires this property" });
  });

  it('answers 501 for paths and methods it does not serve', async () => {
    const res = await call('GET', '/nodes/pve1/frobnicate');
    expect(res.status).toBe(501);
    expect(res.reason).toBe("Method 'GET /nodes/pve1/frobnicate' not implemented");
    const wrongMethod = await call('PUT', '/cluster/resources');
    expect(wrongMethod.status).toBe(501);
  });

  it('answers a missing guest with the config-file error, not a 404', async () => {
    const res = await call('GET', '/nodes/pve1/qemu/98765/status/current');
    expect(res.status).toBe(500);
    expect(res.reason).toBe("Configuration file 'nodes/pve1/qemu-server/98765.conf' does not exist");
    const ct = await call('GET', '/nodes/pve2/lxc/98765/config');
    expect(ct.body?.message).toBe("Configuration file 'nodes/pve2/lxc/98765.conf' does not exist\n");
  });
});
