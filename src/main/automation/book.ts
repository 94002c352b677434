import type { AutomationSettings, IdlePolicy, Schedule, ScheduleInput, ScheduleView } from '../../shared/contract/automation';
import { scheduleInputSchema } from '../../shared/contract/automation';
import type { ServerConfig } from '../../shared/server';
import { HandlerError, notFound } from '../base/errors';
import { nextRunAfter, readWhen } from './when';

/**
 * Edits of the automation settings (pure): each returns the next settings or refuses with the
 * reason, changing nothing. The service saves what these return.
 */

/** A new schedule checked against the inventory and croner; `newId` names it. */
export function addSchedule(s: AutomationSettings, input: ScheduleInput, servers: readonly ServerConfig[], newId: string): { next: AutomationSettings; schedule: Schedule } {
  const parsed = scheduleInputSchema.parse(input);
  const when = readWhen(parsed.when, parsed.timezone);
  if (!when.ok) throw new HandlerError('bad_request', when.error);
  let target = parsed.target;
  if ('serverId' in target) {
    const ref = target.serverId;
    const server = servers.find((x) => x.id === ref) ?? servers.find((x) => x.name.toLowerCase() === ref.toLowerCase());
    if (!server) throw notFound(`Server "${ref}"`);
    target = { serverId: server.id };
  }
  // A group without members yet is allowed (servers may join it later): the next-24-h view says so.
  if (s.schedules.length >= 1000) throw new HandlerError('conflict', 'At most 1000 schedules: remove one first');
  const schedule: Schedule = { ...parsed, target, id: newId };
  return { next: { ...s, schedules: [...s.schedules, schedule] }, schedule };
}

export function removeSchedule(s: AutomationSettings, id: string): AutomationSettings {
  if (!s.schedules.some((x) => x.id === id)) throw notFound(`Schedule "${id}"`);
  return { ...s, schedules: s.schedules.filter((x) => x.id !== id) };
}

/** A schedule as listed, with the cron it runs and its next time after `now`. */
export function scheduleView(s: Schedule, now: number): ScheduleView {
  const when = readWhen(s.when, s.timezone);
  if (!when.ok) return { ...s, cron: '' };
  const nextAt = s.enabled ? nextRunAfter(when.cron, s.timezone, now) : undefined;
  return { ...s, cron: when.cron, ...(nextAt !== undefined ? { nextAt } : {}) };
}

/** Sets a server's idle policy, replacing the one it had. */
export function setIdle(s: AutomationSettings, policy: IdlePolicy): AutomationSettings {
  return { ...s, idle: [...s.idle.filter((p) => p.serverId !== policy.serverId), policy] };
}

export function removeIdle(s: AutomationSettings, serverId: string): AutomationSettings {
  if (!s.idle.some((p) => p.serverId === serverId)) throw new HandlerError('not_found', `No idle auto-suspend is set for "${serverId}"`);
  return { ...s, idle: s.idle.filter((p) => p.serverId !== serverId) };
}

/** Holds idle auto-suspend off `serverId` until `until`; holds already over are dropped. */
export function holdAwake(s: AutomationSettings, serverId: string, until: number, now: number): AutomationSettings {
  const keepAwake: Record<string, number> = {};
  for (const [id, at] of Object.entries(s.keepAwake)) if (at > now) keepAwake[id] = at;
  keepAwake[serverId] = until;
  return { ...s, keepAwake };
}

/** Drops what names a server that was removed. */
export function forgetServer(s: AutomationSettings, serverId: string): AutomationSettings {
  const { [serverId]: _held, ...keepAwake } = s.keepAwake;
  return {
    ...s,
    schedules: s.schedules.filter((x) => !('serverId' in x.target) || x.target.serverId !== serverId),
    idle: s.idle.filter((p) => p.serverId !== serverId),
    keepAwake,
  };
}
