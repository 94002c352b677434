/**
 * Snapshots round trip: create (with and without RAM), list with parent chain and the trailing
 * "current" entry, rollback, delete, and the errors on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox/index';
import { fakeNodeHost, labCall, type LabAuth } from '../../src/lab/proxmox/test-kit';

type Snap = { name: string; parent?: string; snaptime?: number; vmstate?: number; description: string; running?: number; digest?: string };

let lab: ProxmoxClusterHandle;
let auth: LabAuth;
const VM = 102; // stopped qemu archetype
const CT = 101; // running lxc archetype

const base = (vmid: number): string => {
  const g = lab.guest(vmid).info();
  return `/nodes/${g.node}/${g.type}/${vmid}`;
};

async function list(vmid: number): Promise<Snap[]> {
  return (await labCall<Snap[]>(lab.url, `${base(vmid)}/snapshot`, { auth, ca: lab.certPem })).body?.data ?? [];
}

async function task(method: string, path: string, params: Record<string, string | number> = {}): Promise<{ exitstatus: string; log: string[] }> {
  const res = await labCall<string>(lab.url, path, { method, auth, params, ca: lab.certPem });
  expect(res.status, `${method} ${path}: ${res.reason}`).toBe(200);
  await lab.waitForIdle(5000);
  const upid = encodeURIComponent(res.body?.data ?? '');
  const node = path.split('/')[2];
  const status = await labCall<{ exitstatus: string }>(lab.url, `/nodes/${node}/tasks/${upid}/status`, { auth, ca: lab.certPem });
  const log = await labCall<{ t: string }[]>(lab.url, `/nodes/${node}/tasks/${upid}/log`, { auth, ca: lab.certPem });
  return { exitstatus: status.body?.data.exitstatus ?? '', log: (log.body?.data ?? []).map((l) => l.t) };
}

beforeAll(async () => {
  lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1'), fakeNodeHost('pve2')], guests: 8, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
  auth = { token: lab.credentials.adminToken.header };
});

afterAll(async () => {
  await lab?.stop();
});

describe('QEMU snapshots', () => {
  it('round-trips create, list, rollback and delete with the parent chain', async () => {
    expect(await list(VM)).toEqual([expect.objectContaining({ name: 'current', description: 'You are here!', running: 0 })]);
    await task('POST', `${base(VM)}/status/start`);

    const first = await task('POST', `${base(VM)}/snapshot`, { snapname: 'before', description: 'with RAM', vmstate: 1 });
    expect(first.exitstatus).toBe('OK');
    expect(first.log).toContain(`saving VM state and RAM using storage 'local-lvm'`);
    expect((await task('POST', `${base(VM)}/snapshot`, { snapname: 'after' })).exitstatus).toBe('OK');

    const snaps = await list(VM);
    expect(snaps.map((s) => s.name)).toEqual(['before', 'after', 'current']);
    expect(snaps[0]).toMatchObject({ name: 'before', vmstate: 1, description: 'with RAM' });
    expect(snaps[0]?.parent).toBeUndefined();
    expect(snaps[1]).toMatchObject({ name: 'after', parent: 'before', vmstate: 0 });
    expect(snaps[2]).toMatchObject({ name: 'current', parent: 'after', running: 1 });
    expect(snaps[2]?.snaptime).toBeUndefined();
    expect(typeof snaps[0]?.snaptime).toBe('number');

    // Rolling back to a snapshot with RAM leaves the VM running; without RAM it stops.
    expect((await task('POST', `${base(VM)}/snapshot/after/rollback`)).exitstatus).toBe('OK');
    expect(lab.guest(VM).info().status).toBe('stopped');
    expect((await task('POST', `${base(VM)}/snapshot/before/rollback`)).exitstatus).toBe('OK');
    expect(lab.guest(VM).info().status).toBe('running');
    expect((await list(VM)).at(-1)).toMatchObject({ name: 'current', parent: 'before' });

    expect((await task('DELETE', `${base(VM)}/snapshot/before`)).exitstatus).toBe('OK');
    const left = await list(VM);
    expect(left.map((s) => s.name)).toEqual(['after', 'current']);
    expect(left[0]?.parent).toBeUndefined();
    expect(left[1]?.parent).toBeUndefined();
  });

  it('fails the task for a duplicate name or a missing snapshot, and refuses "current" at once', async () => {
    expect((await task('POST', `${base(VM)}/snapshot`, { snapname: 'after' })).exitstatus).toBe("snapshot name 'after' already used");
    expect((await task('POST', `${base(VM)}/snapshot/nope/rollback`)).exitstatus).toBe("snapshot 'nope' does not exist");
    expect((await task('DELETE', `${base(VM)}/snapshot/nope`)).exitstatus).toBe("snapshot 'nope' does not exist");
    const reserved = await labCall(lab.url, `${base(VM)}/snapshot`, { method: 'POST', auth, params: { snapname: 'current' }, ca: lab.certPem });
    expect([reserved.status, reserved.reason]).toEqual([500, "unable to use snapshot name 'current' (reserved name)"]);
    const badName = await labCall(lab.url, `${base(VM)}/snapshot`, { method: 'POST', auth, params: { snapname: '1bad' }, ca: lab.certPem });
    expect(badName.body?.errors).toEqual({ snapname: "invalid format - invalid configuration ID '1bad'\n" });
  });

});

describe('LXC snapshots', () => {
  it('round-trips with the chain, and rollback with start=1 starts the container', async () => {
    const before = (await list(CT)).map((s) => s.name);
    expect((await task('POST', `${base(CT)}/snapshot`, { snapname: 'ct1' })).exitstatus).toBe('OK');
    const snaps = await list(CT);
    expect(snaps.map((s) => s.name)).toEqual([...before.filter((n) => n !== 'current'), 'ct1', 'current']);
    expect(snaps.find((s) => s.name === 'ct1')).not.toHaveProperty('vmstate');
    expect((await task('POST', `${base(CT)}/snapshot/ct1/rollback`, { start: 1 })).exitstatus).toBe('OK');
    expect(lab.guest(CT).info().status).toBe('running');
    expect((await task('DELETE', `${base(CT)}/snapshot/ct1`)).exitstatus).toBe('OK');
    expect((await list(CT)).map((s) => s.name)).toEqual(before);
  });

  it('holds the snapshot lock while the task runs', async () => {
    const slow = await startProxmoxCluster({ nodes: [fakeNodeHost('solo')], guests: 3, taskDelayMs: 150, authFailDelayMs: 0, certificateKey: 'ec' });
    try {
      const path = `/nodes/solo/lxc/101/snapshot`;
      const auth2 = { token: slow.credentials.adminToken.header };
      await labCall(slow.url, path, { method: 'POST', auth: auth2, params: { snapname: 'snap1' }, ca: slow.certPem });
      expect(slow.guest(101).info().lock).toBe('snapshot');
      await slow.waitForIdle(5000);
      expect(slow.guest(101).info().lock).toBeUndefined();
    } finally {
      await slow.stop();
    }
  });
});
