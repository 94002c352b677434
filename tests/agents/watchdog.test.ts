import { describe, expect, it } from 'vitest';
import type { ResetOutcome } from '../../src/main/health/hooks';
import { figures, MIN, openMonitor } from './memory-health';

/** Starts the loop with a first heartbeat at t0 and auto-reset on. */
function hungVm(ids = ['vm1']) {
  const t = openMonitor(ids);
  for (const id of ids) {
    t.store.setWatch(id, { autoReset: true });
    t.monitor.report(id, figures());
  }
  t.monitor.start();
  return t;
}

describe('watchdog on a fake clock', () => {
  it('resets a hung VM (stale heartbeat, Proxmox says running) and sees it recover', async () => {
    const t = hungVm();
    await t.advance(4 * MIN + 30_000);
    expect(t.resetCalls).toHaveLength(0);
    expect(t.monitor.view('vm1').state).toBe('healthy');

    await t.advance(30_000); // 5 min without a heartbeat
    expect(t.resetCalls).toHaveLength(1);
    expect(t.resetCalls[0]?.reason).toBe('Auto-reset 1/3: no heartbeat for 5 min while Proxmox reports it running');
    const [record] = t.monitor.resets('vm1');
    expect(record).toMatchObject({ source: 'auto', ok: true, taskStatus: 'OK', upid: 'UPID:pve1:0001:vm1:qmreset' });
    expect(record?.finishedAt).toBeDefined();
    expect(t.monitor.view('vm1')).toMatchObject({ state: 'reset_pending', attemptsInWindow: 1 });
    expect(t.notices.map((n) => n.title)).toEqual(['name-vm1 stopped reporting', 'Resetting name-vm1']);

    await t.advance(2 * MIN);
    t.monitor.report('vm1', figures({ uptimeSeconds: 60 }));
    expect(t.monitor.view('vm1').state).toBe('healthy');
    expect(t.notices.at(-1)).toMatchObject({ level: 'success', title: 'name-vm1 is reporting again', body: 'Its agent came back after the reset.' });
    // reset_pending twice: once when the task starts, once when it finished.
    expect(t.emitted.map((v) => v.state)).toEqual(['healthy', 'down', 'reset_pending', 'reset_pending', 'healthy']);
    t.monitor.stop();
  });

  it('waits out the cool-down between attempts', async () => {
    const t = hungVm();
    await t.advance(5 * MIN);
    expect(t.resetCalls).toHaveLength(1);
    await t.advance(9 * MIN + 30_000);
    expect(t.resetCalls).toHaveLength(1);
    expect(t.monitor.view('vm1').state).toBe('reset_pending');
    await t.advance(30_000);
    expect(t.resetCalls).toHaveLength(2);
    expect(t.resetCalls[1]?.at).toBe((t.resetCalls[0]?.at ?? 0) + 10 * MIN);
    t.monitor.stop();
  });

  it('stops after N attempts within the window: reset_failed and a notice asking for a human', async () => {
    const t = hungVm();
    await t.advance(40 * MIN);
    expect(t.resetCalls.map((c) => c.reason.slice(0, 16))).toEqual(['Auto-reset 1/3: ', 'Auto-reset 2/3: ', 'Auto-reset 3/3: ']);
    const view = t.monitor.view('vm1');
    expect(view.state).toBe('reset_failed');
    expect(view.detail).toMatch(/a human should look/);
    const human = t.notices.find((n) => n.title === 'name-vm1 needs a human');
    expect(human?.level).toBe('error');
    expect(human?.body).toMatch(/^3 automatic resets within 60 min did not bring its agent back/);

    // The window passes, but the watchdog does not quietly start over: a human must act.
    await t.advance(3 * 60 * MIN);
    expect(t.resetCalls).toHaveLength(3);
    expect(t.notices.filter((n) => n.title.endsWith('needs a human'))).toHaveLength(1);

    // A heartbeat clears it.
    t.monitor.report('vm1', figures());
    expect(t.monitor.view('vm1').state).toBe('healthy');
    expect(t.store.needsHuman('vm1')).toBeUndefined();
    t.monitor.stop();
  });

  it('counts a failed reset task as an attempt and says why', async () => {
    const t = hungVm();
    t.setOutcome(async () => ({ ok: false, taskStatus: "VM 101 is locked (backup)" }));
    await t.advance(5 * MIN);
    const [record] = t.monitor.resets('vm1');
    expect(record).toMatchObject({ ok: false, taskStatus: 'VM 101 is locked (backup)' });
    expect(t.monitor.view('vm1')).toMatchObject({ state: 'down', attemptsInWindow: 1 });
    expect(t.monitor.view('vm1').detail).toMatch(/The last reset failed: VM 101 is locked \(backup\)/);
    expect(t.notices.at(-1)).toMatchObject({ level: 'error', title: 'Reset of name-vm1 failed' });
    // A reset that throws (Proxmox unreachable) is recorded the same way.
    t.setOutcome(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:8006');
    });
    await t.advance(10 * MIN);
    expect(t.monitor.resets('vm1')[0]).toMatchObject({ ok: false, taskStatus: 'connect ECONNREFUSED 127.0.0.1:8006' });
    t.monitor.stop();
  });

  it('never resets a VM that is being powered down on purpose', async () => {
    const t = hungVm(['a', 'b', 'c', 'd']);
    t.views.set('a', { power: 'stopping', transitioning: true }); // Rackdeck is shutting it down
    t.views.set('b', { power: 'on', desired: 'off' }); // the admin wants it off
    t.guests.set('c', { status: 'stopped' }); // it already stopped
    t.views.set('c', { power: 'stopped' });
    t.monitor.noteDeliberate('d'); // a shutdown command was just sent
    await t.advance(12 * MIN);
    expect(t.resetCalls).toEqual([]);
    expect(t.monitor.views().map((v) => v.state)).toEqual(['down', 'down', 'down', 'down']);
    // A guest falling silent because it was shut down is not news.
    expect(t.notices).toEqual([]);
    t.monitor.stop();
  });

  it('does nothing while the receiver is not listening, and judges only from when it started', async () => {
    const t = hungVm();
    t.setListening(undefined);
    await t.advance(30 * MIN);
    expect(t.resetCalls).toEqual([]);
    expect(t.monitor.view('vm1').state).toBe('unknown');
    t.setListening(t.clock.now());
    await t.advance(4 * MIN);
    expect(t.resetCalls).toEqual([]);
    await t.advance(MIN);
    expect(t.resetCalls).toHaveLength(1);
    t.monitor.stop();
  });

  it('holds auto-reset when many agents fall silent at once', async () => {
    const t = hungVm(['a', 'b', 'c', 'd']);
    t.monitor.stop();
    await t.advance(3 * MIN);
    t.monitor.report('d', figures());
    await t.advance(3 * MIN);
    await t.monitor.tick();
    await t.monitor.idle();
    expect(t.resetCalls).toEqual([]);
    const held = t.notices.filter((n) => n.title === '3 agents went silent at once');
    expect(held).toHaveLength(1);
    await t.monitor.tick();
    expect(t.notices.filter((n) => n.title === '3 agents went silent at once')).toHaveLength(1);
    // Two of them come back: the last one silent is a hung guest after all.
    t.monitor.report('a', figures());
    t.monitor.report('b', figures());
    await t.monitor.tick();
    await t.monitor.idle();
    expect(t.resetCalls.map((c) => c.id)).toEqual(['c']);
  });

  it('a reset stuck on one guest does not delay the watchdog for the others', async () => {
    const t = hungVm(['slow', 'fast']);
    let release: (o: ResetOutcome) => void = () => undefined;
    t.setOutcome((id) => (id === 'slow' ? new Promise<ResetOutcome>((r) => (release = r)) : Promise.resolve({ ok: true, taskStatus: 'OK' })));
    await t.clock.advance(3 * MIN);
    t.monitor.report('fast', figures());
    await t.clock.advance(2 * MIN);
    expect(t.resetCalls.map((c) => c.id)).toEqual(['slow']);
    expect(t.monitor.view('slow').state).toBe('reset_pending');
    await t.clock.advance(3 * MIN);
    expect(t.resetCalls.map((c) => c.id)).toEqual(['slow', 'fast']);
    // The slow task is still running: it is not started twice.
    await t.clock.advance(20 * MIN);
    expect(t.resetCalls.filter((c) => c.id === 'slow')).toHaveLength(1);
    release({ ok: true, taskStatus: 'OK' });
    await t.monitor.idle();
    t.monitor.stop();
  });

  it('records a manual reset with its reason, outside the automatic budget', async () => {
    const t = openMonitor();
    t.monitor.report('vm1', figures());
    const record = await t.monitor.manualReset('vm1', 'kernel panic on the console');
    expect(record).toMatchObject({ source: 'manual', reason: 'kernel panic on the console', ok: true, taskStatus: 'OK' });
    expect(t.resetCalls).toEqual([{ id: 'vm1', reason: 'kernel panic on the console', at: t.clock.now() }]);
    expect(t.monitor.resets('vm1')).toEqual([record]);
    expect(t.monitor.view('vm1')).toMatchObject({ state: 'reset_pending', attemptsInWindow: 0 });
    // Refused while a power action runs.
    t.views.set('vm1', { power: 'rebooting', transitioning: true });
    await expect(t.monitor.manualReset('vm1', 'again')).rejects.toThrow(/power action is in progress/);
    expect(t.resetCalls).toHaveLength(1);
  });

  it('a manual reset clears the reset_failed latch', async () => {
    const t = hungVm();
    await t.advance(40 * MIN);
    expect(t.monitor.view('vm1').state).toBe('reset_failed');
    t.monitor.stop();
    await t.monitor.manualReset('vm1', 'looked at it, trying once more');
    expect(t.monitor.view('vm1').state).toBe('reset_pending');
    expect(t.store.needsHuman('vm1')).toBeUndefined();
  });
});
