import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capabilitiesIn } from '../../src/main/power/capabilities';
import { concludeGuest, guestCapabilities, isProxmoxGuest, type GuestTask } from '../../src/main/power/guests';
import { planReconcile, satisfied, type AttemptMemory, type ReconcileServer } from '../../src/main/power/reconcile';
import { clusterSecretsStore, legacyClusterSecretsFile } from '../../src/main/proxmox/io/cluster-secrets';
import { keyFileEncryptor, SecretsStore } from '../../src/main/store/secrets';
import { isTransitional, type PowerState } from '../../src/shared/power';
import type { ServerConfig } from '../../src/shared/server';

/** The pure parts of guests under the power controller, the planner's guest rules, and cluster secrets in the main store. */

const server = (id: string, extra: Partial<ServerConfig> = {}): ServerConfig => ({ id, name: id, kind: 'physical', address: '127.0.0.1', ports: [22], createdAt: 0, ...extra });
const vm = server('vm', { kind: 'vm', parentId: 'node', proxmox: { cluster: 'lab', node: 'pve1', type: 'qemu', vmid: 100 } });
const ct = server('ct', { kind: 'lxc', parentId: 'node', proxmox: { cluster: 'lab', node: 'pve1', type: 'lxc', vmid: 101 } });
const node = server('node', { kind: 'proxmox-node', parentId: 'rack', proxmox: { cluster: 'lab', node: 'pve1' } });
const rack = server('rack', { mac: '02:00:00:00:00:01' });
const all = [vm, ct, node, rack];
const ctx = (guests = true) => ({ guests, parentOf: (s: Pick<ServerConfig, 'parentId'>) => all.find((x) => x.id === s.parentId), system: () => undefined });

describe('what a guest and a node can do', () => {
  it('a guest bound to Proxmox does everything through the API; hibernate only for QEMU', () => {
    expect(isProxmoxGuest(vm)).toBe(true);
    expect(isProxmoxGuest(node)).toBe(false);
    expect(isProxmoxGuest(server('plain', { kind: 'vm' }))).toBe(false);
    expect(capabilitiesIn(vm, ctx())).toEqual({ wake: true, suspend: true, hibernate: true, shutdown: true, reboot: true });
    expect(capabilitiesIn(ct, ctx())).toEqual({ wake: true, suspend: true, hibernate: false, shutdown: true, reboot: true });
    expect(guestCapabilities(ct).hibernate).toBe(false);
  });

  it('without the Proxmox capability a guest is a plain server (no MAC, no SSH: nothing)', () => {
    expect(capabilitiesIn(vm, ctx(false))).toEqual({ wake: false, suspend: false, hibernate: false, shutdown: false, reboot: false });
  });

  it('a node wakes through the host under it, and suspends over its own SSH only', () => {
    expect(capabilitiesIn(node, ctx())).toMatchObject({ wake: true, suspend: false, shutdown: false });
    const withSsh = { ...node, ssh: { user: 'root', port: 22, auth: 'key' as const } };
    expect(capabilitiesIn(withSsh, ctx())).toMatchObject({ wake: true, suspend: true, shutdown: true });
    const orphan = { ...node, parentId: undefined };
    expect(capabilitiesIn(orphan, ctx()).wake).toBe(false);
    // A physical server is never woken through its parent: it has its own NIC.
    const child = server('child', { parentId: 'rack' });
    expect(capabilitiesIn(child, ctx()).wake).toBe(false);
  });
});

describe('concluding a guest command from what Proxmox read back', () => {
  const task = (over: Partial<GuestTask>): GuestTask => ({ upid: 'UPID:x', action: 'start', type: 'qmstart', status: 'stopped', outcome: 'ok', ...over });

  it.each([
    ['wake', 'on'],
    ['reboot', 'on'],
    ['suspend', 'paused'],
    ['hibernate', 'suspended'],
    ['shutdown', 'stopped'],
  ] as const)('%s reached when Proxmox confirms %s', (action, power) => {
    expect(concludeGuest(action, task({ confirmed: { power } }), undefined, 'stopped')).toEqual({ outcome: 'reached', power });
  });

  it('a task that ended OK but left the guest elsewhere is a failure showing the real state', () => {
    const end = concludeGuest('suspend', task({ action: 'pause', type: 'qmpause', confirmed: { power: 'on' } }), undefined, 'on');
    expect(end).toMatchObject({ outcome: 'failed', power: 'on', told: false });
    expect(end.outcome === 'failed' && end.message).toMatch(/Proxmox reports it on/);
  });

  it('a failed task: the state read back, the exit status, and no second notice', () => {
    const end = concludeGuest('wake', task({ outcome: 'error', exitstatus: 'start failed: boom', confirmed: { power: 'stopped' } }), undefined, 'stopped');
    expect(end).toMatchObject({ outcome: 'failed', power: 'stopped', told: true });
    expect(end.outcome === 'failed' && end.message).toContain('start failed: boom');
  });

  it('nothing read back: the last reading, else the state before, never the target', () => {
    expect(concludeGuest('wake', task({ error: 'cluster went away' }), { power: 'unknown', up: false, detail: 'x' }, 'stopped')).toMatchObject({ outcome: 'failed', power: 'unknown' });
    expect(concludeGuest('wake', task({ error: 'cluster went away' }), undefined, 'stopped')).toMatchObject({ outcome: 'failed', power: 'stopped' });
    expect(concludeGuest('wake', task({}), undefined, 'waking')).toMatchObject({ power: 'unknown' });
  });
});

describe('the planner with guests', () => {
  const ALL = { wake: true, suspend: true, hibernate: true, shutdown: true, reboot: true };
  const row = (id: string, power: PowerState, extra: Partial<ReconcileServer> = {}): ReconcileServer => ({ id, name: id, power, transitioning: isTransitional(power), capabilities: ALL, ...extra });
  const none = new Map<string, AttemptMemory>();

  it('a paused guest satisfies suspended and off (never resumed just to be stopped)', () => {
    expect(satisfied('suspended', 'paused')).toBe(true);
    expect(satisfied('off', 'paused')).toBe(true);
    expect(satisfied('on', 'paused')).toBe(false);
  });

  it('a guest unknown because its node sleeps: the host under the node is woken first', () => {
    const steps = planReconcile([row('rack', 'suspended'), row('node', 'off', { parentId: 'rack' }), row('vm', 'unknown', { parentId: 'node', desired: 'on' })], none, 0);
    expect(steps.filter((s) => s.kind === 'act')).toEqual([expect.objectContaining({ id: 'rack', action: 'wake' })]);
  });

  it('a guest unknown under running parents still waits to learn its state', () => {
    const steps = planReconcile([row('node', 'on'), row('vm', 'unknown', { parentId: 'node', desired: 'on' })], none, 0);
    expect(steps).toEqual([expect.objectContaining({ id: 'vm', kind: 'wait', reason: 'its state is not known yet' })]);
  });

  it('a stopped guest with desired on is woken (started) once its node runs', () => {
    const steps = planReconcile([row('node', 'on'), row('vm', 'stopped', { parentId: 'node', desired: 'on' })], none, 0);
    expect(steps).toEqual([expect.objectContaining({ id: 'vm', kind: 'act', action: 'wake' })]);
  });
});

describe('cluster secrets in the main store', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-guest-secrets-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('are kept in <home>/secrets.json beside the power secrets, and neither part loses the other’s', () => {
    const enc = keyFileEncryptor(home);
    const power = new SecretsStore(home, enc);
    const clusters = clusterSecretsStore(home, enc);
    power.set('nas', 'ssh.password', 'pw-1');
    clusters.set('lab', 'token-secret-1');
    power.set('nas', 'wol.password', '1.2.3.4'); // an instance opened before the cluster write must not drop it
    const fresh = new SecretsStore(home, enc);
    expect(fresh.get('cluster:lab', 'proxmox.secret')).toBe('token-secret-1');
    expect(fresh.get('nas', 'ssh.password')).toBe('pw-1');
    expect(fresh.get('nas', 'wol.password')).toBe('1.2.3.4');
    expect(fs.readFileSync(path.join(home, 'secrets.json'), 'utf8')).not.toContain('token-secret-1');
    expect(fs.existsSync(path.join(home, 'proxmox'))).toBe(false);
    clusters.set('lab', null);
    expect(new SecretsStore(home, enc).has('cluster:lab', 'proxmox.secret')).toBe(false);
  });

  it('moves secrets saved in the old <home>/proxmox/secrets.json in on open, and removes the old file', () => {
    const enc = keyFileEncryptor(home);
    // What the previous version wrote: the same store format in its own folder.
    const old = new SecretsStore(path.join(home, 'proxmox'), enc);
    old.set('cluster:lab', 'proxmox.secret', 'old-lab-secret');
    old.set('cluster:other', 'proxmox.secret', 'old-other-secret');
    new SecretsStore(home, enc).set('nas', 'ssh.password', 'pw');
    expect(fs.existsSync(legacyClusterSecretsFile(home))).toBe(true);

    const clusters = clusterSecretsStore(home, enc);
    expect(clusters.get('lab')).toBe('old-lab-secret');
    expect(clusters.get('other')).toBe('old-other-secret');
    expect(fs.existsSync(legacyClusterSecretsFile(home))).toBe(false);
    const main = new SecretsStore(home, enc);
    expect(main.get('nas', 'ssh.password')).toBe('pw');
    expect(main.get('cluster:lab', 'proxmox.secret')).toBe('old-lab-secret');
    // Opening again (another part, a restart) finds nothing more to move and keeps everything.
    expect(clusterSecretsStore(home, enc).get('other')).toBe('old-other-secret');
  });

  it('a value the main store already holds wins over the old file', () => {
    const enc = keyFileEncryptor(home);
    new SecretsStore(path.join(home, 'proxmox'), enc).set('cluster:lab', 'proxmox.secret', 'stale');
    new SecretsStore(home, enc).set('cluster:lab', 'proxmox.secret', 'current');
    expect(clusterSecretsStore(home, enc).get('lab')).toBe('current');
  });
});
