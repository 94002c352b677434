import { describe, expect, it } from 'vitest';
import type { PowerTransition } from '../../src/shared/metrics';
import { accountUptime, uptimeBucket } from '../../src/main/store/history/uptime';
import { appendTransition, prune } from '../../src/main/store/history/power-log';

const H = 3_600_000;

describe('uptime accounting', () => {
  const day: PowerTransition[] = [
    { at: 8 * H, state: 'suspended' },
    { at: 0, state: 'on' },
    { at: 20 * H, state: 'off' },
    { at: 7 * H, state: 'suspending' },
    { at: 18 * H, state: 'waking' },
    { at: 18.5 * H, state: 'on' },
  ];

  it('splits a day into on, off and suspended from unordered changes; transitions count as on', () => {
    const r = accountUptime('nas', day, 0, 24 * H);
    expect(r).toMatchObject({ onMs: 8 * H + 2 * H, suspendedMs: 10 * H, offMs: 4 * H, unknownMs: 0 });
    expect(r.availability).toBeCloseTo(10 / 24);
  });

  it('takes the state at the window start from the last change before it', () => {
    const r = accountUptime('nas', day, 12 * H, 19 * H);
    expect(r).toMatchObject({ suspendedMs: 6 * H, onMs: 1 * H, offMs: 0, unknownMs: 0 });
  });

  it('counts time before the first known change as unknown, and leaves it out of energy', () => {
    const r = accountUptime('nas', [{ at: 10 * H, state: 'on' }], 0, 20 * H, { idleWatts: 30, suspendedWatts: 3 });
    expect(r).toMatchObject({ unknownMs: 10 * H, onMs: 10 * H, energyWh: 300, availability: 1 });
    expect(accountUptime('nas', [], 0, H).availability).toBeUndefined();
  });

  it('estimates energy from idle, suspended and standby wattages', () => {
    const r = accountUptime('nas', day, 0, 24 * H, { idleWatts: 40, suspendedWatts: 4, offWatts: 1.5 });
    expect(r.energyWh).toBeCloseTo(10 * 40 + 10 * 4 + 4 * 1.5);
    expect(accountUptime('nas', day, 0, 24 * H).energyWh).toBe(0);
  });

  it('maps every power state', () => {
    expect(['stopped', 'paused', 'init_failed', 'rebooting', 'stopping'].map((s) => uptimeBucket(s as never))).toEqual(['off', 'suspended', 'unknown', 'on', 'on']);
  });

  it('gives nothing for an empty or inverted window', () => {
    expect(accountUptime('x', day, 5 * H, 5 * H)).toMatchObject({ onMs: 0, offMs: 0, suspendedMs: 0, unknownMs: 0 });
    expect(accountUptime('x', day, 6 * H, 5 * H).onMs).toBe(0);
  });
});

describe('power change log', () => {
  it('keeps changes, not repeated observations, and refuses the past', () => {
    const log: PowerTransition[] = [];
    expect(appendTransition(log, 1000, 'on', 1000)).toBe(true);
    expect(appendTransition(log, 31_000, 'on', 31_000)).toBe(false);
    expect(appendTransition(log, 500, 'off', 31_000)).toBe(false);
    expect(appendTransition(log, 61_000, 'off', 61_000)).toBe(true);
    expect(log).toEqual([{ at: 1000, state: 'on' }, { at: 61_000, state: 'off' }]);
  });

  it('forgets old changes but keeps the one that tells the state at the cut', () => {
    const log: PowerTransition[] = [
      { at: 0, state: 'on' },
      { at: 10, state: 'off' },
      { at: 20, state: 'on' },
      { at: 100, state: 'off' },
    ];
    prune(log, 150, { retentionMs: 100, maxEntries: 100 });
    expect(log).toEqual([{ at: 20, state: 'on' }, { at: 100, state: 'off' }]);
    prune(log, 150, { retentionMs: 1000, maxEntries: 1 });
    expect(log).toEqual([{ at: 100, state: 'off' }]);
  });
});
