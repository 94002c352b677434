import { Cron } from 'croner';
import type { MaintenanceWindow } from '../../../shared/contract/alert-policy';

/**
 * Maintenance windows (pure; the time is passed in): is a server inside one now, and until when.
 * A one-off window is [start, end); a recurring one starts at each time its cron expression
 * names (in its time zone, DST and all, by croner) and lasts its duration. Overlapping windows
 * silence until the latest of their ends.
 */
export interface MaintenanceSubject {
  id: string;
  /** Admin-defined groups (`ServerConfig.groups`); read defensively: absent or malformed is none. */
  groups?: unknown;
}

export interface InMaintenance {
  window: MaintenanceWindow;
  until: number;
}

const MINUTE = 60_000;

export function groupsOf(subject: MaintenanceSubject): string[] {
  return Array.isArray(subject.groups) ? subject.groups.filter((g): g is string => typeof g === 'string') : [];
}

export function targets(window: MaintenanceWindow, subject: MaintenanceSubject): boolean {
  return 'serverId' in window.target ? window.target.serverId === subject.id : groupsOf(subject).includes(window.target.group);
}

/** When the window's occurrence that covers `now` ends, or undefined when none does. */
export function windowEnd(window: MaintenanceWindow, now: number): number | undefined {
  if (window.start !== undefined && window.end !== undefined) return now >= window.start && now < window.end ? window.end : undefined;
  if (window.cron === undefined || window.durationMinutes === undefined) return undefined;
  const duration = window.durationMinutes * MINUTE;
  const cron = new Cron(window.cron, { paused: true, ...(window.timezone ? { timezone: window.timezone } : {}) });
  try {
    // The last start at or before now (croner's previous run is strictly before its reference).
    const [last] = cron.previousRuns(1, new Date(now + 1));
    if (!last) return undefined;
    const end = last.getTime() + duration;
    return now < end ? end : undefined;
  } finally {
    cron.stop();
  }
}

export function maintenanceFor(windows: readonly MaintenanceWindow[], subject: MaintenanceSubject, now: number): InMaintenance | undefined {
  let best: InMaintenance | undefined;
  for (const window of windows) {
    if (!targets(window, subject)) continue;
    const until = windowEnd(window, now);
    if (until !== undefined && (!best || until > best.until)) best = { window, until };
  }
  return best;
}

/** The next time a window of this subject starts, for the card ("maintenance at …"), within a week. */
export function nextMaintenance(windows: readonly MaintenanceWindow[], subject: MaintenanceSubject, now: number): number | undefined {
  let next: number | undefined;
  for (const window of windows) {
    if (!targets(window, subject)) continue;
    let start: number | undefined;
    if (window.start !== undefined) start = window.start > now ? window.start : undefined;
    else if (window.cron !== undefined) {
      const cron = new Cron(window.cron, { paused: true, ...(window.timezone ? { timezone: window.timezone } : {}) });
      start = cron.nextRun(new Date(now))?.getTime();
      cron.stop();
    }
    if (start !== undefined && start - now <= 7 * 24 * 60 * MINUTE && (next === undefined || start < next)) next = start;
  }
  return next;
}
