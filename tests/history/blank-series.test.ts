import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { isGap } from '../../src/shared/metrics';
import { HistoryState } from '../../src/main/store/history/state';
import { HistoryStore } from '../../src/main/store/history/store';
import { DEFAULT_TIERS } from '../../src/main/store/history/tiers';
import { DEFAULT_POWER_LIMITS } from '../../src/main/store/history/power-log';

/**
 * Servers known only by their power changes (no metrics gathered) share one blank series instead
 * of ~19 kB of tiers each (docs/PERFORMANCE.md, memory): the sharing must never let one server's
 * samples show in another's chart, and must survive a close and reopen.
 */
const MIN = 60_000;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const state = () => new HistoryState({ tiers: DEFAULT_TIERS, shardCount: 4, actionLimit: 100, power: DEFAULT_POWER_LIMITS });

describe('the blank series of servers without samples', () => {
  it('is shared until a server\'s first sample, which gives that server a series of its own', () => {
    const s = state();
    const now = 1_750_000_000_000;
    s.applyPower('a', now, 'on', now);
    s.applyPower('b', now, 'on', now);
    const a = s.servers.get('a')!;
    const b = s.servers.get('b')!;
    expect(a.series).toBe(b.series);
    expect(s.applySample('a', { t: now + MIN, cpu: 42 })).toBe(true);
    expect(a.series).not.toBe(b.series);
    expect(a.series.last).toBe(now + MIN);
    expect(b.series.last).toBe(-Infinity);
    expect(b.series.tiers.every((t) => t.open.slot < 0 && t.avg.every((c) => c === undefined))).toBe(true);
    // A sample refused (nothing in it to keep) leaves the server on the blank series.
    expect(s.applySample('b', { t: now + MIN })).toBe(false);
    expect(s.servers.get('b')!.series.last).toBe(-Infinity);
  });

  it('keeps each server\'s figures apart through a close and a reopen', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-history-blank-'));
    dirs.push(dir);
    const clock = new FakeClock(1_750_000_000_000);
    let store = await HistoryStore.open({ dir, clock, durable: false, shardCount: 4 });
    for (const id of ['a', 'b', 'c']) store.recordPower(id, clock.now(), 'on');
    await store.close();
    store = await HistoryStore.open({ dir, clock, durable: false, shardCount: 4 });
    expect(store.powerChanges('b')).toEqual([{ at: clock.now(), state: 'on' }]);
    expect(store.record('a', { t: clock.now() + MIN, cpu: 10 })).toBe(true);
    await clock.advance(2 * MIN);
    expect(store.query('a', 'hour').points.some((p) => !isGap(p) && p.avg.cpu === 10)).toBe(true);
    expect(store.query('b', 'hour').points.every(isGap)).toBe(true);
    expect(store.lastSampleAt('b')).toBeUndefined();
    await store.close();
  });
});
