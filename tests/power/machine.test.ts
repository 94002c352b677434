import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import {
  begin,
  canStart,
  DEFAULT_TIMEOUTS,
  expire,
  fail,
  observe,
  revertState,
  TARGET_OF,
  timeoutsFor,
  TRANSITIONAL_OF,
  type PowerSnapshot,
} from '../../src/main/power/machine';
import { POWER_STATES, type PowerState } from '../../src/shared/power';
import { POWER_ACTIONS, powerSettingsSchema, type PowerAction } from '../../src/shared/server';

const MIN = 60_000;
const settled = (power: PowerState, since = 0): PowerSnapshot => ({ power, since });

describe('canStart: every state × every action', () => {
  const expected: Record<PowerState, Record<PowerAction, boolean>> = {
    on: { wake: false, suspend: true, hibernate: true, shutdown: true, reboot: true },
    init_failed: { wake: false, suspend: true, hibernate: true, shutdown: true, reboot: true },
    off: { wake: true, suspend: false, hibernate: false, shutdown: false, reboot: false },
    suspended: { wake: true, suspend: false, hibernate: false, shutdown: false, reboot: false },
    stopped: { wake: true, suspend: false, hibernate: false, shutdown: false, reboot: false },
    paused: { wake: true, suspend: false, hibernate: false, shutdown: false, reboot: false },
    // Sending a magic packet to a host that may be on harms nothing; SSH actions need to know.
    unknown: { wake: true, suspend: false, hibernate: false, shutdown: false, reboot: false },
    waking: { wake: false, suspend: false, hibernate: false, shutdown: false, reboot: false },
    suspending: { wake: false, suspend: false, hibernate: false, shutdown: false, reboot: false },
    stopping: { wake: false, suspend: false, hibernate: false, shutdown: false, reboot: false },
    rebooting: { wake: false, suspend: false, hibernate: false, shutdown: false, reboot: false },
  };
  for (const state of POWER_STATES) {
    for (const action of POWER_ACTIONS) {
      it(`${action} from ${state}: ${expected[state][action] ? 'allowed' : 'refused'}`, () => {
        const r = canStart(state, action);
        expect(r.ok).toBe(expected[state][action]);
        if (!r.ok) expect(r.reason.length).toBeGreaterThan(5);
      });
    }
  }
});

describe('begin', () => {
  it.each(POWER_ACTIONS)('%s sets its transitional state at once, with its target and deadline', (action) => {
    const clock = new FakeClock();
    const snap = begin(settled(action === 'wake' ? 'off' : 'on'), action, clock.now(), DEFAULT_TIMEOUTS);
    expect(snap.power).toBe(TRANSITIONAL_OF[action]);
    expect(snap.since).toBe(clock.now());
    expect(snap.transition?.target).toBe(TARGET_OF[action]);
    const budget = { wake: 5 * MIN, suspend: 2 * MIN, hibernate: 2 * MIN, shutdown: 3 * MIN, reboot: 5 * MIN }[action];
    expect(snap.transition?.deadline).toBe(clock.now() + budget);
  });

  it('uses per-server timeouts where set', () => {
    const t = timeoutsFor(powerSettingsSchema.parse({ timeouts: { wakeMs: 90_000, suspendMs: 10_000 } }));
    expect(t).toEqual({ ...DEFAULT_TIMEOUTS, wakeMs: 90_000, suspendMs: 10_000 });
    expect(begin(settled('off'), 'wake', 0, t).transition?.deadline).toBe(90_000);
  });
});

/** Drives a snapshot with one observation per second on a FakeClock, as the controller's fast poll does. */
async function poll(clock: FakeClock, snap: PowerSnapshot, upAt: (t: number) => boolean, seconds: number) {
  let cur = snap;
  let outcome: string | undefined;
  for (let i = 0; i < seconds && !outcome; i++) {
    await clock.advance(1_000);
    const step = observe(cur, upAt(clock.now()), clock.now());
    cur = step.next;
    outcome = step.outcome;
  }
  return { snap: cur, outcome, at: clock.now() };
}

describe('waking', () => {
  it('reaches on when the host answers', async () => {
    const clock = new FakeClock(0);
    const start = begin(settled('suspended'), 'wake', 0, DEFAULT_TIMEOUTS);
    const r = await poll(clock, start, (t) => t >= 40_000, 600);
    expect(r.outcome).toBe('reached');
    expect(r.snap.power).toBe('on');
    expect(r.at).toBe(40_000);
    expect(r.snap.transition).toBeUndefined();
  });

  it('stays waking while silent, and at 5 min reverts to what it was (suspended stays suspended)', async () => {
    const clock = new FakeClock(0);
    const start = begin(settled('suspended'), 'wake', 0, DEFAULT_TIMEOUTS);
    const before = await poll(clock, start, () => false, 299);
    expect(before.outcome).toBeUndefined();
    expect(before.snap.power).toBe('waking');
    const after = await poll(clock, before.snap, () => false, 5);
    expect(after.outcome).toBe('timeout');
    expect(after.at).toBe(5 * MIN);
    expect(after.snap.power).toBe('suspended');
    expect(after.snap.detail).toMatch(/no answer 5 min after the wake request/);
  });

  it.each([
    ['off', 'off'],
    ['stopped', 'stopped'],
    ['unknown', 'off'],
  ] as const)('a timed-out wake from %s reverts to %s', (from, to) => {
    const snap = begin(settled(from), 'wake', 0, DEFAULT_TIMEOUTS);
    const step = observe(snap, false, 5 * MIN);
    expect(step.outcome).toBe('timeout');
    expect(step.next.power).toBe(to);
  });

  it('an answer that arrives after the deadline still counts as reached', () => {
    const snap = begin(settled('off'), 'wake', 0, DEFAULT_TIMEOUTS);
    const step = observe(snap, true, 6 * MIN);
    expect(step).toMatchObject({ outcome: 'reached', next: { power: 'on' } });
  });

  it('lands on init_failed when the host answers but its init keeps failing', () => {
    const snap = begin(settled('off'), 'wake', 0, DEFAULT_TIMEOUTS);
    expect(observe(snap, true, 1_000, 'init_failed').next.power).toBe('init_failed');
  });
});

describe('suspending and hibernating', () => {
  it('reaches suspended when the host goes silent', async () => {
    const clock = new FakeClock(0);
    const r = await poll(clock, begin(settled('on'), 'suspend', 0, DEFAULT_TIMEOUTS), (t) => t < 8_000, 200);
    expect(r).toMatchObject({ outcome: 'reached', at: 8_000, snap: { power: 'suspended' } });
  });

  it('hibernate also lands on suspended, marked hibernated', () => {
    const step = observe(begin(settled('on'), 'hibernate', 0, DEFAULT_TIMEOUTS), false, 3_000);
    expect(step.next).toMatchObject({ power: 'suspended', detail: 'hibernated' });
  });

  it('reverts to on after 2 min if it keeps answering, saying so', async () => {
    const clock = new FakeClock(0);
    const r = await poll(clock, begin(settled('on'), 'suspend', 0, DEFAULT_TIMEOUTS), () => true, 200);
    expect(r.outcome).toBe('timeout');
    expect(r.at).toBe(2 * MIN);
    expect(r.snap.power).toBe('on');
    expect(r.snap.detail).toMatch(/still answering 2 min after the suspend command/);
  });
});

describe('stopping', () => {
  it('reaches off when the host goes silent', () => {
    expect(observe(begin(settled('on'), 'shutdown', 0, DEFAULT_TIMEOUTS), false, 5_000)).toMatchObject({ outcome: 'reached', next: { power: 'off' } });
  });

  it('reverts to on after its configured timeout', async () => {
    const clock = new FakeClock(0);
    const t = timeoutsFor(powerSettingsSchema.parse({ timeouts: { shutdownMs: 30_000 } }));
    const r = await poll(clock, begin(settled('on'), 'shutdown', 0, t), () => true, 100);
    expect(r).toMatchObject({ outcome: 'timeout', at: 30_000, snap: { power: 'on' } });
  });
});

describe('rebooting', () => {
  it('needs to see the host go down before an answer counts', async () => {
    const clock = new FakeClock(0);
    // Up for 3 s (still shutting down), down until 20 s, then up again.
    const r = await poll(clock, begin(settled('on'), 'reboot', 0, DEFAULT_TIMEOUTS), (t) => t <= 3_000 || t >= 20_000, 600);
    expect(r).toMatchObject({ outcome: 'reached', at: 20_000, snap: { power: 'on' } });
  });

  it('stays rebooting while it was never seen down, then reverts to on at the deadline', async () => {
    const clock = new FakeClock(0);
    const mid = await poll(clock, begin(settled('on'), 'reboot', 0, DEFAULT_TIMEOUTS), () => true, 100);
    expect(mid.snap.power).toBe('rebooting');
    const r = await poll(clock, mid.snap, () => true, 400);
    expect(r).toMatchObject({ outcome: 'timeout', at: 5 * MIN, snap: { power: 'on' } });
    expect(r.snap.detail).toMatch(/never seen going down/);
  });

  it('went down and never came back: off at the deadline', async () => {
    const clock = new FakeClock(0);
    const r = await poll(clock, begin(settled('on'), 'reboot', 0, DEFAULT_TIMEOUTS), (t) => t < 5_000, 400);
    expect(r).toMatchObject({ outcome: 'timeout', snap: { power: 'off' } });
    expect(r.snap.detail).toMatch(/did not come back/);
  });
});

describe('failure and expiry', () => {
  it.each(POWER_ACTIONS)('a %s that could not be sent reverts at once to the state before, with the reason', (action) => {
    const from: PowerState = action === 'wake' ? 'suspended' : 'on';
    const snap = begin(settled(from), action, 0, DEFAULT_TIMEOUTS);
    const step = fail(snap, 1_500, 'connection refused');
    expect(step).toEqual({ outcome: 'failed', next: { power: from, since: 1_500, detail: 'connection refused' } });
  });

  it('fail and observe leave a settled state alone', () => {
    expect(fail(settled('on'), 1, 'x')).toEqual({ next: settled('on') });
    expect(observe(settled('off'), true, 1)).toEqual({ next: settled('off') });
  });

  it('expire without any observation: a wake goes back, an SSH action is assumed not to have happened', () => {
    const wake = begin(settled('suspended'), 'wake', 0, DEFAULT_TIMEOUTS);
    expect(expire(wake, 5 * MIN - 1).outcome).toBeUndefined();
    expect(expire(wake, 5 * MIN).next.power).toBe('suspended');
    const suspend = begin(settled('on'), 'suspend', 0, DEFAULT_TIMEOUTS);
    expect(expire(suspend, 2 * MIN).next.power).toBe('on');
  });

  it('revertState follows the last observation', () => {
    const t = begin(settled('off'), 'wake', 0, DEFAULT_TIMEOUTS).transition!;
    expect(revertState({ ...t, lastUp: true }, 'on')).toBe('on');
    expect(revertState({ ...t, lastUp: false }, 'on')).toBe('off');
    const s = begin(settled('on'), 'suspend', 0, DEFAULT_TIMEOUTS).transition!;
    expect(revertState({ ...s, lastUp: true }, 'init_failed')).toBe('init_failed');
  });
});
