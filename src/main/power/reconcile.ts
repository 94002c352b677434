import type { PowerState } from '../../shared/power';
import type { DesiredPower, PowerAction, PowerCapabilities } from '../../shared/server';
import { backoffMs } from './backoff';
import { isUp } from './machine';

/**
 * The reconcile planner, pure: desired vs current for every server → what to do now. It wakes
 * the topmost sleeping ancestor first and lets the children wait until it is up, never powers a
 * parent down under running children, backs off between attempts and gives up at a limit, and
 * refuses to act on a parent chain that loops.
 */
export interface ReconcileServer {
  id: string;
  name: string;
  parentId?: string;
  desired?: DesiredPower;
  power: PowerState;
  transitioning: boolean;
  capabilities: PowerCapabilities;
  /** Why Wake-on-LAN cannot bring it back (init saw WoL off on its interface): waking it is not tried. */
  wakeBlocked?: string;
}

export interface AttemptMemory {
  desired: DesiredPower;
  attempts: number;
  nextAt: number;
}

export interface ReconcilePolicy {
  baseBackoffMs: number;
  maxBackoffMs: number;
  maxAttempts: number;
}

export const DEFAULT_RECONCILE_POLICY: ReconcilePolicy = { baseBackoffMs: 10_000, maxBackoffMs: 600_000, maxAttempts: 6 };

export type ReconcileStep =
  | { kind: 'act'; id: string; action: PowerAction; reason: string }
  | { kind: 'wait'; id: string; reason: string }
  | { kind: 'blocked'; id: string; reason: string }
  | { kind: 'done'; id: string };

export function satisfied(desired: DesiredPower, power: PowerState): boolean {
  switch (desired) {
    case 'on':
      return isUp(power);
    // A machine that is off already draws no more than a sleeping one: never wake it just to put it to sleep.
    // A paused guest is a Proxmox guest's suspend.
    case 'suspended':
      return power === 'suspended' || power === 'off' || power === 'stopped' || power === 'paused';
    // Nor wake a sleeping machine (or resume a paused guest) just to shut it down.
    case 'off':
      return power === 'off' || power === 'stopped' || power === 'suspended' || power === 'paused';
  }
}

/** The ids on a parent cycle, each mapped to the cycle's names, e.g. "a → b → a". */
export function cyclesOf(servers: readonly Pick<ReconcileServer, 'id' | 'name' | 'parentId'>[]): Map<string, string> {
  const byId = new Map(servers.map((s) => [s.id, s]));
  const out = new Map<string, string>();
  for (const start of servers) {
    const seen: string[] = [];
    let cur: (typeof servers)[number] | undefined = start;
    while (cur && !out.has(cur.id)) {
      const at = seen.indexOf(cur.id);
      if (at >= 0) {
        const loop = seen.slice(at);
        const text = [...loop, cur.id].map((id) => byId.get(id)?.name ?? id).join(' → ');
        for (const id of loop) out.set(id, text);
        break;
      }
      seen.push(cur.id);
      cur = cur.parentId ? byId.get(cur.parentId) : undefined;
    }
    // Everything hanging below a cycle is caught by it too.
    const hit = cur && out.has(cur.id) ? cur.id : seen.find((id) => out.has(id));
    if (hit) for (const id of seen) if (!out.has(id)) out.set(id, out.get(hit) as string);
  }
  return out;
}

export function planReconcile(
  servers: readonly ReconcileServer[],
  memory: ReadonlyMap<string, AttemptMemory>,
  now: number,
  policy: ReconcilePolicy = DEFAULT_RECONCILE_POLICY,
): ReconcileStep[] {
  const byId = new Map(servers.map((s) => [s.id, s]));
  const cycles = cyclesOf(servers);
  const steps: ReconcileStep[] = [];
  const acting = new Set<string>();

  const gate = (s: ReconcileServer, desired: DesiredPower): Extract<ReconcileStep, { kind: 'wait' | 'blocked' }> | undefined => {
    const m = memory.get(s.id);
    if (!m || m.desired !== desired) return undefined;
    if (m.attempts >= policy.maxAttempts) return { kind: 'blocked', id: s.id, reason: `gave up after ${m.attempts} attempts; set the desired state again to retry` };
    if (now < m.nextAt) return { kind: 'wait', id: s.id, reason: `retrying in ${Math.ceil((m.nextAt - now) / 1000)} s` };
    return undefined;
  };

  const act = (s: ReconcileServer, action: PowerAction, desired: DesiredPower, reason: string, forId: string): ReconcileStep => {
    const held = gate(s, desired);
    if (held) return s.id === forId ? held : { kind: 'wait', id: forId, reason: `waiting for ${s.name}: ${held.reason}` };
    if (acting.has(s.id)) return s.id === forId ? { kind: 'wait', id: forId, reason: 'already being acted on' } : { kind: 'wait', id: forId, reason: `waiting for ${s.name} to wake` };
    acting.add(s.id);
    const step: ReconcileStep = { kind: 'act', id: s.id, action, reason };
    if (s.id === forId) return step;
    steps.push(step);
    return { kind: 'wait', id: forId, reason: `waiting for ${s.name} to wake` };
  };

  for (const s of servers) {
    if (!s.desired) continue;
    const cycle = cycles.get(s.id);
    if (cycle) {
      steps.push({ kind: 'blocked', id: s.id, reason: `parents form a cycle: ${cycle}` });
      continue;
    }
    if (s.transitioning) {
      steps.push({ kind: 'wait', id: s.id, reason: 'a power command is in progress' });
      continue;
    }
    if (satisfied(s.desired, s.power)) {
      steps.push({ kind: 'done', id: s.id });
      continue;
    }
    // A guest whose node is down is unknown to its cluster: waking the node first is how it becomes known.
    if (s.power === 'unknown' && !(s.desired === 'on' && ancestorDown(s, byId))) {
      steps.push({ kind: 'wait', id: s.id, reason: 'its state is not known yet' });
      continue;
    }
    if (s.desired === 'on') {
      steps.push(planWake(s, byId, act));
      continue;
    }
    const action: PowerAction = s.desired === 'suspended' ? 'suspend' : 'shutdown';
    const running = servers.filter((c) => c.parentId === s.id && (isUp(c.power) || c.transitioning || c.desired === 'on'));
    if (running.length > 0) {
      steps.push({ kind: 'blocked', id: s.id, reason: `it still runs ${running.map((c) => c.name).join(', ')}; power those down first` });
      continue;
    }
    if (!s.capabilities[action]) {
      steps.push({ kind: 'blocked', id: s.id, reason: `it cannot ${action === 'suspend' ? 'be suspended' : 'be shut down'}: set up SSH or a custom command` });
      continue;
    }
    steps.push(act(s, action, s.desired, `desired ${s.desired}`, s.id));
  }
  return steps;
}

function planWake(
  s: ReconcileServer,
  byId: ReadonlyMap<string, ReconcileServer>,
  act: (s: ReconcileServer, action: PowerAction, desired: DesiredPower, reason: string, forId: string) => ReconcileStep,
): ReconcileStep {
  // Ancestors from the top down: the first one that is not up is the one to wake now.
  const chain: ReconcileServer[] = [];
  const seen = new Set([s.id]);
  for (let p = s.parentId ? byId.get(s.parentId) : undefined; p && !seen.has(p.id); p = p.parentId ? byId.get(p.parentId) : undefined) {
    seen.add(p.id);
    chain.unshift(p);
  }
  for (const a of chain) {
    if (isUp(a.power)) continue;
    if (a.transitioning) return { kind: 'wait', id: s.id, reason: `waiting for ${a.name} to ${a.power === 'waking' ? 'wake' : 'settle'}` };
    if (a.power === 'unknown') return { kind: 'wait', id: s.id, reason: `waiting to learn whether ${a.name} is up` };
    if (!a.capabilities.wake) return { kind: 'blocked', id: s.id, reason: `its parent ${a.name} is down and cannot be woken (no MAC or wake command)` };
    if (a.wakeBlocked) return { kind: 'blocked', id: s.id, reason: `its parent ${a.name} is down and cannot be woken: ${a.wakeBlocked}` };
    return act(a, 'wake', 'on', `parent of ${s.name}`, s.id);
  }
  if (!s.capabilities.wake) return { kind: 'blocked', id: s.id, reason: 'it cannot be woken: set its MAC address or a wake command' };
  if (s.wakeBlocked) return { kind: 'blocked', id: s.id, reason: `it cannot be woken: ${s.wakeBlocked}` };
  return act(s, 'wake', 'on', 'desired on', s.id);
}

/** Whether an ancestor is known not to be up (down, asleep, or on its way). */
function ancestorDown(s: ReconcileServer, byId: ReadonlyMap<string, ReconcileServer>): boolean {
  const seen = new Set([s.id]);
  for (let p = s.parentId ? byId.get(s.parentId) : undefined; p && !seen.has(p.id); p = p.parentId ? byId.get(p.parentId) : undefined) {
    seen.add(p.id);
    if (!isUp(p.power) && p.power !== 'unknown') return true;
  }
  return false;
}

/** Memory after an action was issued for `desired`. */
export function recordAttempt(memory: ReadonlyMap<string, AttemptMemory>, id: string, desired: DesiredPower, now: number, policy: ReconcilePolicy = DEFAULT_RECONCILE_POLICY): Map<string, AttemptMemory> {
  const prev = memory.get(id);
  const attempts = prev && prev.desired === desired ? prev.attempts + 1 : 1;
  const next = new Map(memory);
  next.set(id, { desired, attempts, nextAt: now + backoffMs(attempts, policy.baseBackoffMs, policy.maxBackoffMs) });
  return next;
}

/**
 * Forgets attempts that no longer matter: the goal was reached, or the admin set another
 * desired state. (An ancestor woken for a child has no desired state of its own; its entry
 * lives until it is up.)
 */
export function pruneMemory(memory: ReadonlyMap<string, AttemptMemory>, servers: readonly Pick<ReconcileServer, 'id' | 'desired' | 'power'>[]): Map<string, AttemptMemory> {
  const byId = new Map(servers.map((s) => [s.id, s]));
  const next = new Map(memory);
  for (const [id, m] of memory) {
    const s = byId.get(id);
    if (!s || satisfied(m.desired, s.power) || (s.desired !== undefined && s.desired !== m.desired)) next.delete(id);
  }
  return next;
}
