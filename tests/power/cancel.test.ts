import { afterEach, describe, expect, it } from 'vitest';
import { createWorld } from './fake-world';

type World = ReturnType<typeof createWorld>;
let world: World;
afterEach(() => world?.cleanup());

const MIN = 60_000;

describe('cancel: the admin stops a transition or the reconcile loop', () => {
  it('ends a wake at once, back to off, its waiters told it failed, the card saying it was cancelled', async () => {
    world = createWorld();
    world.host('127.0.1.91', 'aa:bb:cc:00:00:91', { ignoresWol: true });
    const s = world.add({ name: 'slow', address: '127.0.1.91', mac: 'aa:bb:cc:00:00:91' });
    await world.clock.advance(100);
    expect(world.view(s.id).power).toBe('off');
    world.power.run(s.id, 'wake');
    const settled = world.power.waitSettled(s.id);
    expect(world.view(s.id).power).toBe('waking');
    world.power.cancel(s.id);
    await expect(settled).resolves.toBe('failed');
    const view = world.view(s.id);
    expect(view.power).toBe('off');
    expect(view.transition).toBeUndefined();
    expect(view.lastError?.message).toMatch(/wake cancelled by the admin/);
    // No transition and no desired state: nothing left to cancel.
    expect(() => world.power.cancel(s.id)).toThrow(/nothing to cancel/);
  });

  it('a command not yet sent is not sent: a child waiting for its parent sends no packet', async () => {
    world = createWorld();
    world.host('127.0.1.92', 'aa:bb:cc:00:00:92', { bootMs: 30_000 });
    world.host('127.0.1.93', 'aa:bb:cc:00:00:93', { bootMs: 10_000 });
    const parent = world.add({ name: 'host', address: '127.0.1.92', mac: 'aa:bb:cc:00:00:92' });
    const child = world.add({ name: 'guest', address: '127.0.1.93', mac: 'aa:bb:cc:00:00:93', parentId: parent.id });
    await world.clock.advance(100);
    world.power.run(child.id, 'wake');
    await world.clock.advance(1_000);
    expect(world.packets.map((p) => p.mac)).toEqual(['aa:bb:cc:00:00:92']);
    world.power.cancel(child.id);
    await world.clock.advance(2 * MIN);
    expect(world.view(parent.id).power).toBe('on');
    expect(world.packets.map((p) => p.mac)).toEqual(['aa:bb:cc:00:00:92']);
    expect(world.view(child.id).power).toBe('off');
  });

  it('holds the reconcile loop until the desired state is set again', async () => {
    world = createWorld({ power: { reconcilePolicy: { baseBackoffMs: 10_000, maxBackoffMs: 20_000, maxAttempts: 50 }, timeouts: { wakeMs: 30_000 } } });
    world.host('127.0.1.94', 'aa:bb:cc:00:00:94', { ignoresWol: true });
    const s = world.add({ name: 'stubborn', address: '127.0.1.94', mac: 'aa:bb:cc:00:00:94' });
    world.power.setDesired(s.id, 'on');
    world.engine.start();
    for (let i = 0; i < 60 && world.view(s.id).power !== 'waking'; i++) await world.clock.advance(1_000);
    expect(world.view(s.id).power).toBe('waking');
    world.power.cancel(s.id);
    const sent = world.packets.length;
    await world.clock.advance(10 * MIN);
    expect(world.packets).toHaveLength(sent);
    expect(world.view(s.id)).toMatchObject({ power: 'off', desired: 'on' });
    expect(world.view(s.id).lastError?.message).toMatch(/reconcile to on on hold/);
    world.power.setDesired(s.id, 'on');
    for (let i = 0; i < 60 && world.packets.length === sent; i++) await world.clock.advance(1_000);
    expect(world.packets.length).toBeGreaterThan(sent);
  });
});
