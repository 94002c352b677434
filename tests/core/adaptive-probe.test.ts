import { describe, expect, it } from 'vitest';
import { needsConfirmation, probeTimeout, timeoutFor, updateRtt, type RttEstimate } from '../../src/main/inventory/rtt';
import { expectationOf, STILL_SILENT, StatusProber } from '../../src/main/inventory/prober';
import type { PowerState } from '../../src/shared/power';
import type { Clock } from '../../src/main/base/clock';
import { noAnswerWithin, type HostProbe, type Prober } from '../../src/main/drivers/probe';
import { settingsSchema } from '../../src/shared/settings';
import { createRng } from '../../src/lab/random';
import type { PowerChange } from '../../src/main/inventory/notices';
import { openTestApp } from './test-app';

// No packet is sent: every prober here is a fake. 127.0.161.x names the fake hosts.
const bounds = { minMs: 100, maxMs: 1500 };

describe('round-trip estimates (RFC 6298)', () => {
  it('starts from the first sample, then smooths with α = 1/8 and β = 1/4', () => {
    const first = updateRtt(undefined, 40);
    expect(first).toEqual({ srtt: 40, rttvar: 20, samples: 1 });
    const second = updateRtt(first, 80);
    expect(second.rttvar).toBeCloseTo(0.75 * 20 + 0.25 * 40);
    expect(second.srtt).toBeCloseTo(0.875 * 40 + 0.125 * 80);
    expect(second.samples).toBe(2);
    expect(updateRtt(second, Number.NaN)).toBe(second);
    expect(updateRtt(second, -1)).toBe(second);
  });

  it('gives SRTT + 4·RTTVAR, floored and capped; the full timeout without history', () => {
    const e: RttEstimate = { srtt: 200, rttvar: 50, samples: 5 };
    expect(timeoutFor(e, bounds)).toBe(400);
    expect(timeoutFor({ srtt: 1, rttvar: 0.5, samples: 9 }, bounds)).toBe(100);
    expect(timeoutFor({ srtt: 1000, rttvar: 400, samples: 9 }, bounds)).toBe(1500);
    expect(timeoutFor(undefined, bounds)).toBe(1500);
    // A floor above the cap is the cap.
    expect(timeoutFor(e, { minMs: 5000, maxMs: 1500 })).toBe(1500);
  });

  it("uses the network's estimate only for a host already known silent", () => {
    const net: RttEstimate = { srtt: 10, rttvar: 5, samples: 50 };
    expect(probeTimeout(undefined, net, true, bounds)).toBe(100);
    expect(probeTimeout(undefined, net, false, bounds)).toBe(1500);
    expect(probeTimeout(undefined, undefined, true, bounds)).toBe(1500);
    expect(probeTimeout({ srtt: 300, rttvar: 10, samples: 3 }, net, false, bounds)).toBe(340);
  });

  it('confirms every verdict that would change the state, and a quick silence where the state makes no claim', () => {
    expect(needsConfirmation('up', false, 1500, 1500)).toBe(true);
    expect(needsConfirmation('down', true, 100, 1500)).toBe(true);
    expect(needsConfirmation('up', true, 100, 1500)).toBe(false);
    expect(needsConfirmation('down', false, 100, 1500)).toBe(false);
    expect(needsConfirmation('none', false, 100, 1500)).toBe(true);
    expect(needsConfirmation('none', false, 1500, 1500)).toBe(false);
    expect(needsConfirmation('none', true, 100, 1500)).toBe(false);
  });
});

/** A host on the fake clock: each connect lost with probability `loss`, else answered after 0–`jitterMs`. */
function lossyHost(clock: () => Clock, seed: number, loss: number, jitterMs: number) {
  const rng = createRng(seed);
  const timeouts: number[] = [];
  let alive = true;
  const probe: Prober = (_address, ports, timeoutMs) => {
    timeouts.push(timeoutMs);
    const per = ports.map(() => (alive && rng.next() >= loss ? rng.next() * jitterMs : Infinity));
    const first = Math.min(...per);
    return new Promise<HostProbe>((resolve) => {
      const wait = Math.min(first, timeoutMs);
      clock().setTimeout(() => {
        const openPorts = Object.fromEntries(ports.map((p, i) => [String(p), (per[i] ?? Infinity) <= timeoutMs]));
        const up = Object.values(openPorts).some(Boolean);
        resolve({ openPorts, ...(up ? { rttMs: first } : { error: `no answer within ${timeoutMs} ms` }) });
      }, wait);
    });
  };
  return { probe, timeouts, setAlive: (a: boolean) => void (alive = a) };
}

describe('adaptive status probing', () => {
  it('confirms a silence with the full timeout before an on host shows off', async () => {
    const settings = settingsSchema.parse({});
    const answers: boolean[] = [true, true, false, true];
    const seen: number[] = [];
    const prober = new StatusProber(async (_a, ports, t) => {
      seen.push(t);
      const up = answers.shift() ?? false;
      return { openPorts: Object.fromEntries(ports.map((p) => [String(p), up])), ...(up ? { rttMs: 5 } : {}) };
    }, () => settings);
    expect((await prober.observe('a', '127.0.161.1', [22], 'unknown')).openPorts['22']).toBe(true);
    expect(seen).toEqual([1500]); // no history: the full timeout
    await prober.observe('a', '127.0.161.1', [22], 'on');
    expect(seen[1]).toBe(100); // learnt: the floor
    // Silent within the short timeout, then answering with the full one: the answer is what is applied.
    const third = await prober.observe('a', '127.0.161.1', [22], 'on');
    expect(third.openPorts['22']).toBe(true);
    expect(seen.slice(2)).toEqual([100, 1500]);
    // Really gone: silent, then silent through both confirmations.
    const gone = await prober.observe('a', '127.0.161.1', [22], 'on');
    expect(gone.openPorts['22']).toBe(false);
    expect(seen.slice(4)).toEqual([100, 1500, 1500]);
    prober.forget('a');
    expect(prober.estimate('a')).toBeUndefined();
  });

  it("words a known-silent host's quick silence the same whatever its timeout, so its card does not change every probe", async () => {
    const settings = settingsSchema.parse({});
    const seen: number[] = [];
    const prober = new StatusProber(async (address, ports, t) => {
      seen.push(t);
      const up = address === '127.0.161.3';
      return { openPorts: Object.fromEntries(ports.map((p) => [String(p), up])), ...(up ? { rttMs: 40 + seen.length * 30 } : { error: noAnswerWithin(t), timedOut: true as const }) };
    }, () => settings);
    const errors = new Set<string | undefined>();
    for (let i = 0; i < 4; i++) {
      await prober.observe('up', '127.0.161.3', [22], 'on'); // moves the network's estimate
      errors.add((await prober.observe('quiet', '127.0.161.4', [22], 'off')).error);
    }
    expect(new Set(seen.filter((t, i) => i % 2 === 1)).size).toBeGreaterThan(1); // the quick timeouts moved
    expect([...errors]).toEqual([STILL_SILENT]);
    // A silence heard with the full timeout (a confirmation, or no history) keeps its wording.
    expect((await prober.observe('new', '127.0.161.5', [22], 'unknown')).error).toBe(noAnswerWithin(1500));
  });

  it('says which verdict would change each state', () => {
    expect(['on', 'init_failed', 'suspending', 'stopping'].map((p) => expectationOf(p as PowerState))).toEqual(['up', 'up', 'up', 'up']);
    expect(['off', 'suspended', 'stopped', 'paused', 'waking'].map((p) => expectationOf(p as PowerState))).toEqual(['down', 'down', 'down', 'down', 'down']);
    expect(['unknown', 'rebooting'].map((p) => expectationOf(p as PowerState))).toEqual(['none', 'none']);
  });

  it('a host losing 20 % of its connects with 0–800 ms of jitter never flaps (10 simulated minutes), and a real change still shows', async () => {
    // The app makes its clock; the host answers on it.
    const app: { t?: ReturnType<typeof openTestApp> } = {};
    const host = lossyHost(() => (app.t as ReturnType<typeof openTestApp>).clock, 161, 0.2, 800);
    const t = openTestApp({ probe: host.probe });
    app.t = t;
    try {
      const changes: PowerChange[] = [];
      t.app.engine.onPowerChange((c) => changes.push(c));
      t.app.engine.updateSettings({ statusIntervalMs: 5_000 });
      t.app.engine.addServer({ name: 'flaky', kind: 'physical', address: '127.0.161.2', ports: [22, 80] });
      t.app.engine.start();
      await t.clock.advance(10 * 60_000);
      expect(t.app.engine.view('flaky')?.power).toBe('on');
      expect(changes.map((c) => `${c.from}→${c.to}`)).toEqual(['unknown→on']);
      // It adapted: most probes were given less than the full timeout.
      expect(host.timeouts.filter((ms) => ms < 1500).length).toBeGreaterThan(host.timeouts.length / 2);

      host.setAlive(false);
      await t.clock.advance(15_000);
      expect(t.app.engine.view('flaky')?.power).toBe('off');
      host.setAlive(true);
      await t.clock.advance(15_000);
      expect(t.app.engine.view('flaky')?.power).toBe('on');
      expect(changes.map((c) => `${c.from}→${c.to}`)).toEqual(['unknown→on', 'on→off', 'off→on']);
    } finally {
      t.cleanup();
    }
  });
});
