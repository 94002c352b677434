import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxmoxClusterHandle } from '../../src/lab/proxmox';
import type { Notice } from '../../src/shared/events';
import type { ProxmoxChange, ProxmoxTask } from '../../src/shared/contract/proxmox';
import { RackdeckError } from '../../src/shared/ipc';
import { guestServerId, nodeServerId } from '../../src/main/proxmox/inventory-map';
import { openEngine, pump } from './engine-kit';
import { startLab } from './lab-kit';

/** The Proxmox capability through the engine and the typed client, against the lab. */
let lab: ProxmoxClusterHandle;
let env: ReturnType<typeof openEngine>;

const tokenSpec = () => `${lab.credentials.adminToken.tokenId}=${lab.credentials.adminToken.secret}`;

async function addLab() {
  return env.client.proxmox.addCluster({ name: 'lab', url: lab.url, token: tokenSpec(), fingerprint: lab.fingerprint });
}

beforeAll(async () => {
  ({ lab } = await startLab({ guests: 12 }));
});
afterAll(async () => {
  await lab.stop();
});
afterEach(() => env?.close());

describe('adding a cluster', () => {
  it('refuses a self-signed cluster without a pin, shows the fingerprint, saves nothing', async () => {
    env = openEngine();
    const err = await env.client.proxmox.addCluster({ name: 'lab', url: lab.url, token: tokenSpec() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RackdeckError);
    expect((err as RackdeckError).code).toBe('conflict');
    expect((err as RackdeckError).fields?.fingerprint).toBe(lab.fingerprint);
    expect((err as RackdeckError).message).toContain(lab.fingerprint);
    expect(await env.client.proxmox.clusters({})).toEqual([]);
    expect(env.secrets.dump()).toEqual({});
  });

  it('with the pin: discovers nodes and guests as servers under their node; the secret stays out of config.json', async () => {
    env = openEngine();
    const { cluster, report } = await addLab();
    expect(cluster).toMatchObject({ name: 'lab', auth: 'token', tokenId: 'root@pam!rackdeck', fingerprint: lab.fingerprint, hasSecret: true, status: { state: 'ok' } });
    expect(report).toMatchObject({ ok: true, nodes: 2, guests: 12 });
    const { servers } = await env.client.servers.snapshot({});
    const nodes = servers.filter((s) => s.kind === 'proxmox-node');
    const guests = servers.filter((s) => s.kind === 'vm' || s.kind === 'lxc');
    expect(nodes.map((n) => n.name).sort()).toEqual(['pve1', 'pve2']);
    expect(guests).toHaveLength(12);
    for (const g of guests) {
      expect(g.parentId).toBe(nodeServerId('lab', g.proxmox!.node));
      expect(g.proxmox).toMatchObject({ cluster: 'lab', vmid: expect.any(Number), nodeStatus: 'online' });
      expect(['on', 'stopped', 'paused', 'suspended']).toContain(g.power);
    }
    const template = guests.find((g) => g.proxmox?.template);
    if (template) expect(template.proxmox?.actions).toEqual([]);
    expect(guests.some((g) => (g.proxmox?.tags ?? []).length > 0)).toBe(true);
    expect(guests.some((g) => g.proxmox?.hastate)).toBe(true);
    const config = fs.readFileSync(path.join(env.home, 'config.json'), 'utf8');
    expect(config).toContain('"clusters"');
    expect(config).not.toContain(lab.credentials.adminToken.secret);
    expect(env.secrets.get('lab')).toBe(lab.credentials.adminToken.secret);
  });

  it('ticket auth: wrong password is refused with its cause; right one works', async () => {
    env = openEngine();
    const bad = await env.client.proxmox.addCluster({ name: 'lab', url: lab.url, username: 'root@pam', password: 'wrong', fingerprint: lab.fingerprint }).then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as RackdeckError);
    expect((bad as RackdeckError).message).toMatch(/Wrong credentials/);
    const ok = await env.client.proxmox.addCluster({ name: 'lab', url: lab.url, username: 'root@pam', password: lab.credentials.user.password, fingerprint: lab.fingerprint });
    expect(ok.cluster).toMatchObject({ auth: 'ticket', username: 'root@pam' });
    expect(ok.report.ok).toBe(true);
  });

  it('a changed certificate stops discovery with the reason, and trusting the new one restores it', async () => {
    const { lab: own } = await startLab({ nodeNames: ['solo'], guests: 3 });
    try {
      env = openEngine();
      const notices: Notice[] = [];
      env.engine.events.on('notice', (n) => notices.push(n));
      await env.client.proxmox.addCluster({ name: 'solo', url: own.url, token: `${own.credentials.adminToken.tokenId}=${own.credentials.adminToken.secret}`, fingerprint: own.fingerprint });
      const pinned = own.fingerprint;
      const rotated = await own.rotateCertificate();
      env.proxmox.stop(); // drop kept-alive connections made under the old certificate
      const [report] = await env.client.proxmox.discover({});
      expect(report).toMatchObject({ ok: false, error: { kind: 'certificate_mismatch', fingerprint: rotated, expectedFingerprint: pinned } });
      expect(notices.some((n) => n.level === 'error' && n.title.includes('certificate changed'))).toBe(true);
      const guest = (await env.client.servers.snapshot({})).servers.find((s) => s.kind === 'vm' || s.kind === 'lxc')!;
      expect(guest.power).toBe('unknown');
      expect(guest.detail).toMatch(/cluster unreachable/);
      const trusted = await env.client.proxmox.trustFingerprint({ name: 'solo', fingerprint: rotated });
      expect(trusted).toMatchObject({ fingerprint: rotated, status: { state: 'ok' } });
    } finally {
      await own.stop();
    }
  });
});

describe('discovery at scale', () => {
  it('3 nodes × 300 guests: one /cluster/resources and one VM list per node per refresh (1 + nodes)', async () => {
    const { lab: big } = await startLab({ nodeNames: ['pve1', 'pve2', 'pve3'], guests: 900, seed: 3 });
    try {
      env = openEngine();
      const { report } = await env.client.proxmox.addCluster({ name: 'big', url: big.url, token: `${big.credentials.adminToken.tokenId}=${big.credentials.adminToken.secret}`, fingerprint: big.fingerprint });
      expect(report).toMatchObject({ ok: true, nodes: 3, guests: 900 });
      expect(env.engine.servers()).toHaveLength(903);
      big.resetRequestLog();
      const [again] = await env.client.proxmox.discover({});
      expect(again).toMatchObject({ ok: true, guests: 900, requests: 4 });
      expect(big.requestCounts()).toEqual({ 'GET /cluster/resources': 1, 'GET /nodes/pve1/qemu': 1, 'GET /nodes/pve2/qemu': 1, 'GET /nodes/pve3/qemu': 1 });
      const perNode = new Map<string, number>();
      for (const s of env.engine.servers()) if (s.parentId) perNode.set(s.parentId, (perNode.get(s.parentId) ?? 0) + 1);
      expect([...perNode.values()].reduce((a, b) => a + b, 0)).toBe(900);
    } finally {
      await big.stop();
    }
  });

  it('runs as a loop on the injected clock (10 s), recording what changed', async () => {
    env = openEngine();
    await addLab();
    const changes: ProxmoxChange[][] = [];
    env.engine.events.on('proxmox.changes', (c) => changes.push(c));
    env.engine.start();
    const running = env.proxmox.guests().find((g) => g.power === 'on' && !g.template && !g.lock)!;
    lab.guest(running.vmid).setStatus('stopped');
    lab.resetRequestLog();
    await pump(env.clock, (async () => {
      while (!changes.flat().some((c) => c.id === running.id && c.kind === 'stopped')) await new Promise((r) => setTimeout(r, 5));
    })());
    const history = await env.client.proxmox.changes({});
    expect(history).toContainEqual(expect.objectContaining({ kind: 'stopped', id: running.id, cluster: 'lab' }));
    expect(env.engine.view(running.serverId)?.power).toBe('stopped');
    // A refresh is /cluster/resources plus one VM list per node running VMs, and the loop waits its
    // interval between refreshes; beside it only the release (read once after the start) and the
    // first backup scan (storage content, the cluster's tasks) are asked. Nothing guest by guest.
    const counts = lab.requestCounts();
    const allowed = /^GET (\/cluster\/resources|\/nodes\/pve[12]\/qemu|\/version|\/cluster\/tasks|\/nodes\/pve[12]\/storage\/[^/]+\/content)$/;
    for (const k of Object.keys(counts)) expect(k).toMatch(allowed);
    expect(counts['GET /version'] ?? 0).toBeLessThanOrEqual(1);
    lab.guest(running.vmid).setStatus('running');
  });
});

describe('guest actions through the client', () => {
  it('holds the transitional state, streams the task with its log, and confirms the end state from the guest', async () => {
    env = openEngine();
    await addLab();
    const g = env.proxmox.guests().find((x) => x.type === 'qemu' && x.power === 'on' && !x.lock && !x.template)!;
    const events: ProxmoxTask[] = [];
    env.engine.events.on('proxmox.task', (t) => events.push(t));
    const task = await env.client.proxmox.guestAction({ guest: g.name, action: 'pause' });
    expect(task).toMatchObject({ status: 'running', action: 'pause', type: 'qmpause', serverId: g.serverId });
    expect(env.engine.view(g.serverId)?.power).toBe('suspending');
    const done = await pump(env.clock, env.proxmox.waitTask(task.upid));
    expect(done).toMatchObject({ status: 'stopped', outcome: 'ok', confirmed: { power: 'paused', status: 'running', qmpstatus: 'paused' } });
    expect(env.engine.view(g.serverId)).toMatchObject({ power: 'paused', proxmox: { actions: ['resume', 'hibernate', 'stop'], task: { upid: task.upid, outcome: 'ok' } } });
    expect(events.at(-1)).toMatchObject({ upid: task.upid, status: 'stopped' });
    expect(events.at(-1)?.log.at(-1)?.t).toBe('TASK OK');

    const resumed = await pump(env.clock, env.client.proxmox.guestAction({ guest: `lab/${g.vmid}`, action: 'resume' }).then((t) => env.proxmox.waitTask(t.upid)));
    expect(resumed.confirmed?.power).toBe('on');
    expect(env.engine.view(g.serverId)?.power).toBe('on');
  });

  it('refuses an action the state does not offer, with the reason', async () => {
    env = openEngine();
    await addLab();
    const g = env.proxmox.guests().find((x) => x.type === 'qemu' && x.power === 'on' && !x.lock && !x.template)!;
    const err = await env.client.proxmox.guestAction({ guest: g.serverId, action: 'start' }).then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as RackdeckError);
    expect(err.message).toMatch(/start is not available .* while it is running/);
  });

  it('a failing task: the error is told, and the state shown is the one read back', async () => {
    env = openEngine();
    await addLab();
    const g = env.proxmox.guests().find((x) => x.type === 'qemu' && x.power === 'stopped' && !x.lock && !x.template)!;
    const notices: Notice[] = [];
    env.engine.events.on('notice', (n) => notices.push(n));
    lab.setFault({ failTasks: { vmids: [g.vmid] } });
    try {
      const task = await env.client.proxmox.guestAction({ guest: g.serverId, action: 'start' });
      expect(env.engine.view(g.serverId)?.power).toBe('waking');
      const done = await pump(env.clock, env.proxmox.waitTask(task.upid));
      expect(done.outcome).toBe('error');
      expect(done.confirmed?.power).toBe('stopped');
      expect(env.engine.view(g.serverId)?.power).toBe('stopped');
      expect(notices).toContainEqual(expect.objectContaining({ level: 'error', title: `${g.name}: start failed`, serverId: g.serverId }));
    } finally {
      lab.clearFaults();
    }
  });

  it('a container pause is remembered (the API shows a frozen container as running) so resume is offered', async () => {
    env = openEngine();
    await addLab();
    const ct = env.proxmox.guests().find((x) => x.type === 'lxc' && x.power === 'on' && !x.lock && !x.template)!;
    const paused = await pump(env.clock, env.client.proxmox.guestAction({ guest: ct.serverId, action: 'pause' }).then((t) => env.proxmox.waitTask(t.upid)));
    expect(paused.confirmed?.power).toBe('paused');
    await env.client.proxmox.discover({});
    expect(env.engine.view(ct.serverId)).toMatchObject({ power: 'paused', proxmox: { actions: ['resume', 'stop'] } });
    const resumed = await pump(env.clock, env.client.proxmox.guestAction({ guest: ct.serverId, action: 'resume' }).then((t) => env.proxmox.waitTask(t.upid)));
    expect(resumed.confirmed?.power).toBe('on');
  });

  it('snapshots round trip through the client', async () => {
    env = openEngine();
    await addLab();
    const g = env.proxmox.guests().find((x) => x.type === 'qemu' && x.power === 'on' && !x.lock && !x.template)!;
    const wait = (p: Promise<ProxmoxTask>) => pump(env.clock, p.then((t) => env.proxmox.waitTask(t.upid)));
    expect((await wait(env.client.proxmox.snapshotCreate({ guest: g.serverId, name: 'rd_one', description: 'with RAM', vmstate: true }))).outcome).toBe('ok');
    let tree = await env.client.proxmox.snapshots({ guest: g.serverId });
    expect(tree.list).toContainEqual(expect.objectContaining({ name: 'rd_one', vmstate: true, description: 'with RAM' }));
    expect(tree.currentParent).toBe('rd_one');
    expect((await wait(env.client.proxmox.snapshotRollback({ guest: g.serverId, name: 'rd_one' }))).outcome).toBe('ok');
    expect((await wait(env.client.proxmox.snapshotDelete({ guest: g.serverId, name: 'rd_one' }))).outcome).toBe('ok');
    tree = await env.client.proxmox.snapshots({ guest: g.serverId });
    expect(tree.list.some((s) => s.name === 'rd_one')).toBe(false);
    const bad = await env.client.proxmox.snapshotCreate({ guest: g.serverId, name: 'current' }).then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as RackdeckError);
    expect(bad.code).toBe('bad_request');
  });

  it('deletes a guest only when its name is typed and it is stopped; the server leaves the inventory', async () => {
    env = openEngine();
    await addLab();
    const g = env.proxmox.guests().find((x) => x.type === 'lxc' && x.power === 'stopped' && !x.lock && !x.template && !x.hastate)!;
    const wrong = await env.client.proxmox.deleteGuest({ guest: g.serverId, confirmName: `${g.name}x` }).then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as RackdeckError);
    expect(wrong.code).toBe('bad_request');
    expect(wrong.message).toContain(`"${g.name}"`);
    const task = await env.client.proxmox.deleteGuest({ guest: g.serverId, confirmName: g.name });
    const done = await pump(env.clock, env.proxmox.waitTask(task.upid));
    expect(done.outcome).toBe('ok');
    await env.client.proxmox.discover({});
    expect(env.engine.find(g.serverId)).toBeUndefined();
    expect(await env.client.proxmox.changes({})).toContainEqual(expect.objectContaining({ kind: 'removed', id: g.id }));
  });

  it('storage, node tasks, addresses and reverse lookup', async () => {
    env = openEngine();
    await addLab();
    const pools = await env.client.proxmox.storage({});
    expect(pools.length).toBeGreaterThan(0);
    expect(pools.every((p) => p.cluster === 'lab')).toBe(true);
    const tasks = await env.client.proxmox.nodeTasks({ node: 'pve1', limit: 5 });
    expect(tasks.length).toBeGreaterThan(0);
    const vm = env.proxmox.guests().find((x) => x.type === 'qemu' && x.power === 'on' && !x.template)!;
    lab.guest(vm.vmid).setAgent({ configured: true, running: true });
    const addrs = await env.client.proxmox.addresses({ guest: vm.serverId });
    expect(addrs[0]?.address).toBe(lab.guest(vm.vmid).info().ip);
    // The learned address becomes the server's address, and reverse lookup finds the guest by it.
    expect(env.engine.find(vm.serverId)?.address).toBe(addrs[0]?.address);
    expect((await env.client.proxmox.lookup({ ip: addrs[0]!.address }))?.vmid).toBe(vm.vmid);
    expect((await env.client.proxmox.lookup({ hostname: `${vm.name}.lab.example` }))?.vmid).toBe(vm.vmid);
  });
});

describe('removing a cluster', () => {
  it('removes its servers and its secret', async () => {
    env = openEngine();
    const { report } = await addLab();
    const count = report.nodes + report.guests;
    expect(env.engine.servers().length).toBe(count);
    const r = await env.client.proxmox.removeCluster({ name: 'lab' });
    expect(r).toEqual({ removed: 'lab', servers: count });
    expect(env.engine.servers()).toEqual([]);
    expect(env.secrets.dump()).toEqual({});
    expect(guestServerId('lab', { type: 'qemu', vmid: 100 })).toBe('pve-lab-qemu-100');
  });
});

describe('a node asleep is woken before its guest starts', () => {
  it('guest → node → physical host: Wake-on-LAN for the host, then the start, its state confirmed', async () => {
    const { lab: one, hosts } = await startLab({ nodeNames: ['solo'], guests: 4, seed: 11 });
    const host = hosts[0]!;
    const sent: number[] = [];
    try {
      env = openEngine({
        probe: async (_address, ports) => {
          const up = host.power() === 'on';
          return { openPorts: Object.fromEntries(ports.map((p) => [String(p), up])), ...(up ? {} : { error: 'no answer' }) };
        },
        power: {
          wol: async ({ targets }) => {
            sent.push(one.requestCount());
            host.setPower('on');
            return targets.map((target) => ({ target, ok: true }));
          },
        },
      });
      const rack = await env.client.servers.add({ name: 'rack-1', address: '127.0.0.1', mac: '02:00:00:00:00:01', ports: [22] });
      await env.client.proxmox.addCluster({ name: 'solo', url: one.url, token: `${one.credentials.adminToken.tokenId}=${one.credentials.adminToken.secret}`, fingerprint: one.fingerprint });
      const nodeId = nodeServerId('solo', 'solo');
      expect(env.engine.find(nodeId)?.parentId).toBe(rack.id);
      const g = env.proxmox.guests().find((x) => x.power === 'stopped' && !x.template && !x.lock)!;
      expect(env.engine.find(g.serverId)?.parentId).toBe(nodeId);

      // The node (the only one: the API with it) goes to sleep.
      host.setPower('suspended');
      const [down] = await env.client.proxmox.discover({});
      expect(down).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
      await env.engine.sweep();
      expect(env.engine.view(rack.id)?.power).toBe('off');
      expect(env.engine.view(nodeId)?.power).toBe('off');
      expect(env.engine.view(g.serverId)?.power).toBe('unknown');

      const seen: string[] = [];
      env.engine.events.on('servers.patch', (p) => {
        const v = p.upsert.find((s) => s.id === g.serverId);
        if (v && seen.at(-1) !== v.power) seen.push(v.power);
      });
      one.resetRequestLog();
      const task = await pump(env.clock, env.client.proxmox.guestAction({ guest: g.serverId, action: 'start' }));
      const done = await pump(env.clock, env.proxmox.waitTask(task.upid));
      expect(sent).toHaveLength(1);
      // Nothing reached the sleeping API before the magic packet; the start came after it.
      expect(sent[0]).toBe(0);
      const startAt = one.requestLog().findIndex((r) => r.method === 'POST' && r.path.endsWith('/status/start'));
      expect(startAt).toBeGreaterThanOrEqual(0);
      expect(done).toMatchObject({ outcome: 'ok', confirmed: { power: 'on' } });
      expect(env.engine.view(g.serverId)?.power).toBe('on');
      expect(env.engine.view(rack.id)?.power).toBe('on');
      await env.clock.advance(1_000); // the last patch leaves after the batching window
      expect(seen[0]).toBe('waking');
      expect(seen.at(-1)).toBe('on');
    } finally {
      await one.stop();
    }
  });

  it('says why when neither the node nor its host can be woken', async () => {
    const { lab: one, hosts } = await startLab({ nodeNames: ['solo'], guests: 3, seed: 12 });
    try {
      env = openEngine();
      await env.client.proxmox.addCluster({ name: 'solo', url: one.url, token: `${one.credentials.adminToken.tokenId}=${one.credentials.adminToken.secret}`, fingerprint: one.fingerprint });
      const g = env.proxmox.guests().find((x) => x.power === 'stopped' && !x.template && !x.lock)!;
      hosts[0]!.setPower('suspended');
      await env.client.proxmox.discover({});
      const err = await env.client.proxmox.guestAction({ guest: g.serverId, action: 'start' }).then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as RackdeckError);
      expect(err.message).toMatch(/neither it nor its host can be woken \(set the host's MAC address\)/);
    } finally {
      await one.stop();
    }
  });
});
