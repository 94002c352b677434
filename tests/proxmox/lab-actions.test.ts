import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxmoxClusterHandle } from '../../src/lab/proxmox';
import type { GuestAction, ProxmoxGuestInfo } from '../../src/shared/contract/proxmox';
import type { ProxmoxClient } from '../../src/main/drivers/proxmox/client';
import { ProxmoxError } from '../../src/main/drivers/proxmox/model/errors';
import { availableActions, runState, stateFromStatus } from '../../src/main/drivers/proxmox/model/guests';
import { clientFor, startLab } from './lab-kit';

/** Every guest action's task followed to its end, against the lab; failures; snapshots round trip. */
let lab: ProxmoxClusterHandle;
let c: ProxmoxClient;

beforeAll(async () => {
  ({ lab } = await startLab({ guests: 16 }));
  c = clientFor(lab);
});
afterAll(async () => {
  c.close();
  await lab.stop();
});

async function pick(type: 'qemu' | 'lxc'): Promise<ProxmoxGuestInfo> {
  const { guests } = await c.resources();
  const g = guests.find((x) => x.type === type && !x.template && !x.lock && !x.hastate);
  if (!g) throw new Error(`no ${type} guest in the lab`);
  return g;
}

/** Runs an action on the guest's fresh state, follows its task, and returns the state read back. */
async function act(g: ProxmoxGuestInfo, action: GuestAction, statusOverride?: string) {
  const before = stateFromStatus(g.type, await c.guestStatus(g));
  if (statusOverride) before.status = statusOverride;
  expect(availableActions(before)).toContain(action);
  const upid = await c.action({ ...g, ...before }, action, action === 'shutdown' ? { timeout: 5, forceStop: true } : {});
  const followed = await c.followTask(upid, { intervalMs: 10, firstIntervalMs: 5 });
  const after = stateFromStatus(g.type, await c.guestStatus(g));
  return { followed, after: runState(after) };
}

describe('every action, its task followed to the end, the state read back', () => {
  it('QEMU: start, pause, resume, hibernate, resume (by start), reboot, reset, shutdown, stop', async () => {
    const g = await pick('qemu');
    lab.guest(g.vmid).setStatus('stopped');
    lab.guest(g.vmid).setAgent({ configured: true, running: true });
    const steps: [GuestAction, string, string][] = [
      ['start', 'qmstart', 'running'],
      ['pause', 'qmpause', 'paused'],
      ['resume', 'qmresume', 'running'],
      ['hibernate', 'qmsuspend', 'hibernated'],
      ['resume', 'qmstart', 'running'],
      ['reboot', 'qmreboot', 'running'],
      ['reset', 'qmreset', 'running'],
      ['shutdown', 'qmshutdown', 'stopped'],
      ['start', 'qmstart', 'running'],
      ['stop', 'qmstop', 'stopped'],
    ];
    for (const [action, type, state] of steps) {
      const { followed, after } = await act(g, action);
      expect({ action, type: followed.task.type, outcome: followed.task.outcome, status: followed.task.status }).toEqual({ action, type, outcome: 'ok', status: 'stopped' });
      expect(followed.log[followed.log.length - 1]?.t).toBe('TASK OK');
      expect({ action, after }).toEqual({ action, after: state });
    }
  });

  it('LXC: start, pause, resume, reboot, shutdown, stop', async () => {
    const g = await pick('lxc');
    lab.guest(g.vmid).setStatus('stopped');
    // The API shows a frozen container as running: the service remembers the pause; here we say it.
    const steps: [GuestAction, string, string, string?][] = [
      ['start', 'vzstart', 'running'],
      ['pause', 'vzsuspend', 'running'],
      ['resume', 'vzresume', 'running', 'frozen'],
      ['reboot', 'vzreboot', 'running'],
      ['shutdown', 'vzshutdown', 'stopped'],
      ['start', 'vzstart', 'running'],
      ['stop', 'vzstop', 'stopped'],
    ];
    for (const [action, type, state, override] of steps) {
      const { followed, after } = await act(g, action, override);
      expect({ action, type: followed.task.type, outcome: followed.task.outcome }).toEqual({ action, type, outcome: 'ok' });
      expect({ action, after }).toEqual({ action, after: state });
    }
  });

  it('a task that fails ends in error with its text, and the log says TASK ERROR', async () => {
    const g = await pick('qemu');
    lab.guest(g.vmid).setStatus('stopped');
    lab.setFault({ failTasks: { types: ['qmstart'], vmids: [g.vmid] } });
    try {
      const upid = await c.action({ ...g, status: 'stopped' }, 'start');
      const followed = await c.followTask(upid, { intervalMs: 10, firstIntervalMs: 5 });
      expect(followed.task.outcome).toBe('error');
      expect(followed.task.exitstatus).toBeTruthy();
      expect(followed.task.exitstatus).not.toBe('OK');
      expect(followed.log[followed.log.length - 1]?.t).toMatch(/^TASK ERROR: /);
      expect(runState(stateFromStatus('qemu', await c.guestStatus(g)))).toBe('stopped');
    } finally {
      lab.clearFaults();
    }
  });

  it('refuses an action that does not exist for the state before sending it', async () => {
    const g = await pick('qemu');
    lab.guest(g.vmid).setStatus('stopped');
    const before = lab.requestCount();
    await expect(c.action({ ...g, status: 'stopped' }, 'reboot')).rejects.toMatchObject({ kind: 'not_running' });
    await expect(c.action({ ...g, type: 'lxc', status: 'running' }, 'reset')).rejects.toBeInstanceOf(ProxmoxError);
    expect(lab.requestCount()).toBe(before);
  });

  it('the server refuses reboot of a stopped VM with 500 "not running" (when asked anyway)', async () => {
    const g = await pick('qemu');
    lab.guest(g.vmid).setStatus('stopped');
    await expect(c.api.post(`/nodes/${g.node}/qemu/${g.vmid}/status/reboot`, (await import('zod')).z.unknown())).rejects.toMatchObject({ kind: 'not_running', status: 500 });
  });

  it('a missing guest is not_found (500 "Configuration file … does not exist")', async () => {
    await expect(c.guestStatus({ node: 'pve1', type: 'qemu', vmid: 99999 })).rejects.toMatchObject({ kind: 'not_found', status: 500 });
  });

  it('an unknown task is not_found', async () => {
    await expect(c.taskStatus('UPID:pve1:00000001:00000001:00000001:qmstart:100:root@pam:')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it("lists a node's recent tasks, newest first, with their outcome", async () => {
    const tasks = await c.nodeTasks('pve1', { limit: 20 });
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.node === 'pve1' && t.upid.startsWith('UPID:pve1:'))).toBe(true);
    expect(tasks.some((t) => t.outcome === 'ok')).toBe(true);
  });
});

describe('snapshots round trip', () => {
  it('create with and without RAM, see the tree and "current", roll back, delete', async () => {
    const g = await pick('qemu');
    lab.guest(g.vmid).setStatus('running');
    const run = async (p: Promise<string>) => (await c.followTask(await p, { intervalMs: 10, firstIntervalMs: 5 })).task.outcome;
    const start = await c.snapshots(g);
    const existing = start.list.length;
    expect(await run(c.createSnapshot(g, { name: 'before_upgrade', description: 'clean state\nsecond line', vmstate: true }))).toBe('ok');
    expect(await run(c.createSnapshot(g, { name: 'after-upgrade' }))).toBe('ok');
    let tree = await c.snapshots(g);
    expect(tree.list.length).toBe(existing + 2);
    const first = tree.list.find((s) => s.name === 'before_upgrade')!;
    expect(first).toMatchObject({ vmstate: true, description: 'clean state\nsecond line' });
    expect(tree.list.find((s) => s.name === 'after-upgrade')).toMatchObject({ parent: 'before_upgrade', vmstate: false });
    expect(tree.currentParent).toBe('after-upgrade');

    expect(await run(c.rollbackSnapshot(g, 'before_upgrade'))).toBe('ok');
    tree = await c.snapshots(g);
    expect(tree.currentParent).toBe('before_upgrade');
    // A RAM snapshot of a running VM brings it back running.
    expect(runState(stateFromStatus('qemu', await c.guestStatus(g)))).toBe('running');

    expect(await run(c.deleteSnapshot(g, 'after-upgrade'))).toBe('ok');
    expect(await run(c.deleteSnapshot(g, 'before_upgrade'))).toBe('ok');
    tree = await c.snapshots(g);
    expect(tree.list.length).toBe(existing);
    await expect(c.rollbackSnapshot(g, 'current')).rejects.toThrow(/reserved/);
  });

  it('a container snapshot never sends vmstate', async () => {
    const g = await pick('lxc');
    await expect(c.createSnapshot(g, { name: 'ram', vmstate: true })).rejects.toThrow(/only VMs/);
    const upid = await c.createSnapshot(g, { name: 'ct_snap' });
    expect((await c.followTask(upid, { intervalMs: 10 })).task.type).toBe('vzsnapshot');
    await c.followTask(await c.deleteSnapshot(g, 'ct_snap'), { intervalMs: 10 });
  });
});

describe('addresses and figures', () => {
  it('reads IPs from the agent of a running VM and from the config of a stopped container', async () => {
    const vm = await pick('qemu');
    lab.guest(vm.vmid).setStatus('running');
    lab.guest(vm.vmid).setAgent({ configured: true, running: true });
    const fromAgent = await c.addresses(vm);
    expect(fromAgent[0]).toMatchObject({ source: 'agent', address: lab.guest(vm.vmid).info().ip });
    lab.guest(vm.vmid).setAgent({ running: false });
    const fallback = await c.addresses(vm);
    expect(fallback.every((a) => a.source === 'config')).toBe(true);

    const ct = await pick('lxc');
    lab.guest(ct.vmid).setStatus('stopped');
    const list = await c.addresses({ ...ct, running: false });
    expect(list.every((a) => a.source === 'config')).toBe(true);
  });

  it('reads rrd data with missing fields tolerated', async () => {
    const g = await pick('qemu');
    const points = await c.guestRrd(g, 'hour');
    expect(points.length).toBeGreaterThan(10);
    expect(points.every((p) => typeof p.time === 'number')).toBe(true);
    const status = await c.nodeStatus('pve1');
    expect(status.memory.total).toBeGreaterThan(0);
    const storage = await c.storage('pve1');
    expect(storage.some((s) => s.fraction !== undefined)).toBe(true);
  });
});

describe('a guest that ignores the power button', () => {
  it('shutdown fails with the reason (then the stop is offered); with forceStop it ends stopped', async () => {
    const { lab: own } = await startLab({ nodeNames: ['solo'], guests: 4, seed: 5, shutdownTimeoutMs: 30 });
    const client = clientFor(own);
    try {
      const { guests } = await client.resources();
      const g = guests.find((x) => x.type === 'qemu' && !x.template && !x.hastate)!;
      own.guest(g.vmid).setStatus('running');
      own.guest(g.vmid).setAgent({ configured: false, running: false });
      own.guest(g.vmid).setIgnoresAcpi(true);
      const follow = async (upid: string) => (await client.followTask(upid, { intervalMs: 10, firstIntervalMs: 5 })).task;
      const failed = await follow(await client.action({ ...g, status: 'running' }, 'shutdown', { timeout: 1 }));
      expect(failed).toMatchObject({ outcome: 'error', exitstatus: 'VM quit/powerdown failed - got timeout' });
      expect(availableActions(stateFromStatus('qemu', await client.guestStatus(g)))).toContain('stop');
      const forced = await follow(await client.action({ ...g, status: 'running' }, 'shutdown', { timeout: 1, forceStop: true }));
      expect(forced.outcome).toBe('ok');
      expect(runState(stateFromStatus('qemu', await client.guestStatus(g)))).toBe('stopped');
    } finally {
      client.close();
      await own.stop();
    }
  });
});
