import type { AutomationRun, Schedule, UpcomingRun } from '../../shared/contract/automation';
import type { ServerConfig } from '../../shared/server';
import { membersOf } from './targets';
import { readWhen, runTimes } from './when';

/**
 * What the schedules will do in (from, until] (pure), in time order: each run with the servers
 * it would act on as the inventory stands now. A schedule whose `when` no longer reads (edited
 * by hand in config.json) is left out; the service says so when it loads.
 */
export function upcoming(schedules: readonly Schedule[], servers: readonly ServerConfig[], from: number, until: number): UpcomingRun[] {
  const out: UpcomingRun[] = [];
  for (const s of schedules) {
    if (!s.enabled) continue;
    const when = readWhen(s.when, s.timezone);
    if (!when.ok) continue;
    const members = membersOf(s.target, servers);
    for (const at of runTimes(when.cron, s.timezone, from, until, 500)) {
      out.push({
        at,
        scheduleId: s.id,
        ...(s.name ? { scheduleName: s.name } : {}),
        action: s.action,
        serverIds: members.map((m) => m.id),
        ...(members.length === 0 ? { note: 'group' in s.target ? `group ${s.target.group} has no member` : 'the server is no longer in the inventory' } : {}),
      });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.scheduleId.localeCompare(b.scheduleId));
}

/** The schedules due in (after, now] (pure): each with the run time it is due for (the latest, when several passed). */
export function dueSchedules(schedules: readonly Schedule[], after: number, now: number): Array<{ schedule: Schedule; at: number }> {
  const due: Array<{ schedule: Schedule; at: number }> = [];
  for (const s of schedules) {
    if (!s.enabled) continue;
    const when = readWhen(s.when, s.timezone);
    if (!when.ok) continue;
    // Several run times may have passed (the machine slept): the latest one runs, once.
    const times = runTimes(when.cron, s.timezone, after, now, 10_000);
    const at = times[times.length - 1];
    if (at !== undefined) due.push({ schedule: s, at });
  }
  return due;
}

/** Keeps the runs of the last `windowMs` before `now`, newest first, at most `max` (pure). */
export function recentRuns(runs: readonly AutomationRun[], now: number, windowMs: number, max = 500): AutomationRun[] {
  return runs.filter((r) => r.at > now - windowMs && r.at <= now).sort((a, b) => b.at - a.at).slice(0, max);
}
