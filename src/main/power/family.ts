import { isTransitional, type PowerState } from '../../shared/power';
import type { ServerConfig } from '../../shared/server';
import type { RuntimeState } from '../inventory/status';
import { isUp } from './machine';

/**
 * The parent tree, pure: a host's parents, its running children, and how far up a sleeping
 * ancestor is. A parent cycle (refused by the inventory, but never trusted) ends the walk.
 */

type Servers = readonly ServerConfig[];

export function parentOf(servers: Servers, server: Pick<ServerConfig, 'parentId'>): ServerConfig | undefined {
  return server.parentId ? servers.find((s) => s.id === server.parentId) : undefined;
}

/** A server's ancestors, the topmost first. */
export function ancestorsOf(servers: Servers, server: ServerConfig): ServerConfig[] {
  const chain: ServerConfig[] = [];
  const seen = new Set([server.id]);
  for (let p = parentOf(servers, server); p && !seen.has(p.id); p = parentOf(servers, p)) {
    seen.add(p.id);
    chain.unshift(p);
  }
  return chain;
}

/** Children that are up or on their way somewhere: they would go down with their parent. */
export function runningChildren(servers: Servers, id: string, powerOf: (id: string) => PowerState): ServerConfig[] {
  return servers.filter((s) => {
    if (s.parentId !== id) return false;
    const power = powerOf(s.id);
    return isUp(power) || isTransitional(power);
  });
}

/** The topmost ancestor that is not up (what a guest's start has to wake first). */
export function firstAncestorDown(servers: Servers, server: ServerConfig, powerOf: (id: string) => PowerState): ServerConfig | undefined {
  return ancestorsOf(servers, server).find((p) => !isUp(powerOf(p.id)));
}

/** The latest deadline among transitional ancestors, when any is on its way. */
export function ancestorDeadline(servers: Servers, server: ServerConfig, runtimeOf: (id: string) => RuntimeState | undefined): number | undefined {
  let latest: number | undefined;
  for (const p of ancestorsOf(servers, server)) {
    const rt = runtimeOf(p.id);
    if (rt && isTransitional(rt.power) && rt.transition) latest = Math.max(latest ?? 0, rt.transition.deadline);
  }
  return latest;
}
