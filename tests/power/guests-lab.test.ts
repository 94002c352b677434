import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab';
import type { SimHost } from '../../src/lab/hosts/host';
import type { ProxmoxClusterHandle } from '../../src/lab/proxmox';
import { systemClock } from '../../src/main/base/clock';
import type { Engine } from '../../src/main/inventory/engine';
import type { PowerController } from '../../src/main/power/controller';
import type { ProxmoxService } from '../../src/main/proxmox/service';
import { composeCore } from '../../src/main/root/core';
import { silentLogger } from '../../src/main/base/logger';
import { guestServerId, nodeServerId } from '../../src/main/proxmox/inventory-map';
import { memorySecrets } from '../../src/main/proxmox/io/cluster-secrets';
import { probeHost } from '../../src/main/drivers/probe';
import { openConfigStore } from '../../src/main/store/config-store';
import type { Notice } from '../../src/shared/events';
import type { PowerState } from '../../src/shared/power';
import { serverInputSchema, type ServerView } from '../../src/shared/server';

/**
 * Generic power actions on Proxmox guests (the card's buttons, the reconcile loop) against the
 * whole lab: two Proxmox nodes on simulated hosts with real SSH and Wake-on-LAN, the simulated
 * cluster's API on them, magic packets to the lab's loopback listener. 127.0.95.x is this file's.
 */
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-guests-lab-'));
let lab: Lab;
let pve: ProxmoxClusterHandle;
let engine: Engine;
let power: PowerController;
let proxmox: ProxmoxService;
const notices: Notice[] = [];
const hostIds = new Map<SimHost, string>();

beforeAll(async () => {
  lab = await startLab({
    hosts: 2,
    proxmoxNodes: 2,
    seed: 95,
    firstAddress: '127.0.95.1',
    wolPort: 0,
    stateDir,
    bootDelayMs: 300,
    suspendDelayMs: 100,
    initialPower: 'on',
    proxmox: { guests: 10, taskDelayMs: 20, authFailDelayMs: 0, certificateKey: 'ec' },
  });
  pve = lab.proxmox as ProxmoxClusterHandle;
  ({ engine, power, proxmox } = composeCore({
    store: openConfigStore(path.join(stateDir, 'home')),
    clock: systemClock,
    probe: probeHost,
    log: silentLogger,
    power: { fastPollMs: 100, timeouts: { wakeMs: 30_000, suspendMs: 30_000, shutdownMs: 30_000 } },
    proxmox: { secrets: memorySecrets(), taskPollMs: 50, nodeWaitMs: 30_000 },
  }));
  engine.events.on('notice', (n) => void notices.push(n));
  // The physical machines first, as an admin would: discovery then puts each node under its host.
  for (const host of lab.hosts) {
    const nic = host.spec.nics[0];
    if (nic) host.machine.setWakeOn(nic.name, 'g');
    const view = engine.addServer(
      serverInputSchema.parse({
        name: `rack-${host.hostname}`,
        address: host.address,
        mac: host.mac,
        ports: [host.spec.ports.ssh],
        // Never a real broadcast: only the lab's listener on loopback.
        wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [lab.wol.port] },
        powerControl: { timeouts: { wakeMs: 30_000 } },
      }),
    );
    hostIds.set(host, view.id);
  }
  const token = pve.credentials.adminToken;
  await proxmox.addCluster({ name: 'lab', url: pve.url, token: `${token.tokenId}=${token.secret}`, fingerprint: pve.fingerprint });
}, 60_000);

afterAll(async () => {
  engine?.stop();
  await lab?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const view = (id: string): ServerView => engine.view(id) as ServerView;

/** A plain QEMU guest on a node (no template, lock, HA; answers ACPI), put in `status` first. */
async function qemuOn(node: string, status: 'stopped' | 'running', skip: number[] = []) {
  const vmid = pve.vmids().find((v) => {
    const g = pve.guest(v).info();
    return g.type === 'qemu' && g.node === node && !g.template && !g.lock && !g.hastate && !skip.includes(v);
  });
  if (vmid === undefined) throw new Error(`no plain QEMU guest on ${node}`);
  pve.guest(vmid).setIgnoresAcpi(false);
  pve.guest(vmid).setStatus(status);
  await proxmox.discover();
  return { vmid, id: guestServerId('lab', { type: 'qemu', vmid }) };
}

/** Records each power state a server's patches show, in order. */
function watchPower(id: string): PowerState[] {
  const seen: PowerState[] = [];
  engine.events.on('servers.patch', (p) => {
    const v = p.upsert.find((s) => s.id === id);
    if (v && seen.at(-1) !== v.power) seen.push(v.power);
  });
  return seen;
}

const posts = (vmid: number) => pve.requestLog().filter((r) => r.method === 'POST' && r.path.includes(`/qemu/${vmid}/status/`)).map((r) => r.path.split('/').pop());

describe('power.run on a Proxmox guest', () => {
  it('offers the generic actions on the card, hibernate for QEMU only', () => {
    const guests = engine.servers().filter((s) => s.kind === 'vm' || s.kind === 'lxc');
    expect(guests.length).toBe(10);
    for (const g of guests) expect(view(g.id).capabilities).toEqual({ wake: true, suspend: true, hibernate: g.kind === 'vm', shutdown: true, reboot: true });
    // Nodes wake through the host under them.
    const node = view(nodeServerId('lab', lab.hosts[0]!.hostname));
    expect(node.parentId).toBe(hostIds.get(lab.hosts[0]!));
    expect(node.capabilities?.wake).toBe(true);
  });

  it('wake on a stopped VM: waking at once, a start task, then on as read back from Proxmox', async () => {
    const { vmid, id } = await qemuOn(lab.hosts[0]!.hostname, 'stopped');
    expect(view(id).power).toBe('stopped');
    pve.resetRequestLog();
    const seen = watchPower(id);
    power.run(id, 'wake');
    expect(view(id).power).toBe('waking');
    expect(view(id).transition).toMatchObject({ action: 'wake', target: 'on' });
    expect(await power.waitSettled(id)).toBe('reached');
    expect(view(id).power).toBe('on');
    expect(pve.guest(vmid).info().status).toBe('running');
    expect(posts(vmid)).toEqual(['start']);
    expect(proxmox.tasks.latestFor(id)).toMatchObject({ type: 'qmstart', outcome: 'ok', confirmed: { power: 'on' } });
    engine.snapshot(); // sends what the batching window still holds
    expect(seen).toEqual(['waking', 'on']);
  });

  it('suspend pauses it (paused, not "suspended"); wake resumes it; hibernate, wake by start; shutdown stops it', async () => {
    const { vmid, id } = await qemuOn(lab.hosts[0]!.hostname, 'running');
    expect(view(id).power).toBe('on');
    pve.resetRequestLog();

    power.run(id, 'suspend');
    expect(view(id).power).toBe('suspending');
    expect(view(id).transition?.target).toBe('paused');
    expect(await power.waitSettled(id)).toBe('reached');
    expect(view(id).power).toBe('paused');
    expect(pve.guest(vmid).info()).toMatchObject({ status: 'running', qmpstatus: 'paused' });

    power.run(id, 'wake');
    expect(view(id).power).toBe('waking');
    expect(await power.waitSettled(id)).toBe('reached');
    expect(view(id).power).toBe('on');
    expect(pve.guest(vmid).info().qmpstatus).toBe('running');

    // Hibernate: suspend to disk, a stopped VM with the "suspended" lock; wake then starts it.
    power.run(id, 'hibernate', { confirm: true });
    expect(await power.waitSettled(id)).toBe('reached');
    expect(view(id)).toMatchObject({ power: 'suspended', detail: 'hibernated (suspended to disk)' });
    expect(pve.guest(vmid).info()).toMatchObject({ status: 'stopped', lock: 'suspended' });
    power.run(id, 'wake');
    expect(await power.waitSettled(id)).toBe('reached');
    expect(view(id).power).toBe('on');

    power.run(id, 'shutdown', { confirm: true });
    expect(view(id).power).toBe('stopping');
    expect(await power.waitSettled(id)).toBe('reached');
    expect(view(id).power).toBe('stopped');
    expect(pve.guest(vmid).info().status).toBe('stopped');
    // pause → qm suspend, resume, suspend to disk, start (a hibernated VM resumes by a start), ACPI shutdown.
    expect(posts(vmid)).toEqual(['suspend', 'resume', 'suspend', 'start', 'shutdown']);
  });

  it('a failing task: the card shows the state Proxmox reports, one notice, the reason kept', async () => {
    const { vmid, id } = await qemuOn(lab.hosts[0]!.hostname, 'stopped');
    const before = notices.length;
    pve.setFault({ failTasks: { vmids: [vmid] } });
    try {
      power.run(id, 'wake');
      expect(await power.waitSettled(id)).toBe('failed');
    } finally {
      pve.clearFaults();
    }
    expect(view(id)).toMatchObject({ power: 'stopped', lastError: { action: 'wake', message: expect.stringMatching(/Proxmox task qmstart failed/) } });
    const told = notices.slice(before).filter((n) => n.serverId === id && n.level === 'error');
    expect(told).toHaveLength(1);
  });

  it('refuses an action the guest’s state does not allow, before anything is sent', () => {
    const stopped = engine.servers().find((s) => s.kind === 'vm' && view(s.id).power === 'stopped');
    expect(() => power.run(stopped!.id, 'suspend')).toThrow(/it is stopped/);
  });
});

describe('a guest whose node sleeps', () => {
  it('power.run wake: the host under the node is woken first (one magic packet), then the guest is started', async () => {
    const host = lab.hosts[1]!;
    const nodeId = nodeServerId('lab', host.hostname);
    const rackId = hostIds.get(host)!;
    const { vmid, id } = await qemuOn(host.hostname, 'stopped');
    await host.suspend();
    await proxmox.discover();
    await engine.refresh(rackId);
    expect(view(rackId).power).toBe('off');
    expect(view(nodeId).power).toBe('off');
    expect(view(id).power).toBe('unknown');

    const starts: number[] = [];
    const off = host.onPowerChange((p) => {
      if (p === 'on') starts.push(posts(vmid).length);
    });
    const packets = lab.wol.counters.received;
    pve.resetRequestLog();
    try {
      power.run(id, 'wake');
      expect(view(id).power).toBe('waking');
      expect(view(id).transition?.step).toBe(`waking rack-${host.hostname} first, then asking Proxmox to start it`);
      expect(await power.waitSettled(id)).toBe('reached');
    } finally {
      off();
    }
    expect(view(id).power).toBe('on');
    expect(view(nodeId).power).toBe('on');
    // The node may be seen up through the cluster a moment before the host's own probe answers.
    expect(await power.waitSettled(rackId)).toBe('reached');
    expect(view(rackId).power).toBe('on');
    expect(host.power()).toBe('on');
    expect(pve.guest(vmid).info().status).toBe('running');
    // The node's host came up before the start was sent, and was woken once, not by both paths.
    expect(starts).toEqual([0]);
    expect(posts(vmid)).toEqual(['start']);
    expect(lab.wol.counters.received - packets).toBe(1);
  });
});

describe('the reconcile loop with guests', () => {
  it('desired on for a stopped VM: one pass starts it, and it ends on', async () => {
    const { vmid, id } = await qemuOn(lab.hosts[0]!.hostname, 'stopped', []);
    power.setDesired(id, 'on');
    await power.reconcile();
    expect(view(id).power).toBe('waking');
    expect(await power.waitSettled(id)).toBe('reached');
    expect(view(id)).toMatchObject({ power: 'on', desired: 'on' });
    expect(pve.guest(vmid).info().status).toBe('running');
    await power.reconcile();
    expect(view(id).power).toBe('on'); // satisfied: nothing more is sent
    power.setDesired(id, null);
  });

  it('desired on for a VM on a sleeping node: host first, then the VM, pass after pass', async () => {
    const host = lab.hosts[1]!;
    const { vmid, id } = await qemuOn(host.hostname, 'stopped');
    await host.suspend();
    await proxmox.discover();
    await engine.refresh(hostIds.get(host)!);
    expect(view(id).power).toBe('unknown');
    power.setDesired(id, 'on');
    const deadline = Date.now() + 20_000;
    while (view(id).power !== 'on' && Date.now() < deadline) {
      await power.reconcile();
      await proxmox.discover();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(view(id).power).toBe('on');
    expect(host.power()).toBe('on');
    expect(pve.guest(vmid).info().status).toBe('running');
    power.setDesired(id, null);
  });
});
