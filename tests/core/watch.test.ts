import { describe, expect, it } from 'vitest';
import { holdMs, LINUX_SYN_RETRIES_MS, phaseOf, synRetriesMs, WatchPlan } from '../../src/main/inventory/watch';
import type { Clock } from '../../src/main/base/clock';
import type { Prober } from '../../src/main/drivers/probe';
import type { PowerChange } from '../../src/main/inventory/notices';
import { openTestApp } from './test-app';

// No packet is sent: the prober is scripted. 127.0.163.x names the fake hosts.

describe('the watch plan', () => {
  it('makes each watched server due once a period, at its own phase, spread over the period', () => {
    const plan = new WatchPlan();
    const ids = Array.from({ length: 200 }, (_, i) => `s${i}`);
    const dueAt = new Map<string, number[]>();
    for (let now = 0; now < 6000; now += 250) for (const id of plan.due(ids, now, 2000)) dueAt.set(id, [...(dueAt.get(id) ?? []), now]);
    for (const id of ids) {
      const at = dueAt.get(id) ?? [];
      expect(at.length).toBeGreaterThanOrEqual(2);
      expect(at.slice(1).map((t, i) => t - (at[i] as number))).toEqual(at.slice(1).map(() => 2000));
    }
    // Spread: no tick carries more than a quarter of them.
    const perTick = new Map<number, number>();
    for (const at of dueAt.values()) for (const t of at) perTick.set(t, (perTick.get(t) ?? 0) + 1);
    expect(Math.max(...perTick.values())).toBeLessThanOrEqual(50);
    expect(phaseOf('s1', 2000)).toBe(phaseOf('s1', 2000));
    expect(phaseOf('s1', 0)).toBe(0);
  });

  it('drops a server that left the watched states and does not catch up missed periods', () => {
    const plan = new WatchPlan();
    plan.due(['a', 'b'], 0, 1000);
    expect(plan.size).toBe(2);
    plan.due(['a'], 100, 1000);
    expect(plan.size).toBe(1);
    // Ten periods asleep: due once, then one period from now.
    expect(plan.due(['a'], 10_000, 1000)).toEqual(['a']);
    expect(plan.due(['a'], 10_500, 1000)).toEqual([]);
    expect(plan.due(['a'], 11_000, 1000)).toEqual(['a']);
  });
});

describe('watching silent servers', () => {
  function lab() {
    const up = new Set<string>();
    const probed = new Map<string, number>();
    /** Answers that come once and then stop: a blip the confirmation must not believe. */
    const blips = new Set<string>();
    const probe: Prober = async (address, ports) => {
      probed.set(address, (probed.get(address) ?? 0) + 1);
      const open = up.has(address) || blips.delete(address);
      return { openPorts: Object.fromEntries(ports.map((p) => [String(p), open])), ...(open ? { rttMs: 1 } : { error: 'connection refused' }) };
    };
    return { up, probed, blips, probe };
  }

  it('shows a host that came up by itself within the watch period, long before the next sweep, and probes only the silent ones', async () => {
    const l = lab();
    const t = openTestApp({ probe: l.probe });
    try {
      const changes: PowerChange[] = [];
      t.app.engine.onPowerChange((c) => changes.push(c));
      t.app.engine.updateSettings({ statusIntervalMs: 60_000, watchSilentMs: 2_000 });
      for (let i = 1; i <= 20; i++) t.app.engine.addServer({ name: `h${i}`, kind: 'physical', address: `127.0.163.${i}`, ports: [22] });
      for (let i = 1; i <= 10; i++) l.up.add(`127.0.163.${i}`);
      t.app.engine.start();
      await t.clock.advance(5_000);
      expect(t.app.engine.view('h11')?.power).toBe('off');
      expect(t.app.engine.view('h1')?.power).toBe('on');

      // Between sweeps the watch leaves the answering hosts alone (the minute's service check may
      // probe them once); the silent ones are probed about every 2 s.
      l.probed.clear();
      await t.clock.advance(20_000);
      expect(l.probed.get('127.0.163.1') ?? 0).toBeLessThanOrEqual(1);
      expect(l.probed.get('127.0.163.11')).toBeGreaterThanOrEqual(9);

      l.up.add('127.0.163.15');
      await t.clock.advance(2_600);
      expect(t.app.engine.view('h15')?.power).toBe('on');
      expect(changes.filter((c) => c.serverId === 'h15').map((c) => `${c.from}→${c.to}`)).toEqual(['unknown→off', 'off→on']);
    } finally {
      t.cleanup();
    }
  });

  it('confirms an answer before a silent host shows on: a single stray answer changes nothing', async () => {
    const l = lab();
    const t = openTestApp({ probe: l.probe });
    try {
      t.app.engine.updateSettings({ statusIntervalMs: 60_000, watchSilentMs: 1_000 });
      t.app.engine.addServer({ name: 'quiet', kind: 'physical', address: '127.0.163.40', ports: [22] });
      t.app.engine.start();
      await t.clock.advance(3_000);
      expect(t.app.engine.view('quiet')?.power).toBe('off');
      l.blips.add('127.0.163.40');
      await t.clock.advance(3_000);
      expect(l.blips.size).toBe(0); // the blip was heard
      expect(t.app.engine.view('quiet')?.power).toBe('off');
    } finally {
      t.cleanup();
    }
  });
});

describe('holding a silent host\'s connect open (the kernel resends its SYN)', () => {
  it('holds as long as the SYNs leave no gap longer than the period', () => {
    expect(holdMs(2000, LINUX_SYN_RETRIES_MS)).toBe(5000); // SYNs at 0, 1, 3 s, next connect at 5 s
    expect(holdMs(1000, LINUX_SYN_RETRIES_MS)).toBe(2000);
    expect(holdMs(4000, LINUX_SYN_RETRIES_MS)).toBe(11_000);
    expect(holdMs(500, LINUX_SYN_RETRIES_MS)).toBe(500);
    expect(holdMs(2000, [])).toBe(2000);
  });

  it('knows when the kernel resends a SYN: doubling before Linux 6.5, a second apart at first since (as measured with ss on 6.18)', () => {
    expect(LINUX_SYN_RETRIES_MS).toEqual([0, 1000, 3000, 7000, 15_000, 31_000, 63_000]);
    const linear = synRetriesMs(4, 6);
    expect(linear.slice(0, 10)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 7000, 11_000, 19_000, 35_000]);
    // SYNs at 0, 1, 2, 3, 4, 5 and 7 s: held 9 s, one connect per 9 s, still no gap over 2 s.
    expect(holdMs(2000, linear)).toBe(9000);
    expect(holdMs(1000, linear)).toBe(6000);
    expect(synRetriesMs(0, 1)).toEqual([0, 1000]);
  });

  /** Hosts as the kernel sees them: a held connect knocks at the SYN times and is answered at the first knock after the host came up. */
  function kernelLab(clock: () => Clock, syn: readonly number[]) {
    const up = new Set<string>();
    const timeouts: number[] = [];
    let inFlight = 0;
    let most = 0;
    const probe: Prober = (address, ports, timeoutMs) => {
      timeouts.push(timeoutMs);
      inFlight++;
      most = Math.max(most, inFlight);
      return new Promise((resolve) => {
        const began = clock().now();
        const knock = () => {
          const at = clock().now() - began;
          if (up.has(address)) {
            inFlight--;
            return resolve({ openPorts: Object.fromEntries(ports.map((p) => [String(p), true])), rttMs: at + 1 });
          }
          const next = syn.find((t) => t > at);
          if (next === undefined || next >= timeoutMs) {
            clock().setTimeout(() => {
              inFlight--;
              resolve({ openPorts: Object.fromEntries(ports.map((p) => [String(p), false])), error: `no answer within ${timeoutMs} ms`, timedOut: true });
            }, timeoutMs - at);
          } else clock().setTimeout(knock, next - at);
        };
        knock();
      });
    };
    return { up, timeouts, probe, most: () => most, inFlight: () => inFlight };
  }

  /** An app watching one silent server, 'dark' at `address`, through the kernel above, 3 s after its start. */
  async function darkHost(address: string, statusIntervalMs: number, syn: readonly number[] = LINUX_SYN_RETRIES_MS) {
    const box: { t?: ReturnType<typeof openTestApp> } = {};
    const l = kernelLab(() => (box.t as ReturnType<typeof openTestApp>).clock, syn);
    const t = openTestApp({ probe: l.probe, synRetriesMs: syn });
    box.t = t;
    try {
      t.app.engine.updateSettings({ statusIntervalMs, watchSilentMs: 2_000 });
      t.app.engine.addServer({ name: 'dark', kind: 'physical', address, ports: [22] });
      t.app.engine.start();
      await t.clock.advance(3_000);
      return { t, l };
    } catch (error) {
      t.cleanup();
      throw error;
    }
  }

  it('probes a silent host once per hold, not once per period, and still shows it on within the period when it comes up', async () => {
    const { t, l } = await darkHost('127.0.163.60', 10_000);
    try {
      expect(t.app.engine.view('dark')?.power).toBe('off');
      l.timeouts.length = 0;
      await t.clock.advance(30_000);
      // About one probe per 5 s hold (not 15 of 2 s), the sweeps adding none while a hold is out.
      expect(l.timeouts.length).toBeGreaterThanOrEqual(5);
      expect(l.timeouts.length).toBeLessThanOrEqual(7);
      expect(l.timeouts.filter((ms) => ms === 5000).length).toBeGreaterThanOrEqual(5);
      expect(l.most()).toBe(1);
      expect(t.app.engine.view('dark')?.detail).toBe('no answer');

      // Up in the gap between two knocks: seen at the next one, confirmed, shown within the period.
      l.up.add('127.0.163.60');
      await t.clock.advance(2_100);
      expect(t.app.engine.view('dark')?.power).toBe('on');
    } finally {
      t.cleanup();
    }
  });

  it('a sweep asked for while a hold is out knocks no second time, and ends only once the hold has', async () => {
    const { t, l } = await darkHost('127.0.163.61', 600_000);
    try {
      expect(t.app.engine.view('dark')?.power).toBe('off');
      // Wait (on the fake clock) for the watch to hold a connect open; it is answered at its next knock.
      for (let i = 0; i < 100 && !(l.inFlight() === 1 && l.timeouts.at(-1) === 5000); i++) await t.clock.advance(100);
      expect(l.inFlight()).toBe(1);
      l.up.add('127.0.163.61');
      const before = l.timeouts.length;
      let swept = false;
      const sweep = t.app.engine.sweep().then(() => void (swept = true));
      expect(l.timeouts.length).toBe(before); // no second connect beside the held one
      await t.clock.advance(50);
      expect(swept).toBe(false); // the held connect has not been answered yet: the sweep waits for it
      await t.clock.advance(6_000);
      await sweep;
      expect(swept).toBe(true);
      // What the sweep promised: the server was looked at, its new state is shown.
      expect(t.app.engine.view('dark')?.power).toBe('on');
    } finally {
      t.cleanup();
    }
  });

  it('a sweep meeting a hold on a host still silent ends once the hold\'s next knock went unanswered, not at the hold\'s end', async () => {
    const { t, l } = await darkHost('127.0.163.62', 600_000);
    try {
      for (let i = 0; i < 100 && !(l.inFlight() === 1 && l.timeouts.at(-1) === 5000); i++) await t.clock.advance(100);
      expect(l.inFlight()).toBe(1);
      const before = l.timeouts.length;
      let swept = false;
      const sweep = t.app.engine.sweep().then(() => void (swept = true));
      for (let i = 0; i < 60 && !swept; i++) await t.clock.advance(100);
      await sweep;
      // Looked at through the held connect's resent SYN: no second connect, and the hold still out.
      expect(l.timeouts.length).toBe(before);
      expect(l.inFlight()).toBe(1);
      expect(t.app.engine.view('dark')?.power).toBe('off');
    } finally {
      t.cleanup();
    }
  });

  it('with a kernel since 6.5 holds a silent host\'s connect 9 s, and still shows it on within the period when it comes up', async () => {
    const { t, l } = await darkHost('127.0.163.63', 600_000, synRetriesMs(4, 6));
    try {
      expect(t.app.engine.view('dark')?.power).toBe('off');
      l.timeouts.length = 0;
      await t.clock.advance(36_000);
      // About one connect per 9 s (it was one per 5 s with the schedule of older kernels).
      expect(l.timeouts.filter((ms) => ms === 9000).length).toBeGreaterThanOrEqual(3);
      expect(l.timeouts.length).toBeLessThanOrEqual(5);
      expect(l.most()).toBe(1);
      l.up.add('127.0.163.63');
      await t.clock.advance(2_100);
      expect(t.app.engine.view('dark')?.power).toBe('on');
    } finally {
      t.cleanup();
    }
  });
});
