import { describe, expect, it } from 'vitest';
import type { ResetRecord } from '../../src/shared/contract/agents';
import { appendReset, autoAttemptsInWindow, MAX_RESET_RECORDS } from '../../src/main/health/history';
import { DEFAULT_THRESHOLDS, DEFAULT_WATCH } from '../../src/main/health/options';
import { assessHealth, type HealthRecord } from '../../src/main/health/state';
import { decideWatchdog, deliberateReason, isMassSilence, type WatchdogInput } from '../../src/main/health/watchdog';
import { figures, MIN } from './memory-health';

const T0 = 1_000_000_000_000;
const opts = { ...DEFAULT_WATCH, autoReset: true };
const ctx = (now: number, over: Partial<Parameters<typeof assessHealth>[1]> = {}) => ({ now, options: opts, thresholds: DEFAULT_THRESHOLDS, listeningSince: T0 - 60 * MIN, ...over });
const reset = (at: number, over: Partial<ResetRecord> = {}): ResetRecord => ({ id: `r${at}`, serverId: 'vm1', at, source: 'auto', reason: 'x', ok: true, taskStatus: 'OK', finishedAt: at + 1000, ...over });
const rec = (over: Partial<HealthRecord> = {}): HealthRecord => ({ serverId: 'vm1', lastReportAt: T0, figures: figures(), resets: [], ...over });

describe('health state', () => {
  it('is unknown without a report, and without a listening receiver', () => {
    expect(assessHealth({ serverId: 'vm1', resets: [] }, ctx(T0)).state).toBe('unknown');
    expect(assessHealth(rec(), ctx(T0, { listeningSince: undefined })).state).toBe('unknown');
  });

  it('is healthy, then warning above the CPU or RAM threshold', () => {
    expect(assessHealth(rec(), ctx(T0)).state).toBe('healthy');
    const cpu = assessHealth(rec({ figures: figures({ cpuPercent: 95 }) }), ctx(T0));
    expect(cpu).toMatchObject({ state: 'warning', detail: 'CPU 95 % > 80 %' });
    const ram = assessHealth(rec({ figures: figures({ memUsedBytes: 3.8e9 }) }), ctx(T0));
    expect(ram).toMatchObject({ state: 'warning', detail: 'RAM 95 % > 90 %' });
    // Exactly at the threshold is not above it.
    expect(assessHealth(rec({ figures: figures({ cpuPercent: 80 }) }), ctx(T0)).state).toBe('healthy');
  });

  it('is down once no heartbeat came for the stale timeout', () => {
    expect(assessHealth(rec(), ctx(T0 + 5 * MIN - 1)).state).toBe('healthy');
    expect(assessHealth(rec(), ctx(T0 + 5 * MIN))).toMatchObject({ state: 'down', detail: 'No heartbeat for 5 min or more.' });
    expect(assessHealth(rec(), { ...ctx(T0 + 2 * MIN), options: { ...opts, staleMs: 2 * MIN } }).state).toBe('down');
  });

  it('counts silence only from when the receiver started listening', () => {
    // Rackdeck was off for an hour: the agent's last report is old, but nobody was listening.
    const c = ctx(T0 + 63 * MIN, { listeningSince: T0 + 60 * MIN });
    expect(assessHealth(rec(), c).state).toBe('healthy');
    expect(assessHealth(rec(), { ...c, now: T0 + 65 * MIN }).state).toBe('down');
  });

  it('is reset_pending after a reset until the cool-down ends, then down again', () => {
    const r = rec({ resets: [reset(T0 + 6 * MIN)] });
    expect(assessHealth(r, ctx(T0 + 7 * MIN)).state).toBe('reset_pending');
    expect(assessHealth(r, ctx(T0 + 16 * MIN - 1)).state).toBe('reset_pending');
    expect(assessHealth(r, ctx(T0 + 16 * MIN)).state).toBe('down');
    // A reset whose task failed is not pending: the guest is still down, and says why.
    const failed = rec({ resets: [reset(T0 + 6 * MIN, { ok: false, taskStatus: 'VM is locked (backup)' })] });
    expect(assessHealth(failed, ctx(T0 + 7 * MIN))).toMatchObject({ state: 'down', detail: expect.stringContaining('VM is locked (backup)') });
    // A report after the reset ends it.
    expect(assessHealth(rec({ lastReportAt: T0 + 8 * MIN, resets: [reset(T0 + 6 * MIN)] }), ctx(T0 + 9 * MIN)).state).toBe('healthy');
  });

  it('is reset_failed while the latch holds, until a heartbeat newer than it', () => {
    expect(assessHealth(rec({ needsHumanSince: T0 + 40 * MIN }), ctx(T0 + 41 * MIN)).state).toBe('reset_failed');
    expect(assessHealth(rec({ needsHumanSince: T0 + 40 * MIN, lastReportAt: T0 + 42 * MIN }), ctx(T0 + 43 * MIN)).state).toBe('healthy');
  });
});

describe('watchdog decision', () => {
  const base = (over: Partial<WatchdogInput> = {}): WatchdogInput => ({
    now: T0 + 6 * MIN,
    record: rec(),
    state: 'down',
    options: opts,
    guest: { status: 'running' },
    view: { power: 'on' },
    deliberateAt: undefined,
    massSilence: false,
    resetInFlight: false,
    ...over,
  });

  it('resets a down guest that Proxmox reports running', () => {
    expect(decideWatchdog(base())).toEqual({ action: 'reset', attempt: 1, reason: 'Auto-reset 1/3: no heartbeat for 6 min while Proxmox reports it running' });
  });

  it('leaves alone what is not down, not opted in, not a guest, or not running', () => {
    expect(decideWatchdog(base({ state: 'healthy' })).action).toBe('none');
    expect(decideWatchdog(base({ state: 'reset_pending' })).action).toBe('none');
    expect(decideWatchdog(base({ options: DEFAULT_WATCH }))).toEqual({ action: 'none', why: 'auto-reset is off for it' });
    expect(decideWatchdog(base({ guest: undefined })).action).toBe('none');
    for (const status of ['stopped', 'paused', 'suspended', 'unknown'] as const) {
      expect(decideWatchdog(base({ guest: { status } }))).toEqual({ action: 'none', why: `Proxmox reports it ${status}` });
    }
    expect(decideWatchdog(base({ resetInFlight: true })).action).toBe('none');
    expect(decideWatchdog(base({ massSilence: true })).action).toBe('none');
  });

  it('never resets a guest being powered down on purpose', () => {
    const cases: Partial<WatchdogInput>[] = [
      { view: { power: 'stopping' } },
      { view: { power: 'on', transitioning: true } },
      { view: { power: 'on', desired: 'off' } },
      { view: { power: 'on', desired: 'suspended' } },
      { guest: { status: 'running', desired: 'stopped' } },
      { guest: { status: 'running', lock: 'backup' } },
      { guest: { status: 'running', lastActionAt: T0 + 5 * MIN } },
      { deliberateAt: T0 },
    ];
    for (const c of cases) {
      const d = decideWatchdog(base(c));
      expect(d.action, JSON.stringify(c)).toBe('none');
      expect(deliberateReason({ ...base(c) }), JSON.stringify(c)).toBeDefined();
    }
    // The grace runs out: a guest shut down then started again is watched once more.
    expect(decideWatchdog(base({ deliberateAt: T0 - 20 * MIN })).action).toBe('reset');
    expect(decideWatchdog(base({ view: { power: 'on', desired: 'on' } })).action).toBe('reset');
  });

  it('waits out the cool-down, then gives up at the attempt limit', () => {
    const now = T0 + 30 * MIN;
    expect(decideWatchdog(base({ now, record: rec({ resets: [reset(now - 5 * MIN, { ok: false })] }) })).action).toBe('none');
    const two = rec({ resets: [reset(now - 25 * MIN), reset(now - 12 * MIN)] });
    expect(decideWatchdog(base({ now, record: two }))).toMatchObject({ action: 'reset', attempt: 3 });
    const three = rec({ resets: [reset(now - 25 * MIN), reset(now - 20 * MIN), reset(now - 11 * MIN)] });
    expect(decideWatchdog(base({ now, record: three }))).toMatchObject({ action: 'give_up' });
    // Manual resets are a human's call and never use up the budget.
    const manual = rec({ resets: [reset(now - 25 * MIN, { source: 'manual' }), reset(now - 20 * MIN, { source: 'manual' }), reset(now - 11 * MIN, { source: 'manual' })] });
    expect(decideWatchdog(base({ now, record: manual }))).toMatchObject({ action: 'reset', attempt: 1 });
    // Attempts older than the window no longer count.
    const old = rec({ resets: [reset(now - 90 * MIN), reset(now - 80 * MIN), reset(now - 70 * MIN)] });
    expect(decideWatchdog(base({ now, record: old }))).toMatchObject({ action: 'reset', attempt: 1 });
  });

  it('tells mass silence from a few hung guests', () => {
    expect(isMassSilence(1, 1)).toBe(false);
    expect(isMassSilence(2, 2)).toBe(false);
    expect(isMassSilence(3, 6)).toBe(true);
    expect(isMassSilence(3, 7)).toBe(false);
  });

  it('keeps the reset history bounded', () => {
    let h: ResetRecord[] = [];
    for (let i = 0; i < MAX_RESET_RECORDS + 20; i++) h = appendReset(h, reset(i));
    expect(h).toHaveLength(MAX_RESET_RECORDS);
    expect(h[0]?.at).toBe(20);
    expect(autoAttemptsInWindow(h, 119, 10)).toBe(10);
  });
});
