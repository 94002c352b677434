import { afterEach, describe, expect, it } from 'vitest';
import { HostKeyMismatchError, SshError } from '../../src/main/drivers/ssh';
import { createWorld } from './fake-world';

type World = ReturnType<typeof createWorld>;
let world: World;
afterEach(() => world?.cleanup());

const SSH = { user: 'root', port: 22, auth: 'key' as const, keyPath: '/dev/null' };
const MIN = 60_000;

/** Advances in 1 s steps until `until()` or the budget runs out; returns the simulated ms it took. */
async function runUntil(w: World, until: () => boolean, budgetMs: number): Promise<number> {
  const start = w.clock.now();
  while (!until() && w.clock.now() - start < budgetMs) await w.clock.advance(1_000);
  const took = w.clock.now() - start;
  // Let the patch batcher send what changed, so the renderer's view (the patches) saw every state.
  await w.clock.advance(100);
  return took;
}

describe('wake and suspend through the engine (FakeClock)', () => {
  it('suspend: suspending at once, then suspended when it stops answering; wake: waking, then on', async () => {
    world = createWorld();
    world.host('127.0.1.5', 'aa:bb:cc:00:00:05', { up: true });
    const nas = world.add({ name: 'nas', address: '127.0.1.5', mac: 'aa-bb-cc-00-00-05', ssh: SSH });
    await world.clock.advance(100);
    expect(world.view(nas.id).power).toBe('on');

    world.power.run(nas.id, 'suspend');
    expect(world.view(nas.id)).toMatchObject({ power: 'suspending', transition: { action: 'suspend', target: 'suspended' } });
    await world.power.sent(nas.id);
    await world.clock.advance(100);
    expect(world.commands.map((c) => c.command)).toEqual(['systemctl suspend']);
    const took = await runUntil(world, () => world.view(nas.id).power !== 'suspending', 5 * MIN);
    expect(world.view(nas.id).power).toBe('suspended');
    expect(took).toBeLessThanOrEqual(5_000); // goes down after 3 s; the fast poll sees it within a second
    expect(world.notices.map((n) => n.title)).toContain('nas is asleep');

    // A probe of a silent host that Rackdeck suspended keeps it suspended (not off).
    await world.engine.refresh(nas.id);
    expect(world.view(nas.id).power).toBe('suspended');

    world.power.run(nas.id, 'wake');
    expect(world.view(nas.id).power).toBe('waking');
    await world.clock.advance(100);
    await runUntil(world, () => world.view(nas.id).power !== 'waking', 10 * MIN);
    expect(world.view(nas.id).power).toBe('on');
    expect(world.packets.map((p) => p.mac)).toEqual(['aa:bb:cc:00:00:05']);
    expect(world.statesOf(nas.id)).toEqual(['on', 'suspending', 'suspended', 'waking', 'on']);
    expect(world.notices.map((n) => n.title)).toContain('nas is awake');
  });

  it('falls back to pm-suspend when systemctl is refused', async () => {
    world = createWorld();
    world.host('127.0.1.6', 'aa:bb:cc:00:00:06', { up: true, refuse: new Set(['systemctl suspend']) });
    const s = world.add({ name: 'old', address: '127.0.1.6', ssh: SSH });
    await world.clock.advance(0);
    world.power.run(s.id, 'suspend');
    await world.power.sent(s.id);
    expect(world.commands.map((c) => c.command)).toEqual(['systemctl suspend', 'pm-suspend']);
    await runUntil(world, () => world.view(s.id).power === 'suspended', MIN);
    expect(world.view(s.id).power).toBe('suspended');
  });

  it('every command refused: reverts to on at once, says what happened and what to try', async () => {
    world = createWorld();
    world.host('127.0.1.7', 'aa:bb:cc:00:00:07', { up: true, refuse: new Set(['systemctl suspend', 'pm-suspend', 'echo mem > /sys/power/state', 'echo mem > /proc/sys/power/state']) });
    const s = world.add({ name: 'locked', address: '127.0.1.7', ssh: SSH });
    await world.clock.advance(0);
    world.power.run(s.id, 'suspend');
    await world.power.sent(s.id);
    const v = world.view(s.id);
    expect(v.power).toBe('on');
    expect(v.transition).toBeUndefined();
    expect(v.lastError).toMatchObject({ action: 'suspend', message: expect.stringMatching(/`systemctl suspend` exited 1 \(Failed to suspend system: Access denied\)/) });
    expect(v.lastError?.hint).toMatch(/sudo/);
    expect(world.notices.at(-1)).toMatchObject({ level: 'error', title: 'Could not suspend locked' });
    expect(await world.power.waitSettled(s.id)).toBe('failed');
  });

  it('a wake nobody answers reverts after 5 min with a notice and a hint', async () => {
    world = createWorld();
    world.host('127.0.1.8', 'aa:bb:cc:00:00:08', { ignoresWol: true });
    const s = world.add({ name: 'deaf', address: '127.0.1.8', mac: 'aa:bb:cc:00:00:08' });
    await world.clock.advance(0);
    expect(world.view(s.id).power).toBe('off');
    world.power.run(s.id, 'wake');
    const settled = world.power.waitSettled(s.id);
    const took = await runUntil(world, () => world.view(s.id).power !== 'waking', 10 * MIN);
    expect(await settled).toBe('timeout');
    expect(took).toBeGreaterThanOrEqual(5 * MIN);
    expect(took).toBeLessThanOrEqual(5 * MIN + 2_000);
    const v = world.view(s.id);
    expect(v.power).toBe('off');
    expect(v.lastError).toMatchObject({ action: 'wake', message: expect.stringMatching(/no answer 5 min/), hint: expect.stringMatching(/Wake-on-LAN/) });
    expect(world.notices.at(-1)).toMatchObject({ level: 'warning', title: 'deaf did not wake in time' });
    await expect(world.power.waitSettled(s.id)).resolves.toBe('timeout');
  });

  it('refuses what the state or capabilities do not allow, with the reason', async () => {
    world = createWorld();
    world.host('127.0.1.9', 'aa:bb:cc:00:00:09', { up: true });
    const s = world.add({ name: 'plain', address: '127.0.1.9' });
    await world.clock.advance(0);
    expect(() => world.power.run(s.id, 'wake')).toThrow(/no valid MAC/);
    expect(() => world.power.run(s.id, 'suspend')).toThrow(/no SSH settings/);
    world.engine.editServer(s.id, { mac: 'aa:bb:cc:00:00:09' });
    expect(() => world.power.run(s.id, 'wake')).toThrow(/already on/);
    expect(() => world.power.run('nope', 'wake')).toThrow(/not found/);
  });
});

describe('parents and children', () => {
  it('waking a child whose parent sleeps wakes the parent first and waits until it is up', async () => {
    world = createWorld();
    world.host('127.0.1.10', 'aa:bb:cc:00:00:10', { bootMs: 40_000 });
    world.host('127.0.1.11', 'aa:bb:cc:00:00:11', { bootMs: 10_000 });
    const pve = world.add({ name: 'pve', address: '127.0.1.10', mac: 'aa:bb:cc:00:00:10' });
    const vm = world.add({ name: 'vm', address: '127.0.1.11', mac: 'aa:bb:cc:00:00:11', parentId: pve.id });
    await world.clock.advance(0);
    world.power.run(vm.id, 'wake');
    expect(world.view(vm.id).power).toBe('waking');
    await world.clock.advance(0);
    expect(world.view(pve.id).power).toBe('waking');
    expect(world.view(vm.id).transition?.step).toBe('waiting for pve to wake');
    expect(world.packets.map((p) => p.mac)).toEqual(['aa:bb:cc:00:00:10']);

    await runUntil(world, () => world.view(vm.id).power === 'on', 10 * MIN);
    expect(world.view(vm.id).power).toBe('on');
    const [parentPacket, childPacket] = world.packets;
    expect(childPacket?.mac).toBe('aa:bb:cc:00:00:11');
    // The child's packet went out only after the parent answered (40 s boot).
    expect((childPacket?.at ?? 0) - (parentPacket?.at ?? 0)).toBeGreaterThanOrEqual(40_000);
  });

  it("a slow parent does not eat the child's own time to wake", async () => {
    world = createWorld();
    world.host('127.0.1.14', 'aa:bb:cc:00:00:14', { bootMs: 4 * MIN });
    world.host('127.0.1.15', 'aa:bb:cc:00:00:15', { bootMs: 2 * MIN });
    const pve = world.add({ name: 'pve', address: '127.0.1.14', mac: 'aa:bb:cc:00:00:14' });
    const vm = world.add({ name: 'vm', address: '127.0.1.15', mac: 'aa:bb:cc:00:00:15', parentId: pve.id });
    await world.clock.advance(0);
    world.power.run(vm.id, 'wake');
    const outcome = world.power.waitSettled(vm.id);
    await runUntil(world, () => world.view(vm.id).power !== 'waking', 15 * MIN);
    // 4 min for the parent + 2 min for the child: past the child's first 5 min, and still a success.
    expect(await outcome).toBe('reached');
    expect(world.view(vm.id).power).toBe('on');
  });

  it('suspending a parent with running children asks for confirmation first', async () => {
    world = createWorld();
    world.host('127.0.1.12', 'aa:bb:cc:00:00:12', { up: true });
    world.host('127.0.1.13', 'aa:bb:cc:00:00:13', { up: true });
    const pve = world.add({ name: 'pve', address: '127.0.1.12', ssh: SSH });
    world.add({ name: 'vm', address: '127.0.1.13', parentId: pve.id });
    await world.clock.advance(0);
    expect(() => world.power.run(pve.id, 'suspend')).toThrow(/still runs vm.*Confirm/);
    expect(world.view(pve.id).power).toBe('on');
    world.power.run(pve.id, 'suspend', { confirm: true });
    expect(world.view(pve.id).power).toBe('suspending');
  });

  it('a parent cycle is refused when saved, with the cycle named', async () => {
    world = createWorld();
    const a = world.add({ name: 'a', address: '127.0.1.20' });
    const b = world.add({ name: 'b', address: '127.0.1.21', parentId: a.id });
    expect(() => world.engine.editServer(a.id, { parentId: b.id })).toThrow(/cycle: (a → b → a|b → a → b)/);
  });
});

describe('reconcile loop', () => {
  it('drives a desired-on child up through a sleeping parent chain, parent first', async () => {
    world = createWorld();
    world.host('127.0.1.30', 'aa:bb:cc:00:00:30', { bootMs: 30_000 });
    world.host('127.0.1.31', 'aa:bb:cc:00:00:31', { bootMs: 20_000 });
    world.host('127.0.1.32', 'aa:bb:cc:00:00:32', { bootMs: 10_000 });
    const rack = world.add({ name: 'rack', address: '127.0.1.30', mac: 'aa:bb:cc:00:00:30' });
    const pve = world.add({ name: 'pve', address: '127.0.1.31', mac: 'aa:bb:cc:00:00:31', parentId: rack.id });
    const vm = world.add({ name: 'vm', address: '127.0.1.32', mac: 'aa:bb:cc:00:00:32', parentId: pve.id });
    world.power.setDesired(vm.id, 'on');
    world.engine.start();
    await runUntil(world, () => world.view(vm.id).power === 'on', 10 * MIN);
    expect(world.packets.map((p) => p.mac)).toEqual(['aa:bb:cc:00:00:30', 'aa:bb:cc:00:00:31', 'aa:bb:cc:00:00:32']);
    expect(world.view(vm.id)).toMatchObject({ power: 'on', desired: 'on' });
    // Once there it stays put: no more packets.
    await world.clock.advance(5 * MIN);
    expect(world.packets).toHaveLength(3);
  });

  it('puts a desired-suspended server to sleep, and a manual wake updates the desired state', async () => {
    world = createWorld();
    world.host('127.0.1.33', 'aa:bb:cc:00:00:33', { up: true });
    const s = world.add({ name: 'box', address: '127.0.1.33', mac: 'aa:bb:cc:00:00:33', ssh: SSH });
    world.power.setDesired(s.id, 'suspended');
    world.engine.start();
    await runUntil(world, () => world.view(s.id).power === 'suspended', 2 * MIN);
    expect(world.view(s.id).power).toBe('suspended');
    world.power.run(s.id, 'wake');
    expect(world.view(s.id).desired).toBe('on');
    await runUntil(world, () => world.view(s.id).power === 'on', 2 * MIN);
    await world.clock.advance(2 * MIN);
    expect(world.view(s.id).power).toBe('on'); // reconcile does not fight the admin
  });

  it('gives up after the retry limit, says why, and retries when the desired state is set again', async () => {
    world = createWorld({ power: { reconcilePolicy: { baseBackoffMs: 10_000, maxBackoffMs: 20_000, maxAttempts: 2 }, timeouts: { wakeMs: 30_000 } } });
    world.host('127.0.1.34', 'aa:bb:cc:00:00:34', { ignoresWol: true });
    const s = world.add({ name: 'dead', address: '127.0.1.34', mac: 'aa:bb:cc:00:00:34' });
    world.power.setDesired(s.id, 'on');
    world.engine.start();
    await world.clock.advance(10 * MIN);
    expect(world.packets).toHaveLength(2);
    expect(world.view(s.id).lastError?.message).toMatch(/gave up after 2 attempts/);
    world.power.setDesired(s.id, 'on');
    await world.clock.advance(1_000);
    expect(world.packets).toHaveLength(3);
  });
});

describe('SSH failures, host keys and init', () => {
  it('a changed host key is refused, shown with both fingerprints, and accepted explicitly', async () => {
    world = createWorld();
    const h = world.host('127.0.1.40', 'aa:bb:cc:00:00:40', { up: true });
    const s = world.add({ name: 'keyed', address: '127.0.1.40', ssh: SSH });
    await world.clock.advance(0);
    const mismatch = { endpoint: '[127.0.1.40]:22', keyType: 'ssh-ed25519', expected: 'SHA256:old', presented: 'SHA256:new', presentedKey: 'AAAA' };
    h.sshFailure = new HostKeyMismatchError(mismatch);
    // The pool reports mismatches through its callback, wired to hostKeyMismatch; the fake has none, so report it as the pool would.
    world.power.hostKeyMismatch(mismatch);
    world.power.run(s.id, 'reboot', { confirm: true });
    await world.power.sent(s.id);
    const v = world.view(s.id);
    expect(v.power).toBe('on');
    expect(v.hostKey).toMatchObject({ expected: 'SHA256:old', presented: 'SHA256:new', endpoint: '[127.0.1.40]:22' });
    expect(v.lastError?.message).toMatch(/expected SHA256:old, got SHA256:new/);
    world.power.acceptHostKey(s.id);
    expect(world.accepted).toEqual([mismatch]);
    expect(world.view(s.id).hostKey).toBeUndefined();
    expect(() => world.power.acceptHostKey(s.id)).toThrow(/No changed host key/);
  });

  it('init detects the OS, Proxmox, NICs and WoL; init_failed after the retry limit; recovers later', async () => {
    world = createWorld({ power: { initPolicy: { maxRetries: 3, backoffBaseMs: 30_000, reinitMs: 3_600_000 } } });
    const h = world.host('127.0.1.50', 'aa:bb:cc:00:00:50', { up: true });
    h.sshFailure = new SshError('auth', 'SSH login to [127.0.1.50]:22 was refused', 'Check the key.');
    const s = world.add({ name: 'pve1', address: '127.0.1.50', ssh: SSH });
    world.engine.start();
    await world.clock.advance(0);
    expect(world.view(s.id).system?.initFailures).toBe(1);
    expect(world.view(s.id).power).toBe('on');
    await world.clock.advance(30_000);
    await world.clock.advance(60_000);
    const failed = world.view(s.id);
    expect(failed.system?.initFailures).toBe(3);
    expect(failed.power).toBe('init_failed');
    expect(failed.lastError).toMatchObject({ action: 'init', hint: 'Check the key.' });
    expect(world.notices.some((n) => n.title === 'pve1 could not be initialised')).toBe(true);
    // A status sweep does not flip it back to on while init keeps failing.
    await world.engine.sweep();
    expect(world.view(s.id).power).toBe('init_failed');

    h.sshFailure = undefined;
    h.files = {
      'cat /etc/os-release': 'PRETTY_NAME="Proxmox VE 8.2"\nID=debian\n',
      'test -d /etc/pve': '',
      'ip -j link': JSON.stringify([{ ifname: 'eno1', address: 'aa:bb:cc:00:00:50', operstate: 'UP', link_type: 'ether', flags: ['UP', 'LOWER_UP'] }]),
      'ethtool eno1': 'Supports Wake-on: pumbg\nWake-on: d\n',
      'cat /sys/power/disk': '[disabled]\n',
    };
    await world.clock.advance(3_600_000);
    const ok = world.view(s.id);
    expect(ok.power).toBe('on');
    expect(ok.system).toMatchObject({ os: 'Proxmox VE 8.2', systemType: 'proxmox', hibernate: false, initFailures: 0, suggestedMac: 'aa:bb:cc:00:00:50' });
    expect(ok.system?.interfaces).toEqual([{ name: 'eno1', mac: 'aa:bb:cc:00:00:50', up: true, wolSupported: true, wolEnabled: false }]);
    expect(ok.capabilities?.hibernate).toBe(false);

    await world.power.useInterface(s.id, 'eno1', true);
    expect(world.commands.at(-1)?.command).toBe('ethtool -s eno1 wol g');
    expect(world.view(s.id)).toMatchObject({ mac: 'aa:bb:cc:00:00:50', capabilities: { wake: true } });
    expect(world.view(s.id).system?.suggestedMac).toBeUndefined();
  });

  it('a suspended server can be woken although it was never initialised', async () => {
    world = createWorld();
    world.host('127.0.1.60', 'aa:bb:cc:00:00:60');
    const s = world.add({ name: 'sleepy', address: '127.0.1.60', mac: 'aa:bb:cc:00:00:60', ssh: SSH });
    world.engine.start();
    await world.clock.advance(0);
    expect(world.view(s.id).system).toBeUndefined();
    world.power.run(s.id, 'wake');
    await runUntil(world, () => world.view(s.id).power === 'on', 2 * MIN);
    expect(world.view(s.id).power).toBe('on');
  });
});
