import { describe, expect, it } from 'vitest';
import type { ProxmoxGuestInfo, ProxmoxNodeInfo } from '../../src/shared/contract/proxmox';
import type { ServerConfig } from '../../src/shared/server';
import { FakeClock } from '../../src/main/base/clock';
import { ChangeHistory, diffClusters, type ClusterState } from '../../src/main/proxmox/changes';
import { guestServerId, nodeServerId, planInventory } from '../../src/main/proxmox/inventory-map';
import { applyReading, guestPower, nodePower } from '../../src/main/proxmox/power-map';
import { resolveGuest } from '../../src/main/proxmox/resolve';
import { guestActionFor } from '../../src/main/proxmox/actions-map';
import { ticketSession } from '../../src/main/drivers/proxmox/auth';
import { ProxmoxError } from '../../src/main/drivers/proxmox/model/errors';
import { actionRequest } from '../../src/main/drivers/proxmox/guests';
import { availableActions, runState, type GuestState } from '../../src/main/drivers/proxmox/model/guests';
import { parseTokenOutput, planTokenSetup, setupToken, tokenSetupCommands } from '../../src/main/drivers/proxmox/model/token-setup';

const vm = (s: Partial<GuestState> = {}): GuestState => ({ type: 'qemu', status: 'running', ...s });
const ct = (s: Partial<GuestState> = {}): GuestState => ({ type: 'lxc', status: 'running', ...s });

describe('availableActions: only what exists for the type and state', () => {
  it.each([
    ['running VM', vm(), ['shutdown', 'reboot', 'pause', 'hibernate', 'stop', 'reset']],
    ['running container (no reset, no hibernate)', ct(), ['shutdown', 'reboot', 'pause', 'stop']],
    ['stopped VM', vm({ status: 'stopped', qmpstatus: 'stopped' }), ['start']],
    ['stopped container', ct({ status: 'stopped' }), ['start']],
    ['paused VM (status running, qmpstatus paused)', vm({ qmpstatus: 'paused' }), ['resume', 'hibernate', 'stop']],
    ['paused VM as newer servers say it', vm({ status: 'paused' }), ['resume', 'hibernate', 'stop']],
    ['frozen container', ct({ status: 'frozen' }), ['resume', 'stop']],
    ['hibernated VM: resume (done by start)', vm({ status: 'stopped', lock: 'suspended' }), ['resume']],
    ['VM locked for backup', vm({ lock: 'backup' }), []],
    ['template', vm({ status: 'stopped', template: true }), []],
    ['unknown state (node offline)', vm({ status: 'unknown' }), []],
  ] as const)('%s', (_label, guest, expected) => {
    expect(availableActions(guest)).toEqual(expected);
  });

  it('maps resume of a hibernated VM to start, hibernate to suspend todisk=1, pause to suspend', () => {
    const ref = { node: 'pve1', vmid: 100 };
    expect(actionRequest({ ...ref, ...vm({ status: 'stopped', lock: 'suspended' }) }, 'resume')).toEqual({ path: '/nodes/pve1/qemu/100/status/start', params: {} });
    expect(actionRequest({ ...ref, ...vm({ qmpstatus: 'paused' }) }, 'resume').path).toBe('/nodes/pve1/qemu/100/status/resume');
    expect(actionRequest({ ...ref, ...vm() }, 'hibernate')).toEqual({ path: '/nodes/pve1/qemu/100/status/suspend', params: { todisk: true } });
    expect(actionRequest({ ...ref, ...vm() }, 'pause')).toEqual({ path: '/nodes/pve1/qemu/100/status/suspend', params: {} });
    expect(actionRequest({ ...ref, ...ct() }, 'shutdown', { timeout: 30, forceStop: true })).toEqual({ path: '/nodes/pve1/lxc/100/status/shutdown', params: { timeout: 30, forceStop: true } });
  });

  it('chooses resume or start for a generic wake by the state', () => {
    expect(guestActionFor('wake', { type: 'qemu', status: 'stopped', template: false })).toBe('start');
    expect(guestActionFor('wake', { type: 'qemu', status: 'running', qmpstatus: 'paused', template: false })).toBe('resume');
    expect(guestActionFor('suspend', { type: 'qemu', status: 'running', template: false })).toBe('pause');
    expect(guestActionFor('hibernate', { type: 'lxc', status: 'running', template: false })).toBeUndefined();
  });
});

describe('power mapping', () => {
  const online: Pick<ProxmoxNodeInfo, 'status'> = { status: 'online' };
  const g = (s: Partial<ProxmoxGuestInfo>) => ({ type: 'qemu' as const, status: 'running', template: false, node: 'pve1', ...s });

  it('running → on, stopped → stopped, paused → paused, hibernated → suspended, offline node → unknown', () => {
    expect(guestPower(g({}), online)).toMatchObject({ power: 'on', up: true });
    expect(guestPower(g({ status: 'stopped' }), online)).toMatchObject({ power: 'stopped', up: false });
    expect(guestPower(g({ qmpstatus: 'paused' }), online)).toMatchObject({ power: 'paused' });
    expect(guestPower(g({ status: 'stopped', lock: 'suspended' }), online)).toMatchObject({ power: 'suspended', detail: expect.stringContaining('hibernated') });
    expect(guestPower(g({}), { status: 'offline' })).toMatchObject({ power: 'unknown', detail: 'its node pve1 is offline' });
    expect(guestPower(g({ status: 'stopped', template: true }), online)).toMatchObject({ power: 'stopped', detail: 'template' });
    expect(runState({ type: 'qemu', status: 'running', lock: 'backup' })).toBe('locked');
    expect(guestPower(g({ lock: 'backup' }), online)).toMatchObject({ power: 'on', detail: 'locked (backup)' });
  });

  it('node online → on, offline → off (or suspended when Rackdeck put it to sleep), unknown → unknown', () => {
    expect(nodePower({ name: 'pve1', status: 'online' }).power).toBe('on');
    expect(nodePower({ name: 'pve1', status: 'offline' }).power).toBe('off');
    expect(nodePower({ name: 'pve1', status: 'unknown' }).power).toBe('unknown');
    const slept = applyReading({ power: 'suspended' as const, since: 1 }, nodePower({ name: 'pve1', status: 'offline' }), 50);
    expect(slept).toMatchObject({ power: 'suspended', since: 1 });
    const up = applyReading({ power: 'off' as const, since: 1, detail: 'old' }, nodePower({ name: 'pve1', status: 'online' }), 50);
    expect(up).toEqual({ power: 'on', since: 50, lastSeen: 50 });
  });
});

describe('change tracking between refreshes', () => {
  const guest = (vmid: number, s: Partial<ProxmoxGuestInfo> = {}) => ({ id: `qemu/${vmid}`, vmid, type: 'qemu' as const, name: `vm${vmid}`, node: 'pve1', status: 'running', template: false, ...s });
  const state = (guests: ReturnType<typeof guest>[], nodes: ClusterState['nodes'] = [{ name: 'pve1', status: 'online' }, { name: 'pve2', status: 'online' }]): ClusterState => ({ nodes, guests });

  it('the first refresh is a baseline, not news', () => {
    expect(diffClusters('lab', undefined, state([guest(100)]), 1)).toEqual([]);
  });

  it('sees guests created, removed, moved, renamed, started, stopped, paused, resumed; nodes going offline', () => {
    const before = state([guest(100), guest(101, { status: 'stopped' }), guest(102), guest(103), guest(104, { qmpstatus: 'paused' }), guest(105)]);
    const after = state(
      [guest(100, { node: 'pve2' }), guest(101), guest(102, { status: 'stopped' }), guest(104), guest(105, { name: 'renamed', qmpstatus: 'paused' }), guest(106)],
      [{ name: 'pve1', status: 'online' }, { name: 'pve2', status: 'offline' }],
    );
    const changes = diffClusters('lab', before, after, 42);
    const kinds = changes.map((c) => `${c.kind} ${c.id}`).sort();
    expect(kinds).toEqual(
      ['moved qemu/100', 'started qemu/101', 'stopped qemu/102', 'removed qemu/103', 'resumed qemu/104', 'renamed qemu/105', 'paused qemu/105', 'created qemu/106', 'node-offline node/pve2'].sort(),
    );
    expect(changes.every((c) => c.at === 42 && c.cluster === 'lab')).toBe(true);
    expect(changes.find((c) => c.kind === 'moved')?.detail).toBe('VM 100 (vm100) moved from pve1 to pve2');
  });

  it('keeps a bounded history, newest last, filterable', () => {
    const h = new ChangeHistory(3);
    for (let i = 0; i < 5; i++) h.add([{ at: i, cluster: i % 2 ? 'a' : 'b', kind: 'created', id: `qemu/${i}`, name: String(i), detail: '' }]);
    expect(h.size).toBe(3);
    expect(h.list().map((c) => c.at)).toEqual([2, 3, 4]);
    expect(h.list({ cluster: 'a' }).map((c) => c.at)).toEqual([3]);
    expect(h.list({ since: 2, limit: 1 }).map((c) => c.at)).toEqual([4]);
  });
});

describe('discovered servers in the inventory', () => {
  const node = (name: string, status: ProxmoxNodeInfo['status'] = 'online'): ProxmoxNodeInfo => ({ cluster: 'lab', name, status });
  const g = (vmid: number, nodeName: string, name = `vm${vmid}`, type: 'qemu' | 'lxc' = 'qemu'): ProxmoxGuestInfo => ({ cluster: 'lab', id: `${type}/${vmid}`, type, vmid, node: nodeName, name, status: 'running', template: false, tags: [] });
  const host: ServerConfig = { id: 'rack-1', name: 'rack-1', kind: 'physical', address: '10.0.0.11', ports: [22], mac: 'aa:bb:cc:dd:ee:01', createdAt: 0 };
  const input = (servers: ServerConfig[], guests = [g(100, 'pve1'), g(101, 'pve1', 'db', 'lxc')]) => ({
    cluster: 'lab',
    nodes: [node('pve1')],
    guests,
    nodeIps: new Map([['pve1', '10.0.0.11']]),
    guestAddresses: new Map([['qemu/100', '10.0.10.100']]),
    servers,
    now: 5,
  });

  it('a guest hangs under its node, the node under the physical host with its address: the wake chain', () => {
    const plan = planInventory(input([host]));
    const byId = new Map(plan.upserts.map((s) => [s.id, s]));
    const nodeSrv = byId.get(nodeServerId('lab', 'pve1'))!;
    const vmSrv = byId.get(guestServerId('lab', { type: 'qemu', vmid: 100 }))!;
    const ctSrv = byId.get(guestServerId('lab', { type: 'lxc', vmid: 101 }))!;
    expect(nodeSrv).toMatchObject({ kind: 'proxmox-node', name: 'pve1', address: '10.0.0.11', parentId: 'rack-1', proxmox: { cluster: 'lab', node: 'pve1' } });
    expect(vmSrv).toMatchObject({ kind: 'vm', name: 'vm100', address: '10.0.10.100', parentId: nodeSrv.id, proxmox: { type: 'qemu', vmid: 100, node: 'pve1' } });
    expect(ctSrv).toMatchObject({ kind: 'lxc', name: 'db', parentId: nodeSrv.id });
    // guest → node → host with a MAC: what the wake-parent-first logic walks.
    const chain = [vmSrv.id];
    const all = new Map([...byId, [host.id, host]]);
    for (let p = vmSrv.parentId; p; p = all.get(p)?.parentId) chain.push(p);
    expect(chain).toEqual([vmSrv.id, nodeSrv.id, 'rack-1']);
    expect(plan.removals).toEqual([]);
  });

  it('changes nothing when nothing changed, keeps what the admin edited, follows moves and removals', () => {
    const first = planInventory(input([host]));
    const servers = [host, ...first.upserts];
    expect(planInventory(input(servers))).toEqual({ upserts: [], removals: [] });

    const vmId = guestServerId('lab', { type: 'qemu', vmid: 100 });
    const edited = servers.map((s) => (s.id === vmId ? { ...s, name: 'My web', notes: 'mine', mac: 'aa:aa:aa:aa:aa:aa', desired: 'on' as const } : s));
    const moved = planInventory({ ...input(edited, [g(100, 'pve2', 'web-renamed')]), nodes: [node('pve1'), node('pve2')] });
    const vm = moved.upserts.find((s) => s.id === vmId)!;
    expect(vm).toMatchObject({ name: 'My web', notes: 'mine', mac: 'aa:aa:aa:aa:aa:aa', desired: 'on', parentId: nodeServerId('lab', 'pve2'), proxmox: { node: 'pve2' } });
    expect(moved.removals).toEqual([guestServerId('lab', { type: 'lxc', vmid: 101 })]);
  });

  it('follows a rename in Proxmox while the admin kept the discovered name; avoids name clashes', () => {
    const clash: ServerConfig = { ...host, id: 'other', name: 'vm100', address: '10.9.9.9' };
    const plan = planInventory(input([clash]));
    const vm = plan.upserts.find((s) => s.proxmox?.vmid === 100)!;
    expect(vm.name).toBe('vm100-100');
    const renamed = planInventory(input([clash, ...plan.upserts], [g(100, 'pve1', 'web'), g(101, 'pve1', 'db', 'lxc')]));
    expect(renamed.upserts.find((s) => s.proxmox?.vmid === 100)).toMatchObject({ name: 'web', proxmox: { discoveredName: 'web' } });
  });
});

describe('resolving a guest reference', () => {
  const c = (cluster: string, vmid: number, name: string) => ({ cluster, id: `qemu/${vmid}`, type: 'qemu' as const, vmid, node: 'pve1', name, status: 'running', template: false, tags: [], serverId: `pve-${cluster}-qemu-${vmid}` });
  const guests = [c('a', 100, 'web'), c('b', 100, 'web'), c('a', 101, 'db')];

  it('by server id, CLUSTER/VMID, unique vmid or name; ambiguity is named', () => {
    expect(resolveGuest(guests, 'pve-b-qemu-100')).toMatchObject({ ok: true, guest: { cluster: 'b' } });
    expect(resolveGuest(guests, 'a/100')).toMatchObject({ ok: true, guest: { cluster: 'a', vmid: 100 } });
    expect(resolveGuest(guests, '101')).toMatchObject({ ok: true, guest: { name: 'db' } });
    expect(resolveGuest(guests, 'DB')).toMatchObject({ ok: true, guest: { vmid: 101 } });
    expect(resolveGuest(guests, 'web')).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(resolveGuest(guests, 'nope')).toMatchObject({ ok: false, reason: 'none' });
  });
});

describe('ticket session', () => {
  it('logs in once, renews with the ticket before the 2 h expiry, logs in again after expiry; CSRF only on writes', async () => {
    const clock = new FakeClock();
    const calls: string[] = [];
    let n = 0;
    const session = ticketSession({
      username: 'root@pam',
      password: 'pw',
      clock,
      login: async (_u, secret) => {
        calls.push(secret.startsWith('PVE:') ? 'renew' : 'login');
        n += 1;
        return { username: 'root@pam', ticket: `PVE:root@pam:${n}::sig`, CSRFPreventionToken: `csrf${n}` };
      },
    });
    const get = await session.headers('GET');
    expect(get).toEqual({ Cookie: `PVEAuthCookie=${encodeURIComponent('PVE:root@pam:1::sig')}` });
    expect(await session.headers('POST')).toMatchObject({ CSRFPreventionToken: 'csrf1' });
    await Promise.all([session.headers('GET'), session.headers('GET')]);
    expect(calls).toEqual(['login']);
    await clock.advance(61 * 60_000);
    expect((await session.headers('POST')).CSRFPreventionToken).toBe('csrf2');
    expect(calls).toEqual(['login', 'renew']);
    await clock.advance(3 * 60 * 60_000);
    await session.headers('GET');
    expect(calls).toEqual(['login', 'renew', 'login']);
    expect(session.stats).toEqual({ logins: 2, renewals: 1 });
  });

  it('turns NeedTFA into a clear error', async () => {
    const session = ticketSession({ username: 'me@pam', password: 'pw', clock: new FakeClock(), login: async () => ({ username: 'me@pam', ticket: 'PVE:me@pam:1::x', CSRFPreventionToken: 'c', NeedTFA: 1 }) });
    await expect(session.headers('GET')).rejects.toMatchObject({ kind: 'tfa_required', message: expect.stringContaining('API token') });
  });
});

describe('token setup over SSH', () => {
  it('plans least privilege: a pve-realm user, a custom role, a privsep token; names are validated', () => {
    const plan = planTokenSetup();
    expect(plan).toMatchObject({ userid: 'rackdeck@pve', tokenId: 'rackdeck@pve!rackdeck', role: 'Rackdeck' });
    expect(plan.privileges).toContain('VM.PowerMgmt');
    expect(plan.privileges).toContain('VM.Snapshot');
    expect(plan.privileges).not.toContain('VM.Allocate');
    expect(plan.privileges.some((p) => p.startsWith('Sys.Modify') || p === 'Permissions.Modify')).toBe(false);
    expect(planTokenSetup({ allowDelete: true }).privileges).toContain('VM.Allocate');
    expect(() => planTokenSetup({ user: 'x; rm -rf /' })).toThrow();
    expect(() => planTokenSetup({ tokenName: "a'b" })).toThrow();
    expect(() => planTokenSetup({ role: 'PVEAdmin' })).toThrow();
    const cmds = tokenSetupCommands(plan);
    expect(cmds.tokenAdd).toBe("pveum user token add 'rackdeck@pve' 'rackdeck' --privsep 1 --comment 'Rackdeck' --output-format json");
    expect(cmds.tokenAcl).toBe("pveum acl modify / --tokens 'rackdeck@pve!rackdeck' --roles 'Rackdeck'");
  });

  it('parses pveum JSON among warnings', () => {
    const out = 'warning: something\n{"full-tokenid":"rackdeck@pve!rackdeck","info":{"privsep":"1"},"value":"5b3a6c2e-0d1f-4f5a-9c1e-2a7b8c9d0e1f"}\n';
    expect(parseTokenOutput(out)).toEqual({ tokenId: 'rackdeck@pve!rackdeck', secret: '5b3a6c2e-0d1f-4f5a-9c1e-2a7b8c9d0e1f', privsep: true });
    expect(() => parseTokenOutput('nothing')).toThrow(ProxmoxError);
  });

  it('runs the commands, reuses an existing user and role, drops a privilege this release does not know', async () => {
    const ran: string[] = [];
    const exec = async (cmd: string) => {
      ran.push(cmd);
      if (cmd.startsWith('pveum role add') && cmd.includes('VM.Monitor')) return { code: 255, stdout: '', stderr: "invalid privilege 'VM.Monitor'\n" };
      if (cmd.startsWith('pveum role add')) return { code: 255, stdout: '', stderr: "role 'Rackdeck' already exists\n" };
      if (cmd.startsWith('pveum user add')) return { code: 255, stdout: '', stderr: "create user failed: user 'rackdeck@pve' already exists\n" };
      if (cmd.startsWith('pveum user token remove')) return { code: 255, stdout: '', stderr: "no such token 'rackdeck' for user 'rackdeck@pve'\n" };
      if (cmd.startsWith('pveum user token add')) return { code: 0, stdout: '{"full-tokenid":"rackdeck@pve!rackdeck","info":{"privsep":1},"value":"5b3a6c2e-0d1f-4f5a-9c1e-2a7b8c9d0e1f"}\n', stderr: '' };
      return { code: 0, stdout: '', stderr: '' };
    };
    const r = await setupToken(exec);
    expect(r.secret).toBe('5b3a6c2e-0d1f-4f5a-9c1e-2a7b8c9d0e1f');
    expect(r.skippedPrivileges).toEqual(['VM.Monitor']);
    expect(r.privileges).not.toContain('VM.Monitor');
    expect(ran.filter((c) => c.startsWith('pveum role modify'))).toHaveLength(1);
    expect(ran[ran.length - 1]).toBe("pveum acl modify / --tokens 'rackdeck@pve!rackdeck' --roles 'Rackdeck'");
    expect(ran.some((c) => c.includes('--users') && c.includes('acl modify'))).toBe(true);
  });

  it('refuses a token created without privilege separation', async () => {
    const exec = async (cmd: string) => ({ code: 0, stdout: cmd.startsWith('pveum user token add') ? '{"full-tokenid":"rackdeck@pve!rackdeck","info":{"privsep":0},"value":"5b3a6c2e-0d1f-4f5a-9c1e-2a7b8c9d0e1f"}' : '', stderr: '' });
    await expect(setupToken(exec)).rejects.toThrow(/privilege separation/);
  });
});

describe('which server to wake for a guest', () => {
  const servers = [
    { id: 'host', parentId: undefined },
    { id: 'node', parentId: 'host' },
    { id: 'vm', parentId: 'node' },
    { id: 'loop-a', parentId: 'loop-b' },
    { id: 'loop-b', parentId: 'loop-a' },
  ];
  it('the node if it can be woken, else its closest wakeable ancestor, else none (and no endless loop)', async () => {
    const { wakeTargetFor } = await import('../../src/main/proxmox/node-wake');
    expect(wakeTargetFor(servers, 'node', (id) => id === 'node' || id === 'host')).toBe('node');
    expect(wakeTargetFor(servers, 'node', (id) => id === 'host')).toBe('host');
    expect(wakeTargetFor(servers, 'node', () => false)).toBeUndefined();
    expect(wakeTargetFor(servers, 'loop-a', () => false)).toBeUndefined();
  });

  it('remembers a frozen container until it is resumed or seen stopped', async () => {
    const { FrozenContainers } = await import('../../src/main/proxmox/frozen');
    const f = new FrozenContainers();
    const ct = { cluster: 'lab', id: 'lxc/101', type: 'lxc' as const, status: 'running' };
    f.afterTask(ct, 'pause');
    expect(f.apply(ct).status).toBe('frozen');
    expect(f.apply({ ...ct, type: 'qemu' as const, id: 'qemu/101' }).status).toBe('running');
    f.afterTask(ct, 'resume');
    expect(f.apply(ct).status).toBe('running');
    f.afterTask(ct, 'pause');
    expect(f.apply({ ...ct, status: 'stopped' }).status).toBe('stopped');
    expect(f.apply(ct).status).toBe('running');
  });

  it('remembers a VM it paused while the cluster listing says running, until a reading says otherwise', async () => {
    const { FrozenContainers } = await import('../../src/main/proxmox/frozen');
    const f = new FrozenContainers();
    const vm: { cluster: string; id: string; type: 'qemu'; status: string; qmpstatus?: string } = { cluster: 'lab', id: 'qemu/100', type: 'qemu', status: 'running' };
    f.afterTask(vm, 'pause');
    // /cluster/resources has no qmpstatus: the pause Rackdeck made stands.
    expect(f.apply(vm)).toMatchObject({ status: 'running', qmpstatus: 'paused' });
    // status/current has one, and it is believed.
    expect(f.apply({ ...vm, qmpstatus: 'paused' }).qmpstatus).toBe('paused');
    expect(f.apply({ ...vm, qmpstatus: 'running' }).qmpstatus).toBe('running');
    expect(f.apply(vm).qmpstatus).toBeUndefined();
    f.afterTask(vm, 'pause');
    f.afterTask(vm, 'resume');
    expect(f.apply(vm).qmpstatus).toBeUndefined();
  });
});
