import { afterEach, describe, expect, it } from 'vitest';
import { currentCall } from '../../src/main/ipc/router';
import { composeMonitoring } from '../../src/main/root/monitoring';
import type { MonitoringService } from '../../src/main/monitoring/service';
import type { AlertView } from '../../src/shared/contract/monitoring';
import { createWorld } from '../power/fake-world';

/**
 * What the monitoring makes of power control, on a fake clock and a fake homelab: every command
 * in the action log with the face that asked and how it ended, a failed wake as an alert (the
 * engine's own notice is not doubled), an unexpected drop as "down", and uptime from every
 * state the server went through.
 */
let world: ReturnType<typeof createWorld>;
let svc: MonitoringService;
const alerts: AlertView[] = [];

function setup() {
  world = createWorld();
  svc = composeMonitoring(world.core);
  world.engine.events.on('alerts.changed', (a) => void alerts.push(a));
  world.engine.start();
}
afterEach(() => {
  alerts.length = 0;
  world?.cleanup();
});

const MAC = 'aa:bb:cc:00:00:01';

describe('power actions through the monitoring', () => {
  it('a wake from the web face that never lands: logged as started and timed out from "web"; a wake_failed alert, no second notice', async () => {
    setup();
    world.host('127.0.88.5', MAC, { up: false, ignoresWol: true });
    const s = world.add({ name: 'pc', address: '127.0.88.5', mac: MAC, ports: [22], powerControl: { timeouts: { wakeMs: 60_000 } } });
    await world.clock.advance(100);
    currentCall.run({ face: 'web' }, () => world.power.run(s.id, 'wake'));
    await world.clock.advance(61_000);
    const log = await svc.actions({ serverId: s.id });
    expect(log.map((e) => `${e.action}:${e.result}:${e.face}`)).toEqual(['wake:started:web', 'wake:timeout:web']);
    expect(alerts.at(-1)).toMatchObject({ kind: 'wake_failed', serverId: s.id, state: 'active', title: 'pc did not wake', notifiedAt: expect.any(Number) });
    // The power controller told the admin already; the alert does not say it twice.
    expect(world.notices.filter((n) => n.title === 'pc did not wake')).toEqual([]);
    expect(world.notices.some((n) => n.serverId === s.id && n.level !== 'info')).toBe(true);
  });

  it('a wake the reconcile loop sends is from "engine"; when it lands, the failed-wake alert resolves', async () => {
    setup();
    const h = world.host('127.0.88.6', MAC, { up: false, ignoresWol: true });
    const s = world.add({ name: 'nas', address: '127.0.88.6', mac: MAC, ports: [22], powerControl: { timeouts: { wakeMs: 60_000 } } });
    await world.clock.advance(100);
    world.power.run(s.id, 'wake');
    await world.clock.advance(61_000);
    expect(svc.listAlerts({ state: 'active' }).map((a) => a.kind)).toEqual(['wake_failed']);
    h.ignoresWol = false;
    h.bootMs = 5_000;
    world.power.setDesired(s.id, 'on');
    await world.clock.advance(30_000);
    expect(world.view(s.id).power).toBe('on');
    const log = await svc.actions({ serverId: s.id });
    expect(log.slice(-2).map((e) => `${e.action}:${e.result}:${e.face}`)).toEqual(['wake:started:engine', 'wake:ok:engine']);
    expect(log.at(-2)?.detail).toBe('to reach the desired state');
    expect(svc.listAlerts({ state: 'active' })).toEqual([]);
    expect(alerts.at(-1)).toMatchObject({ kind: 'wake_failed', state: 'resolved' });
  });

  it('a host that drops without a command is "down"; uptime has every state it went through', async () => {
    setup();
    const h = world.host('127.0.88.7', MAC, { up: true });
    const s = world.add({ name: 'web', address: '127.0.88.7', mac: MAC, ports: [22] });
    await world.clock.advance(60_000);
    h.up = false;
    await world.engine.sweep();
    expect(world.view(s.id).power).toBe('off');
    expect(svc.listAlerts({ state: 'active' })).toEqual([expect.objectContaining({ kind: 'down', title: 'web is down', serverId: s.id })]);
    // The engine's "went down" covers the desktop; no alert notice on top.
    expect(world.notices.filter((n) => n.serverId === s.id).map((n) => n.title)).toEqual(['web went down']);
    await world.clock.advance(3_600_000);
    h.bootMs = 1_000;
    world.power.run(s.id, 'wake');
    await world.clock.advance(10_000);
    expect(world.view(s.id).power).toBe('on');
    expect(svc.listAlerts({ state: 'active' })).toEqual([]);
    const u = await svc.uptime(s.id);
    expect(u.changes.map((c) => c.state)).toEqual(['on', 'waking', 'off', 'on']);
    const day = u.windows[0]!.report;
    expect(day.offMs).toBeGreaterThanOrEqual(3_600_000);
    expect(day.offMs).toBeLessThan(3_700_000);
    // Default wattages: 30 W idle, 1 W off; an hour off saved about 29 Wh.
    expect(u.windows[0]!.savedWh).toBeCloseTo(29 * (day.offMs / 3_600_000), 5);
  });

  it('per-server wattages replace the default, and null restores it', async () => {
    setup();
    world.host('127.0.88.8', MAC, { up: true });
    const s = world.add({ name: 'gpu', address: '127.0.88.8', mac: MAC, ports: [22] });
    svc.updateSettings({ energy: { servers: { [s.id]: { idleWatts: 120, suspendedWatts: 4, offWatts: 2 } } } });
    expect((await svc.uptime(s.id)).watts).toEqual({ idleWatts: 120, suspendedWatts: 4, offWatts: 2 });
    expect((await svc.uptime(s.id)).customWatts).toBe(true);
    svc.updateSettings({ energy: { servers: { [s.id]: null } } });
    expect((await svc.uptime(s.id)).customWatts).toBe(false);
    expect(() => svc.updateSettings({ energy: { servers: { ghost: { idleWatts: 1, suspendedWatts: 1 } } } })).toThrow('No server "ghost"');
  });
});
