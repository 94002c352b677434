import { describe, expect, it } from 'vitest';
import type { AutomationHost } from '../../src/main/automation/ports';
import { AutomationService } from '../../src/main/automation/service';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import { automationSettingsSchema, type AutomationSettings } from '../../src/shared/contract/automation';
import type { Notice } from '../../src/shared/events';
import type { ActionInput, MetricSample } from '../../src/shared/metrics';
import type { PowerState } from '../../src/shared/power';
import type { DesiredPower, PowerAction, ServerConfig } from '../../src/shared/server';

/** The service on fake ports and a fake clock: its own loop finds what fell due, the ports record what it did. */
function world() {
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 22, 0));
  const servers: ServerConfig[] = [
    { id: 'pve1', name: 'pve1', kind: 'proxmox-node', address: '127.0.0.1', ports: [22], ssh: { user: 'root', port: 22, auth: 'key' }, proxmox: { cluster: 'home', node: 'pve1' }, groups: ['lab'] },
    { id: 'nas', name: 'nas', kind: 'physical', address: '127.0.0.2', ports: [22], ssh: { user: 'root', port: 22, auth: 'key' }, groups: ['lab'] },
    { id: 'bmc', name: 'bmc', kind: 'physical', address: '127.0.0.3', ports: [22] },
  ] as unknown as ServerConfig[];
  const power: Record<string, PowerState> = { pve1: 'on', nas: 'on', bmc: 'on' };
  let settings: AutomationSettings = automationSettingsSchema.parse({});
  const ran: Array<[string, PowerAction]> = [];
  const desired: Array<[string, DesiredPower | null]> = [];
  const log: ActionInput[] = [];
  const notices: Array<Omit<Notice, 'id' | 'at'>> = [];
  const figures: Record<string, Omit<MetricSample, 't'>> = { pve1: { cpu: 3, netIn: 0, netOut: 0 }, nas: { cpu: 3, netIn: 0, netOut: 0 } };
  let backups: string[] = [];
  const host: AutomationHost = {
    clock,
    log: silentLogger,
    servers: () => servers,
    find: (ref) => servers.find((s) => s.id === ref || s.name === ref),
    power: (id) => (power[id] ? { state: power[id], since: 0 } : undefined),
    settings: { read: () => settings, write: (next) => void (settings = next) },
    run: (id, action) => void ran.push([id, action]),
    setDesired: (id, d) => void desired.push([id, d]),
    who: async () => '',
    figures: async (id) => (figures[id] ? { t: clock.now(), ...figures[id] } : undefined),
    backups: async (s) => (s.proxmox ? backups : undefined),
    logAction: (e) => void log.push(e),
    notify: (n) => void notices.push(n),
  };
  const svc = new AutomationService(host, { tickMs: 15_000 });
  return { clock, svc, ran, desired, log, notices, figures, power, setBackups: (b: string[]) => void (backups = b) };
}

describe('the automation service', () => {
  it('runs a group schedule on its own loop at its time: a backup skips the node, the other member goes down', async () => {
    const w = world();
    w.setBackups(['101']);
    w.svc.addSchedule({ name: 'Night', target: { group: 'lab' }, action: 'shutdown', when: 'daily 23:00', timezone: 'UTC' });
    w.svc.start();
    await w.clock.advance(59 * 60_000);
    expect(w.ran).toEqual([]);
    await w.clock.advance(2 * 60_000);
    expect(w.ran).toEqual([['nas', 'shutdown']]);
    expect(w.log.map((e) => [e.serverId, e.result, e.detail])).toEqual(
      expect.arrayContaining([
        ['pve1', 'skipped', 'schedule "Night": a backup is running (vzdump 101)'],
        ['nas', 'ok', 'schedule "Night"'],
      ]),
    );
    // It runs once, not at every look after its time.
    await w.clock.advance(10 * 60_000);
    expect(w.ran).toHaveLength(1);
    w.svc.stop();
  });

  it('skips on CPU and transfer above the lines; wakes skip servers already on; desired states are set', async () => {
    const w = world();
    w.figures.nas = { cpu: 80, netIn: 50_000_000, netOut: 0 };
    w.svc.addSchedule({ target: { serverId: 'nas' }, action: 'suspend', when: 'daily 23:00', timezone: 'UTC', conditions: { cpuAbovePct: 50, netAboveMbps: 100 } });
    w.svc.addSchedule({ target: { serverId: 'bmc' }, action: 'wake', when: 'daily 23:00', timezone: 'UTC' });
    w.svc.addSchedule({ target: { serverId: 'bmc' }, action: 'desired-off', when: 'daily 23:00', timezone: 'UTC' });
    w.svc.start();
    await w.clock.advance(61 * 60_000);
    expect(w.ran).toEqual([]);
    const reasons = w.svc.recent().map((r) => `${r.serverId} ${r.action} ${r.outcome}: ${r.reason ?? ''}`);
    expect(reasons).toEqual(
      expect.arrayContaining(['nas suspend skipped: CPU at 80.0 % is above 50 %; network at 400.0 Mb/s is above 100 Mb/s', 'bmc wake skipped: it is already on', 'bmc desired-off done: ']),
    );
    expect(w.desired).toEqual([['bmc', 'off']]);
    w.svc.stop();
  });

  it('idle auto-suspend notifies with keep-awake, and a removed server takes its schedules and policy with it', async () => {
    const w = world();
    w.svc.setIdle({ serverId: 'nas', idleMinutes: 10, cpuBelowPct: 10, netBelowMbps: 1, afterWakeMinutes: 0, enabled: true, action: 'hibernate' });
    w.svc.addSchedule({ target: { serverId: 'nas' }, action: 'wake', when: 'daily 07:00' });
    w.svc.start();
    for (let i = 0; i < 12 && w.ran.length === 0; i++) await w.clock.advance(60_000);
    expect(w.ran).toEqual([['nas', 'hibernate']]);
    expect(w.notices[0]).toMatchObject({ title: 'nas was idle: hibernating', keepAwake: { serverId: 'nas', minutes: 120 } });
    w.svc.forget('nas');
    expect(w.svc.schedules()).toEqual([]);
    expect(w.svc.idle()).toEqual([]);
    w.svc.stop();
  });
});

describe('a schedule edited by hand into something unreadable', () => {
  it('is kept as written and said at start', () => {
    const clock = new FakeClock();
    const notices: Array<Omit<Notice, 'id' | 'at'>> = [];
    let settings = automationSettingsSchema.parse({ schedules: [{ id: 's1', name: 'Bad', target: { serverId: 'x' }, action: 'wake', when: 'someday 07:00' }] });
    const svc = new AutomationService({
      clock,
      log: silentLogger,
      servers: () => [],
      find: () => undefined,
      power: () => undefined,
      settings: { read: () => settings, write: (next) => void (settings = next) },
      run: () => undefined,
      setDesired: () => undefined,
      who: async () => '',
      figures: async () => undefined,
      backups: async () => undefined,
      logAction: () => undefined,
      notify: (n) => void notices.push(n),
    });
    svc.start();
    svc.stop();
    expect(notices).toEqual([{ level: 'warning', title: 'Schedule "Bad" will not run', body: expect.stringContaining('"someday" is not a day form') }]);
    expect(settings.schedules).toHaveLength(1);
  });
});
