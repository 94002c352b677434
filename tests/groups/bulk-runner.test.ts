import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import { BulkRunner, type BulkPorts } from '../../src/main/power/bulk-runner';
import { capabilitiesOf } from '../../src/main/power/capabilities';
import type { Outcome } from '../../src/main/power/machine';
import type { BulkRunView } from '../../src/shared/contract/groups';
import type { PowerState } from '../../src/shared/power';
import { serverInputSchema, type PowerAction, type ServerConfig, type ServerInput } from '../../src/shared/server';

let seq = 0;
function server(name: string, extra: Partial<ServerInput> = {}): ServerConfig {
  seq++;
  return { ...serverInputSchema.parse({ name, address: `127.0.170.${seq}`, mac: `52:54:00:00:01:${seq.toString(16).padStart(2, '0')}`, ssh: { user: 'root' }, ...extra }), id: name, createdAt: 0 };
}

/** The runner on a fake clock, with a power controller that records when each command started. */
function harness(servers: ServerConfig[], power: Record<string, PowerState>, options: { refuse?: string[]; slow?: Record<string, number> } = {}) {
  const clock = new FakeClock(0);
  const sent: { id: string; action: PowerAction; at: number }[] = [];
  const events: BulkRunView[] = [];
  const settle = new Map<string, (o: Outcome) => void>();
  const ports: BulkPorts = {
    clock,
    log: silentLogger,
    world: () => ({ servers, powerOf: (id) => power[id] ?? 'off', capabilities: (s) => capabilitiesOf(s), tagsOf: () => [], guestBulk: false }),
    settings: () => ({ wakeSpacingMs: 2000 }),
    run: (id, action) => {
      if (options.refuse?.includes(id)) throw new Error(`Cannot wake ${id}: it is already on`);
      sent.push({ id, action, at: clock.now() });
    },
    waitSettled: (id) => new Promise((resolve) => settle.set(id, resolve)),
    // A command slow to go out (`slow`: ms on the fake clock before its packet leaves).
    sent: (id) => new Promise((resolve) => clock.setTimeout(() => resolve({}), options.slow?.[id] ?? 0)),
    emit: (run) => void events.push(run),
  };
  return { runner: new BulkRunner(ports), clock, sent, events, settle };
}

const twelve = Array.from({ length: 12 }, (_, i) => server(`m${i + 1}`, { groups: ['rack'] }));

describe('the bulk runner on a fake clock', () => {
  it('sends twelve wakes exactly the configured delay apart, in the plan order', async () => {
    const { runner, clock, sent } = harness(twelve, {});
    const run = runner.start('wake', { group: 'rack' });
    expect(run.plan.steps).toHaveLength(12);
    await clock.advance(0);
    expect(sent.map((s) => s.at)).toEqual([0]);
    await clock.advance(22_000);
    expect(sent.map((s) => s.id)).toEqual(twelve.map((s) => s.id));
    expect(sent.map((s) => s.at)).toEqual(twelve.map((_, i) => i * 2000));
    const done = await runner.wait(run.id);
    expect(done.state).toBe('done');
    expect(done.results.every((r) => r.status === 'sent')).toBe(true);
  });

  it('keeps the delay after a packet that went out late: the next one is pushed back', async () => {
    const { runner, clock, sent } = harness(twelve.slice(0, 3), {}, { slow: { m1: 500 } });
    const run = runner.start('wake', { group: 'rack' });
    await clock.advance(10_000);
    // m1 started at 0 but its packet left at 500: m2 goes at 2500, m3 2000 after that.
    expect(sent.map((s) => s.at)).toEqual([0, 2500, 4500]);
    expect((await runner.wait(run.id)).results.map((r) => r.at)).toEqual([500, 2500, 4500]);
  });

  it('takes a spacing given for this run over the setting', async () => {
    const { runner, clock, sent } = harness(twelve.slice(0, 3), {});
    runner.start('wake', { group: 'rack' }, 750);
    await clock.advance(5000);
    expect(sent.map((s) => s.at)).toEqual([0, 750, 1500]);
  });

  it('stops on cancel: what was not sent is not sent, and says so', async () => {
    const { runner, clock, sent, events } = harness(twelve, {});
    const run = runner.start('wake', { group: 'rack' });
    await clock.advance(4000);
    expect(sent).toHaveLength(3);
    const cancelled = runner.cancel(run.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.results.filter((r) => r.status === 'cancelled')).toHaveLength(9);
    await clock.advance(60_000);
    expect(sent).toHaveLength(3);
    expect(clock.pending()).toBe(0);
    expect(events.at(-1)?.state).toBe('cancelled');
    expect((await runner.wait(run.id)).state).toBe('cancelled');
  });

  it('records a refused command as failed and goes on with the rest', async () => {
    const { runner, clock, sent } = harness(twelve.slice(0, 3), {}, { refuse: ['m2'] });
    const run = runner.start('wake', { group: 'rack' });
    await clock.advance(10_000);
    const done = await runner.wait(run.id);
    expect(sent.map((s) => s.id)).toEqual(['m1', 'm3']);
    expect(done.results.find((r) => r.serverId === 'm2')).toMatchObject({ status: 'failed', error: expect.stringContaining('already on') });
  });

  it("sends a parent's power-down only once its children in the plan settled", async () => {
    const host = server('host', { groups: ['lab'] });
    const kid = server('kid', { parentId: 'host', groups: ['lab'] });
    const { runner, clock, sent, settle } = harness([host, kid], { host: 'on', kid: 'on' });
    const run = runner.start('shutdown', { group: 'lab' });
    await clock.advance(0);
    expect(sent.map((s) => s.id)).toEqual(['kid']);
    settle.get('kid')?.('reached');
    await clock.advance(0);
    expect(sent.map((s) => s.id)).toEqual(['kid', 'host']);
    expect((await runner.wait(run.id)).state).toBe('done');
  });

  it('refuses a target that names an unknown server or selects nobody, and starts nothing', () => {
    const { runner, sent } = harness(twelve, {});
    expect(() => runner.start('wake', { servers: ['m1', 'nope'] })).toThrow(/nope/);
    expect(() => runner.start('wake', { group: 'empty' })).toThrow(/No server is in group "empty"/);
    expect(runner.list()).toEqual([]);
    expect(sent).toEqual([]);
  });
});
