import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { composeCore } from '../../src/main/root/core';
import { silentLogger } from '../../src/main/base/logger';
import type { GuestPowerDriver, GuestTask } from '../../src/main/power/guests';
import { memorySecrets } from '../../src/main/proxmox/io/cluster-secrets';
import { openConfigStore } from '../../src/main/store/config-store';
import type { Notice } from '../../src/shared/events';
import type { PowerAction } from '../../src/shared/server';
import { serverInputSchema } from '../../src/shared/server';

/**
 * Deadlines of guest commands (wake 5 min, suspend 2 min), on a fake clock with a
 * Proxmox driver whose tasks end only when the test says.
 */
function openEngine() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-guest-timeout-'));
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const { engine, power, proxmox } = composeCore({
    store: openConfigStore(home),
    clock,
    log: silentLogger,
    probe: async (_a, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), false])), error: 'closed' }),
    // Magic packets go nowhere: this node only has to stay "waking".
    power: { fastPollMs: 1000, wol: async ({ targets }) => targets.map((target) => ({ target, ok: true })) },
    proxmox: { secrets: memorySecrets() },
  });
  return {
    engine,
    power,
    proxmox,
    clock,
    close() {
      engine.stop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

let env: ReturnType<typeof openEngine>;
afterEach(() => env?.close());

function setup() {
  env = openEngine();
  const calls: { id: string; action: PowerAction }[] = [];
  const ends = new Map<string, (t: GuestTask) => void>();
  const driver: GuestPowerDriver = {
    runPowerAction: async (id, action) => {
      calls.push({ id, action });
      return { upid: `UPID:${calls.length}`, action, type: 'qmstart', status: 'running', outcome: 'running' };
    },
    waitTask: (upid) => new Promise((resolve) => ends.set(upid, resolve)),
  };
  env.power.attachGuests(driver);
  const notices: Notice[] = [];
  env.engine.events.on('notice', (n) => void notices.push(n));
  const vm = env.engine.addServer(serverInputSchema.parse({ name: 'vm1', kind: 'vm', address: '127.0.0.1', proxmox: { cluster: 'nowhere', node: 'pve1', type: 'qemu', vmid: 100 } }));
  return { id: vm.id, calls, ends, notices };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('guest command deadlines', () => {
  it('a wake Proxmox never confirms reverts after 5 min, says so once, and lets the late end through as a reading', async () => {
    const { id, calls, ends, notices } = setup();
    await settle();
    const before = env.engine.view(id)!.power;
    env.power.run(id, 'wake');
    await settle();
    expect(calls).toEqual([{ id, action: 'wake' }]);
    await env.clock.advance(299_000);
    expect(env.engine.view(id)?.power).toBe('waking');
    await env.clock.advance(2_000);
    expect(env.engine.view(id)).toMatchObject({ power: before, detail: 'Proxmox did not confirm the wake within 5 min', lastError: { action: 'wake' } });
    expect(notices.filter((n) => n.serverId === id && n.title.includes('did not wake in time'))).toHaveLength(1);
    // The task's end after the deadline changes nothing of the concluded command.
    expect(env.power.takeReading(id, { power: 'on', up: true })).toBe(false);
    ends.get('UPID:1')?.({ upid: 'UPID:1', action: 'start', type: 'qmstart', status: 'stopped', outcome: 'ok', confirmed: { power: 'on' } });
    await settle();
    expect(env.engine.view(id)?.power).toBe(before);
  });

  it('suspend has 2 min, and the last Proxmox reading is what the card shows at the deadline', async () => {
    const { id, ends } = setup();
    await settle();
    // Make it "on" the way a reading from Proxmox would.
    env.power.run(id, 'wake');
    await settle();
    expect(env.power.takeReading(id, { power: 'stopped', up: false })).toBe(true);
    ends.get('UPID:1')?.({ upid: 'UPID:1', action: 'start', type: 'qmstart', status: 'stopped', outcome: 'ok', confirmed: { power: 'on' } });
    await settle();
    expect(env.engine.view(id)?.power).toBe('on');

    env.power.run(id, 'suspend');
    await settle();
    expect(env.power.takeReading(id, { power: 'paused', up: false, detail: 'paused' })).toBe(true);
    expect(env.engine.view(id)?.power).toBe('suspending');
    await env.clock.advance(121_000);
    expect(env.engine.view(id)).toMatchObject({ power: 'paused', detail: 'Proxmox did not confirm the suspend within 2 min' });
  });

  it('the deadline waits while the node under the guest is still waking', async () => {
    const { id } = setup();
    const node = env.engine.addServer(serverInputSchema.parse({ name: 'node1', kind: 'proxmox-node', address: '127.0.0.1', mac: '02:00:00:00:00:09' }));
    env.engine.editServer(id, { parentId: node.id });
    await settle();
    // The node wakes (its own 5 min), started a minute after the guest's command.
    env.power.run(id, 'wake');
    await env.clock.advance(60_000);
    env.power.run(node.id, 'wake');
    await env.clock.advance(250_000);
    expect(env.engine.view(node.id)?.power).toBe('waking');
    await env.clock.advance(60_000); // 5 min 10 s after the guest's command
    expect(env.engine.view(id)?.power).toBe('waking');
  });
});
