import type { BulkPlanView, BulkSkipView, BulkStepView, BulkTarget } from '../../shared/contract/groups';
import { isTransitional, type PowerState } from '../../shared/power';
import type { PowerAction, PowerCapabilities, ServerConfig } from '../../shared/server';
import { VERB } from './commands';
import { ancestorsOf } from './family';
import { isProxmoxGuest } from './guests';
import { canStart, isUp } from './machine';

/**
 * A bulk power action's plan, pure: which servers a target selects, which of them are skipped
 * and why, in which order the rest go, and when each is sent. Wakes go parents first (a
 * sleeping parent the selection needs is added) and are spaced by the delay, so the machines do
 * not draw their inrush current at once; power-downs go children first, a parent only after its
 * children in the plan settled, and never a parent whose running children are left out. Proxmox
 * guests whose node stays up go in their cluster's one bulk call instead.
 */

export interface PlanWorld {
  servers: readonly ServerConfig[];
  powerOf(id: string): PowerState;
  capabilities(server: ServerConfig): PowerCapabilities;
  /** A server's Proxmox tags (from discovery). */
  tagsOf(id: string): readonly string[];
  /** Whether Proxmox drives the guests (their cluster's bulk call is there to use). */
  guestBulk: boolean;
}

/** The servers a target selects, in inventory order, and the refs that name none. */
export function selectTarget(world: Pick<PlanWorld, 'servers' | 'tagsOf'>, target: BulkTarget): { members: ServerConfig[]; unknown: string[] } {
  let pool: readonly ServerConfig[] = world.servers;
  const unknown: string[] = [];
  if (target.servers) {
    const picked = new Set<string>();
    for (const ref of target.servers) {
      const s = world.servers.find((x) => x.id === ref) ?? world.servers.find((x) => x.name.toLowerCase() === ref.toLowerCase());
      if (s) picked.add(s.id);
      else unknown.push(ref);
    }
    pool = world.servers.filter((s) => picked.has(s.id));
  }
  const members = pool.filter((s) => (target.group === undefined || (s.groups?.includes(target.group) ?? false)) && (target.tag === undefined || world.tagsOf(s.id).includes(target.tag)));
  return { members, unknown };
}

/** Actions that bring machines up: their steps are spaced by the delay. */
const STAGGERED: ReadonlySet<PowerAction> = new Set(['wake', 'reboot']);
/** Actions a cluster's bulk call does (start, shutdown, suspend; hibernate is a suspend to disk). */
const CLUSTER_BULK: ReadonlySet<PowerAction> = new Set(['wake', 'shutdown', 'suspend', 'hibernate']);

export function planBulk(world: PlanWorld, members: readonly ServerConfig[], action: PowerAction, spacingMs: number): BulkPlanView {
  const skipped: BulkSkipView[] = [];
  const skip = (s: ServerConfig, reason: string): void => void skipped.push({ serverId: s.id, name: s.name, reason });
  const verb = VERB[action];

  // 1. Each member on its own: can it do this at all, and does its state allow it now?
  let going: ServerConfig[] = [];
  for (const s of members) {
    if (!world.capabilities(s)[action]) {
      skip(s, action === 'wake' ? 'it has no valid MAC address or wake command' : `it cannot ${verb}: no SSH settings or command for it`);
      continue;
    }
    const can = canStart(world.powerOf(s.id), action);
    if (!can.ok) skip(s, can.reason);
    else going.push(s);
  }

  const added = new Map<string, string>();
  if (action === 'wake') going = withParents(world, going, added, skip);
  else going = withoutOrphaningChildren(world, going, skip, verb);

  // 2. Order: parents first for a wake, children first otherwise; inventory order within a depth.
  const depth = (s: ServerConfig): number => ancestorsOf(world.servers, s).length;
  const index = new Map(world.servers.map((s, i) => [s.id, i]));
  const sign = action === 'wake' ? 1 : -1;
  going.sort((a, b) => sign * (depth(a) - depth(b)) || (index.get(a.id) ?? 0) - (index.get(b.id) ?? 0));

  // 3. How each goes, and when.
  const ids = new Set(going.map((s) => s.id));
  const staggered = STAGGERED.has(action);
  const spacing = staggered ? spacingMs : 0;
  const host: BulkStepView[] = [];
  const cluster: BulkStepView[] = [];
  for (const s of going) {
    // A guest whose node is not part of this plan needs nothing waited for: its cluster runs it.
    const viaCluster = world.guestBulk && CLUSTER_BULK.has(action) && isProxmoxGuest(s) && !(s.parentId && ids.has(s.parentId));
    const step: BulkStepView = { serverId: s.id, name: s.name, offsetMs: 0, via: viaCluster ? 'proxmox' : 'host' };
    const addedFor = added.get(s.id);
    if (addedFor) step.addedFor = addedFor;
    // A parent goes down after its children (a reboot's children come back up: nothing to wait for).
    if (action !== 'wake' && action !== 'reboot') {
      const kids = going.filter((c) => c.parentId === s.id).map((c) => c.id);
      if (kids.length > 0) step.after = kids;
    }
    (viaCluster ? cluster : host).push(step);
  }
  host.forEach((step, i) => (step.offsetMs = i * spacing));
  return { action, spacingMs: spacing, selected: members.length, steps: [...cluster, ...host], skipped };
}

/** Wakes: each member's sleeping ancestors are woken first (added to the plan), or it is skipped when one cannot be. */
function withParents(world: PlanWorld, going: ServerConfig[], added: Map<string, string>, skip: (s: ServerConfig, reason: string) => void): ServerConfig[] {
  const out = new Map(going.map((s) => [s.id, s]));
  for (const s of going) {
    const needed: ServerConfig[] = [];
    let blocked: string | undefined;
    for (const p of ancestorsOf(world.servers, s)) {
      const power = world.powerOf(p.id);
      // Up, or already on its way: the member's own command waits for it.
      if (isUp(power) || isTransitional(power) || out.has(p.id)) continue;
      if (!world.capabilities(p).wake) {
        blocked = `its parent ${p.name} is ${power} and cannot be woken`;
        break;
      }
      needed.push(p);
    }
    if (blocked) {
      out.delete(s.id);
      skip(s, blocked);
      continue;
    }
    for (const p of needed) {
      if (!out.has(p.id)) added.set(p.id, s.name);
      out.set(p.id, p);
    }
  }
  return [...out.values()];
}

/** Power-downs: a parent whose running children are not all going down with the plan is left alone. */
function withoutOrphaningChildren(world: PlanWorld, going: ServerConfig[], skip: (s: ServerConfig, reason: string) => void, verb: string): ServerConfig[] {
  let set = new Map(going.map((s) => [s.id, s]));
  // A child skipped makes its parent's step unsafe too, so repeat until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of set.values()) {
      const running = world.servers.filter((c) => c.parentId === s.id && (isUp(world.powerOf(c.id)) || isTransitional(world.powerOf(c.id))));
      const left = running.filter((c) => !set.has(c.id));
      if (left.length === 0) continue;
      skip(s, `it still runs ${left.map((c) => c.name).join(', ')}, not in this selection: ${verb} those too, or on their own first`);
      set = new Map([...set].filter(([id]) => id !== s.id));
      changed = true;
      break;
    }
  }
  return [...set.values()];
}
