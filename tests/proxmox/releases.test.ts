/**
 * Issue 15 against the simulated cluster, on both releases (9.1 and 8.4) with the shapes real
 * servers send (realWorld): unnamed VMs, paused and hibernated VMs, HA guests, bulk actions,
 * backups, PVE 9's memory figures, a fresh process that wakes a hibernated VM.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxmoxClusterHandle } from '../../src/lab/proxmox';
import type { GuestInfo } from '../../src/lab/proxmox/cluster-types';
import { runCli } from '../../src/main/faces/cli/main';
import { guestServerId, nodeServerId } from '../../src/main/proxmox/inventory-map';
import { openEngine, pump } from './engine-kit';
import { startLab } from './lab-kit';

type Env = ReturnType<typeof openEngine>;

describe.each([9, 8] as const)('Proxmox VE %i', (version) => {
  let lab: ProxmoxClusterHandle;
  let env: Env | undefined;
  const token = () => `${lab.credentials.adminToken.tokenId}=${lab.credentials.adminToken.secret}`;
  const info = (): GuestInfo[] => lab.vmids().map((v) => lab.guest(v).info());
  /** Guests no test shape touched: not a template, not HA, not locked, named. */
  const plain = (type?: 'qemu' | 'lxc') => info().filter((g) => !g.template && !g.haRequest && !g.lock && g.named && (!type || g.type === type));

  async function open(options: Parameters<typeof openEngine>[0] = {}): Promise<Env> {
    env = openEngine(options);
    await env.client.proxmox.addCluster({ name: 'lab', url: lab.url, token: token(), fingerprint: lab.fingerprint });
    return env;
  }
  const view = (vmid: number) => {
    const g = info().find((x) => x.vmid === vmid)!;
    return env!.engine.view(guestServerId('lab', g));
  };

  beforeAll(async () => {
    ({ lab } = await startLab({ version, guests: 48, seed: 15, realWorld: true, certificateKey: 'ec' }));
  });
  afterAll(async () => {
    await lab.stop();
  });
  afterEach(() => {
    env?.close();
    env = undefined;
  });

  it('an unnamed VM has no address (never its node\'s) and SSH to it is refused with the reason', async () => {
    const e = await open();
    const unnamed = info().find((g) => g.type === 'qemu' && !g.named)!;
    expect(unnamed.name).toBe(`VM ${unnamed.vmid}`);
    const server = e.engine.get(guestServerId('lab', unnamed));
    expect(server.address).toBe('');
    const nodeAddresses = new Set(e.engine.servers().filter((s) => s.kind === 'proxmox-node').flatMap((s) => [s.address, s.proxmox?.node ?? '']));
    for (const s of e.engine.servers().filter((x) => x.kind === 'vm' || x.kind === 'lxc')) expect({ id: s.id, borrowed: nodeAddresses.has(s.address) }).toEqual({ id: s.id, borrowed: false });
    // SSH set up by hand still cannot reach a guest with no address: refused, not sent to the hypervisor.
    await e.client.servers.edit({ id: server.id, patch: { ssh: { user: 'root', port: 22, auth: 'agent' } } });
    await expect(e.power.shellFor(server.id)).rejects.toThrow(/no address known/);
    // Nor are its services checked at some other machine's address.
    expect((await e.client.metrics.services({ id: server.id, refresh: true })).note).toBe('It has no address known yet.');
  });

  it('a paused VM shows Paused within one refresh and offers resume; a hibernated one shows as such and offers resume', async () => {
    const e = await open();
    const vm = plain('qemu').find((g) => g.status === 'running' && g.qmpstatus === 'running')!;
    lab.guest(vm.vmid).setStatus('paused');
    try {
      const [report] = await e.client.proxmox.discover({});
      expect(report?.ok).toBe(true);
      expect(view(vm.vmid)).toMatchObject({ power: 'paused', proxmox: { qmpstatus: 'paused', actions: expect.arrayContaining(['resume']) } });
      expect(view(vm.vmid)?.proxmox?.actions).not.toContain('pause');
      const homecloud = info().find((g) => g.name === 'homecloud')!;
      expect(homecloud.lock).toBe('suspended');
      expect(view(homecloud.vmid)).toMatchObject({ power: 'suspended', proxmox: { lock: 'suspended', actions: ['resume'] } });
      expect((await e.client.proxmox.guests({})).find((g) => g.vmid === vm.vmid)).toMatchObject({ power: 'paused', actions: expect.arrayContaining(['resume']) });
    } finally {
      lab.guest(vm.vmid).setStatus('running');
    }
  });

  it('a fresh engine wakes a hibernated VM by resuming it (power.run → refresh → resume), and a fresh CLI process too', async () => {
    const homecloud = info().find((g) => g.name === 'homecloud')!;
    // A first process adds the cluster and goes away; a second one starts on the same home knowing nothing yet.
    const first = openEngine();
    await first.client.proxmox.addCluster({ name: 'lab', url: lab.url, token: token(), fingerprint: lab.fingerprint });
    first.engine.stop();
    env = openEngine({ home: first.home });
    env.secrets.set('lab', lab.credentials.adminToken.secret);
    const id = guestServerId('lab', homecloud);
    expect(env.engine.view(id)?.power).toBe('unknown');
    await env.client.power.run({ id, action: 'wake' });
    await pump(env.clock, env.power.waitSettled(id));
    expect(lab.guest(homecloud.vmid).info()).toMatchObject({ status: 'running' });
    expect(lab.guest(homecloud.vmid).info().lock).toBeUndefined();
    expect(env.engine.view(id)?.power).toBe('on');
    expect(lab.requestCounts()).not.toHaveProperty(`POST /nodes/${homecloud.node}/qemu/${homecloud.vmid}/status/resume`);

    // The CLI of the issue: `rackdeck wake homecloud` in a new process.
    lab.guest(homecloud.vmid).setStatus('hibernated');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-px15-cli-'));
    try {
      const cli = async (...argv: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli([...argv, '--home', home], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      expect((await cli('proxmox', 'add', 'lab', '--url', lab.url, '--token', token(), '--fingerprint', lab.fingerprint)).code).toBe(0);
      const woke = await cli('wake', 'homecloud', '--wait');
      expect(woke.err).toBe('');
      expect(woke.code).toBe(0);
      expect(woke.out).not.toMatch(/not available/);
      expect(lab.guest(homecloud.vmid).info()).toMatchObject({ status: 'running' });
      // `rackdeck guests --json` carries each guest's backup, with no CLI change.
      await cli('proxmox', 'discover');
      const guests = JSON.parse((await cli('guests', '--json')).out) as { vmid: number; haManaged: boolean; named?: boolean }[];
      expect(guests.find((g) => g.vmid === homecloud.vmid)).toMatchObject({ haManaged: false });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
      lab.guest(homecloud.vmid).setStatus('hibernated');
    }
  });

  it("an HA guest's stop goes through HA: the HA state is requested and the resource manager's task followed", async () => {
    const e = await open();
    const ha = info().find((g) => g.haRequest === 'started' && g.status === 'running' && !g.lock)!;
    expect(view(ha.vmid)?.proxmox).toMatchObject({ hastate: 'started', haManaged: true });
    lab.resetRequestLog();
    // The request waits (on the clock) for the HA manager's task to show: pumped like the task itself.
    const task = await pump(e.clock, e.client.proxmox.guestAction({ guest: `lab/${ha.vmid}`, action: 'stop' }));
    const done = await pump(e.clock, e.proxmox.waitTask(task.upid));
    const kind = ha.type === 'qemu' ? 'qemu' : 'lxc';
    const sid = `${ha.type === 'qemu' ? 'vm' : 'ct'}:${ha.vmid}`;
    const counts = lab.requestCounts();
    expect(Object.keys(counts).some((k) => k.startsWith('PUT /cluster/ha/resources/') && decodeURIComponent(k).endsWith(sid))).toBe(true);
    expect(counts).not.toHaveProperty(`POST /nodes/${ha.node}/${kind}/${ha.vmid}/status/stop`);
    expect(counts).not.toHaveProperty(`POST /nodes/${ha.node}/${kind}/${ha.vmid}/status/shutdown`);
    expect(done).toMatchObject({ action: 'stop', type: ha.type === 'qemu' ? 'qmshutdown' : 'vzshutdown', outcome: 'ok', confirmed: { power: 'stopped' } });
    expect(done.upid).toMatch(/:root@pam:$/);
    expect(lab.guest(ha.vmid).info()).toMatchObject({ status: 'stopped', haRequest: 'stopped', hastate: 'stopped' });
    // And back through HA.
    const started = await pump(e.clock, e.client.proxmox.guestAction({ guest: `lab/${ha.vmid}`, action: 'start' }).then((t) => e.proxmox.waitTask(t.upid)));
    expect(started).toMatchObject({ type: ha.type === 'qemu' ? 'qmstart' : 'vzstart', confirmed: { power: 'on' } });
    expect(lab.guest(ha.vmid).info()).toMatchObject({ status: 'running', haRequest: 'started' });
  });

  it('without Sys.Console (a least-privilege token) the HA stop is the guest\'s own call, which Proxmox hands to HA (hastop)', async () => {
    const { lab: own } = await startLab({
      version,
      guests: 8,
      seed: 4,
      certificateKey: 'ec',
      tokens: [{ tokenId: 'rackdeck@pve!ha', secret: '0d7f2a51-5d1e-4b1a-9a57-3c1f2e6d8b90', privileges: ['VM.Audit', 'VM.PowerMgmt', 'Sys.Audit', 'Datastore.Audit'] }],
    });
    try {
      env = openEngine();
      await env.client.proxmox.addCluster({ name: 'own', url: own.url, token: 'rackdeck@pve!ha=0d7f2a51-5d1e-4b1a-9a57-3c1f2e6d8b90', fingerprint: own.fingerprint });
      const ha = own
        .vmids()
        .map((v) => own.guest(v).info())
        .find((g) => g.haRequest === 'started' && g.status === 'running')!;
      own.resetRequestLog();
      const e = env;
      const task = await pump(e.clock, e.client.proxmox.guestAction({ guest: `own/${ha.vmid}`, action: 'shutdown' }));
      const done = await pump(e.clock, e.proxmox.waitTask(task.upid));
      const counts = own.requestCounts();
      expect(Object.entries(counts).filter(([k]) => k.startsWith('PUT /cluster/ha/resources/')).length).toBe(1);
      expect(counts).toHaveProperty(`POST /nodes/${ha.node}/${ha.type}/${ha.vmid}/status/shutdown`);
      expect(done).toMatchObject({ type: ha.type === 'qemu' ? 'qmshutdown' : 'vzshutdown', outcome: 'ok', confirmed: { power: 'stopped' } });
      expect(own.guest(ha.vmid).info()).toMatchObject({ status: 'stopped', haRequest: 'stopped' });
      const hastop = (await env.client.proxmox.nodeTasks({ node: ha.node, cluster: 'own' })).find((t) => t.type === 'hastop' && t.id === String(ha.vmid));
      expect(hastop).toMatchObject({ outcome: 'ok', user: 'rackdeck@pve!ha' });
    } finally {
      await own.stop();
    }
  });

  it('a node whose VM list fails (a 595 while the others answer) is reported, and its paused VM stays paused', async () => {
    const e = await open();
    const vm = plain('qemu').find((g) => g.status === 'running' && g.qmpstatus === 'running')!;
    lab.guest(vm.vmid).setStatus('paused');
    try {
      await e.client.proxmox.discover({});
      expect(view(vm.vmid)?.power).toBe('paused');
      lab.setFault({ fail500Paths: [`/nodes/${vm.node}/qemu`] });
      const [report] = await e.client.proxmox.discover({});
      expect(report?.ok).toBe(true);
      const [cluster] = await e.client.proxmox.clusters({});
      expect(cluster?.status.issues?.some((i) => i.startsWith(`GET /nodes/${vm.node}/qemu:`))).toBe(true);
      expect(view(vm.vmid)?.power).toBe('paused');
    } finally {
      lab.clearFaults();
      lab.guest(vm.vmid).setStatus('running');
    }
  });

  it(`a bulk start of 20 guests is ${version === 9 ? 'one API call' : 'twenty calls (no bulk endpoint on 8)'}`, async () => {
    const e = await open();
    const twenty = plain().slice(0, 20);
    expect(twenty).toHaveLength(20);
    for (const g of twenty) lab.guest(g.vmid).setStatus('stopped');
    await e.client.proxmox.discover({});
    lab.resetRequestLog();
    const result = await e.client.proxmox.bulk({ guests: twenty.map((g) => `lab/${g.vmid}`), action: 'start' });
    const counts = lab.requestCounts();
    const perGuest = Object.entries(counts).filter(([k]) => /^POST \/nodes\/[^/]+\/(qemu|lxc)\/\d+\/status\/start$/.test(k)).reduce((n, [, c]) => n + c, 0);
    const bulkCalls = counts['POST /cluster/bulk-action/guest/start'] ?? 0;
    // Every call that acts (the tasks' progress is read with GETs while they run).
    const actions = lab.requestLog().filter((r) => r.method !== 'GET').length;
    if (version === 9) {
      expect(result.clusters).toEqual([expect.objectContaining({ cluster: 'lab', mode: 'bulk' })]);
      expect([bulkCalls, perGuest, actions]).toEqual([1, 0, 1]);
    } else {
      expect(result.clusters).toEqual([expect.objectContaining({ cluster: 'lab', mode: 'per-guest' })]);
      expect([bulkCalls, perGuest, actions]).toEqual([0, 20, 20]);
    }
    expect(result.skipped).toEqual([]);
    for (const t of result.clusters.flatMap((c) => c.tasks)) await pump(e.clock, e.proxmox.waitTask(t.upid));
    for (const g of twenty) expect({ vmid: g.vmid, status: lab.guest(g.vmid).info().status }).toEqual({ vmid: g.vmid, status: 'running' });
    for (const g of twenty) expect(view(g.vmid)?.power).toBe('on');
  });

  it('backups: the age of each guest\'s last successful backup, flagged past the threshold (a setting)', async () => {
    const e = await open();
    // One never backed up, given a backup 10 days ago; one given a fresh backup and then a failed run.
    const g = plain().find((x) => x.backups.length === 0);
    const h = plain().find((x) => x.vmid !== g?.vmid);
    lab.guest(g!.vmid).addBackup({ ageMs: 10 * 86_400_000 });
    lab.guest(h!.vmid).addBackup({ ageMs: 2 * 3_600_000 });
    lab.guest(h!.vmid).addBackup({ ageMs: 3_600_000, ok: false });
    const [scan] = await e.client.proxmox.scanBackups({ cluster: 'lab' });
    expect(scan).toMatchObject({ cluster: 'lab' });
    expect(scan!.backedUp).toBeGreaterThan(1);
    const guests = await e.client.proxmox.guests({});
    const old = guests.find((x) => x.vmid === g!.vmid)!;
    const fresh = guests.find((x) => x.vmid === h!.vmid)!;
    expect(old.backupAgeMs).toBeGreaterThan(9 * 86_400_000);
    expect(old.backup).toMatchObject({ stale: true, source: 'volume' });
    expect(fresh.backupAgeMs).toBeLessThan(3 * 3_600_000);
    expect(fresh.backup?.stale).toBe(false);
    expect(view(g!.vmid)?.proxmox?.backup).toMatchObject({ stale: true });
    // Never backed up (the real-world history leaves some out): flagged, with no date.
    expect(guests.some((x) => !x.template && x.backup?.stale && x.backup.lastOkAt === undefined)).toBe(true);
    await e.client.proxmox.setSettings({ backupMaxAgeHours: 24 * 30 });
    expect(e.engine.settings.proxmox.backupMaxAgeHours).toBe(720);
    expect(view(g!.vmid)?.proxmox?.backup?.stale).toBe(false);
    await expect(e.client.proxmox.setSettings({ backupMaxAgeHours: 0 })).rejects.toThrow(/at least 1 hour/);
    expect(e.engine.settings.proxmox.backupMaxAgeHours).toBe(720);
  });

  it(version === 9 ? 'PVE 9: memhost and memory pressure of a running VM reach its card' : 'PVE 8: no memhost or pressure figures, and nothing breaks for it', async () => {
    const e = await open();
    const vm = plain('qemu').find((g) => g.status === 'running' && g.qmpstatus === 'running')!;
    lab.guest(vm.vmid).setLoad({ mem: 0.99 });
    await e.client.proxmox.discover({});
    const px = view(vm.vmid)?.proxmox;
    if (version === 9) {
      expect(px?.memhost).toBeGreaterThan(0);
      expect(px?.pressure?.memSome).toBeGreaterThan(5);
    } else {
      expect(px).not.toHaveProperty('memhost');
      expect(px).not.toHaveProperty('pressure');
      expect(view(vm.vmid)?.power).toBe('on');
    }
    const node = e.engine.view(nodeServerId('lab', vm.node));
    expect(node?.proxmox?.nodeStatus).toBe('online');
  });
});
