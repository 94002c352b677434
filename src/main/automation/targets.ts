import type { ScheduleTarget } from '../../shared/contract/automation';
import type { PowerState } from '../../shared/power';
import type { ServerConfig } from '../../shared/server';

/** States in which a child still runs: a parent must not go down under it. */
const RUNNING: ReadonlySet<PowerState> = new Set<PowerState>(['on', 'paused', 'waking', 'rebooting', 'suspending', 'stopping']);

/**
 * The groups a server is in. `ServerConfig.groups` comes with the groups work (issue 17); read
 * defensively so a config without it, or with something else there, means "no group".
 */
export function groupsOf(server: ServerConfig): string[] {
  const groups: unknown = (server as { groups?: unknown }).groups;
  return Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
}

/** The servers a schedule acts on now (pure): the one it names, or every member of its group. */
export function membersOf(target: ScheduleTarget, servers: readonly ServerConfig[]): ServerConfig[] {
  if ('serverId' in target) return servers.filter((s) => s.id === target.serverId);
  return servers.filter((s) => groupsOf(s).includes(target.group));
}

/** Names of the children of `id` that run (pure). */
export function childrenOn(id: string, servers: readonly ServerConfig[], powerOf: (id: string) => PowerState | undefined): string[] {
  return servers.filter((s) => s.parentId === id && RUNNING.has(powerOf(s.id) ?? 'unknown')).map((s) => s.name);
}

/** How a target reads in a list: the server's name, or "group NAME". */
export function targetLabel(target: ScheduleTarget, servers: readonly ServerConfig[]): string {
  if ('group' in target) return `group ${target.group}`;
  return servers.find((s) => s.id === target.serverId)?.name ?? target.serverId;
}
