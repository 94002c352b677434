import { describe, expect, it } from 'vitest';
import { cyclesOf, planReconcile, pruneMemory, recordAttempt, satisfied, type AttemptMemory, type ReconcileServer } from '../../src/main/power/reconcile';
import { isTransitional, type PowerState } from '../../src/shared/power';
import type { DesiredPower } from '../../src/shared/server';

const ALL = { wake: true, suspend: true, hibernate: true, shutdown: true, reboot: true };
const srv = (id: string, power: PowerState, extra: Partial<ReconcileServer> = {}): ReconcileServer => ({
  id,
  name: id,
  power,
  transitioning: isTransitional(power),
  capabilities: ALL,
  ...extra,
});
const none = new Map<string, AttemptMemory>();
const acts = (steps: ReturnType<typeof planReconcile>) => steps.filter((s) => s.kind === 'act').map((s) => `${s.kind === 'act' ? s.action : ''} ${s.id}`);
const stepOf = (steps: ReturnType<typeof planReconcile>, id: string) => steps.find((s) => s.id === id && s.kind !== 'act') ?? steps.find((s) => s.id === id);

describe('satisfied', () => {
  it.each([
    ['on', 'on', true],
    ['on', 'init_failed', true],
    ['on', 'off', false],
    ['on', 'suspended', false],
    ['suspended', 'suspended', true],
    ['suspended', 'off', true],
    ['suspended', 'on', false],
    ['off', 'off', true],
    ['off', 'suspended', true],
    ['off', 'on', false],
  ] as const)('desired %s, current %s → %s', (desired, power, ok) => {
    expect(satisfied(desired as DesiredPower, power)).toBe(ok);
  });
});

describe('a parent chain', () => {
  // rack (grandparent) → pve (parent) → vm (child); only the child wants to be on.
  const chain = (rack: PowerState, pve: PowerState, vm: PowerState) => [
    srv('rack', rack),
    srv('pve', pve, { parentId: 'rack' }),
    srv('vm', vm, { parentId: 'pve', desired: 'on' }),
  ];

  it('wakes the topmost sleeping ancestor first and lets the child wait', () => {
    const steps = planReconcile(chain('suspended', 'off', 'off'), none, 0);
    expect(acts(steps)).toEqual(['wake rack']);
    expect(stepOf(steps, 'vm')).toMatchObject({ kind: 'wait', reason: 'waiting for rack to wake' });
  });

  it('waits while the grandparent is waking: nothing else is sent', () => {
    const steps = planReconcile(chain('waking', 'off', 'off'), none, 0);
    expect(acts(steps)).toEqual([]);
    expect(stepOf(steps, 'vm')).toMatchObject({ kind: 'wait', reason: 'waiting for rack to wake' });
  });

  it('then wakes the parent once the grandparent is on', () => {
    expect(acts(planReconcile(chain('on', 'off', 'off'), none, 0))).toEqual(['wake pve']);
  });

  it('then the child itself once every ancestor is on', () => {
    expect(acts(planReconcile(chain('on', 'init_failed', 'suspended'), none, 0))).toEqual(['wake vm']);
  });

  it('is done when the child is on', () => {
    expect(planReconcile(chain('on', 'on', 'on'), none, 0)).toEqual([{ kind: 'done', id: 'vm' }]);
  });

  it('two children of one sleeping parent cause one wake', () => {
    const servers = [srv('pve', 'off'), srv('a', 'off', { parentId: 'pve', desired: 'on' }), srv('b', 'off', { parentId: 'pve', desired: 'on' })];
    const steps = planReconcile(servers, none, 0);
    expect(acts(steps)).toEqual(['wake pve']);
    expect(steps.filter((s) => s.kind === 'wait').map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('blocks when an ancestor cannot be woken', () => {
    const servers = [srv('pve', 'off', { capabilities: { ...ALL, wake: false } }), srv('vm', 'off', { parentId: 'pve', desired: 'on' })];
    expect(planReconcile(servers, none, 0)).toEqual([{ kind: 'blocked', id: 'vm', reason: expect.stringMatching(/parent pve is down and cannot be woken/) }]);
  });

  it('waits while an ancestor state is unknown', () => {
    const steps = planReconcile(chain('unknown', 'off', 'off'), none, 0);
    expect(acts(steps)).toEqual([]);
    expect(stepOf(steps, 'vm')).toMatchObject({ kind: 'wait', reason: expect.stringMatching(/whether rack is up/) });
  });
});

describe('a cycle', () => {
  const servers = [srv('a', 'off', { parentId: 'c', desired: 'on' }), srv('b', 'off', { parentId: 'a' }), srv('c', 'off', { parentId: 'b', desired: 'on' }), srv('leaf', 'off', { parentId: 'a', desired: 'on' })];

  it('is named', () => {
    const cycles = cyclesOf(servers);
    expect(cycles.get('a')).toBe('a → c → b → a');
    expect(cycles.has('b') && cycles.has('c')).toBe(true);
  });

  it('is refused: no action for anything on it or under it', () => {
    const steps = planReconcile(servers, none, 0);
    expect(acts(steps)).toEqual([]);
    expect(steps.filter((s) => s.kind === 'blocked').map((s) => s.id).sort()).toEqual(['a', 'c', 'leaf']);
    expect(stepOf(steps, 'leaf')).toMatchObject({ reason: expect.stringMatching(/parents form a cycle: /) });
  });

  it('a self-parent is a cycle too', () => {
    expect(planReconcile([srv('x', 'off', { parentId: 'x', desired: 'on' })], none, 0)).toEqual([{ kind: 'blocked', id: 'x', reason: 'parents form a cycle: x → x' }]);
  });
});

describe('powering down', () => {
  it('suspends or shuts down a server that is on', () => {
    const steps = planReconcile([srv('a', 'on', { desired: 'suspended' }), srv('b', 'on', { desired: 'off' })], none, 0);
    expect(acts(steps)).toEqual(['suspend a', 'shutdown b']);
  });

  it('never powers a parent down under running children', () => {
    const steps = planReconcile([srv('pve', 'on', { desired: 'off' }), srv('vm', 'on', { parentId: 'pve' })], none, 0);
    expect(acts(steps)).toEqual([]);
    expect(stepOf(steps, 'pve')).toMatchObject({ kind: 'blocked', reason: expect.stringMatching(/still runs vm/) });
  });

  it('does not act on a server without the capability, or while a command runs, or before its state is known', () => {
    const steps = planReconcile(
      [srv('a', 'on', { desired: 'suspended', capabilities: { ...ALL, suspend: false } }), srv('b', 'suspending', { desired: 'off' }), srv('c', 'unknown', { desired: 'on' })],
      none,
      0,
    );
    expect(acts(steps)).toEqual([]);
    expect(steps.map((s) => s.kind)).toEqual(['blocked', 'wait', 'wait']);
  });
});

describe('retries with backoff', () => {
  it('backs off 10 s, 20 s, 40 s… and gives up at the limit', () => {
    const servers = [srv('a', 'off', { desired: 'on' })];
    let memory = new Map<string, AttemptMemory>();
    let now = 0;
    const sentAt: number[] = [];
    while (now < 3_600_000) {
      const steps = planReconcile(servers, memory, now, { baseBackoffMs: 10_000, maxBackoffMs: 600_000, maxAttempts: 4 });
      if (acts(steps).length > 0) {
        sentAt.push(now);
        memory = recordAttempt(memory, 'a', 'on', now, { baseBackoffMs: 10_000, maxBackoffMs: 600_000, maxAttempts: 4 });
      }
      if (steps[0]?.kind === 'blocked') break;
      now += 1_000;
    }
    expect(sentAt).toEqual([0, 10_000, 30_000, 70_000]);
    expect(planReconcile(servers, memory, now, { baseBackoffMs: 10_000, maxBackoffMs: 600_000, maxAttempts: 4 })[0]).toMatchObject({ kind: 'blocked', reason: expect.stringMatching(/gave up after 4/) });
  });

  it('memory is forgotten when the goal is reached or the desired state changes', () => {
    let memory = recordAttempt(new Map(), 'a', 'on', 0);
    memory = recordAttempt(memory, 'b', 'on', 0);
    memory = recordAttempt(memory, 'pve', 'on', 0);
    const pruned = pruneMemory(memory, [srv('a', 'on', { desired: 'on' }), srv('b', 'off', { desired: 'off' }), srv('pve', 'off')]);
    expect([...pruned.keys()]).toEqual(['pve']);
  });
});
