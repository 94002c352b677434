import { Cron } from 'croner';

/**
 * When a schedule runs (pure): the simple forms an admin types ("weekdays 07:00", "daily 23:30",
 * "sat,sun 09:00") read as the cron expression they mean, and a cron expression's run times in a
 * time zone. croner does the calendar arithmetic, DST included: a 02:30 that does not exist on
 * the spring-forward night runs at the first minute after the gap, and a 02:30 that happens
 * twice runs once.
 */

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_WORDS: Record<string, string> = {
  daily: '*',
  everyday: '*',
  'every day': '*',
  weekdays: '1-5',
  weekday: '1-5',
  weekends: '0,6',
  weekend: '0,6',
};

export type When = { ok: true; cron: string } | { ok: false; error: string };

/** A day name (mon, monday, Mon.) as cron's number, or undefined. */
function dayNumber(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  const i = DAY_NAMES.findIndex((d) => w === d || w === fullNameOf(d));
  return i < 0 ? undefined : i;
}

function fullNameOf(short: string): string {
  return { sun: 'sunday', mon: 'monday', tue: 'tuesday', wed: 'wednesday', thu: 'thursday', fri: 'friday', sat: 'saturday' }[short] ?? short;
}

/** "sat,sun", "mon-fri", "weekdays", "daily" as cron's day-of-week field, or undefined. */
function daysField(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (t in DAY_WORDS) return DAY_WORDS[t];
  const parts: string[] = [];
  for (const item of t.split(/\s*,\s*/)) {
    const range = item.split(/\s*-\s*/);
    if (range.length === 1) {
      const n = dayNumber(range[0] ?? '');
      if (n === undefined) return undefined;
      parts.push(String(n));
    } else if (range.length === 2) {
      const a = dayNumber(range[0] ?? '');
      const b = dayNumber(range[1] ?? '');
      if (a === undefined || b === undefined) return undefined;
      parts.push(`${a}-${b}`);
    } else return undefined;
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}

/**
 * Reads `when` as the cron expression it means: a simple form "<days> HH:MM" (days: daily,
 * weekdays, weekends, day names and ranges), or a cron expression of 5 or 6 fields as is.
 * Checks the result (and the time zone) with croner, so what is saved can run.
 */
export function readWhen(when: string, timezone?: string): When {
  const text = when.trim().replace(/\s+/g, ' ');
  const simple = /^(.+?) (?:at )?(\d{1,2}):(\d{2})$/i.exec(text);
  let cron: string;
  if (simple) {
    const days = daysField(simple[1] ?? '');
    const hour = Number(simple[2]);
    const minute = Number(simple[3]);
    if (days === undefined) return { ok: false, error: `"${simple[1]}" is not a day form: use daily, weekdays, weekends, or day names like sat,sun or mon-fri` };
    if (hour > 23 || minute > 59) return { ok: false, error: `${simple[2]}:${simple[3]} is not a time of day (00:00 to 23:59)` };
    cron = `${minute} ${hour} * * ${days}`;
  } else {
    const fields = text.split(' ');
    if (fields.length < 5 || fields.length > 6) return { ok: false, error: `"${when}" is neither a cron expression (5 or 6 fields) nor a form like "weekdays 07:00"` };
    cron = text;
  }
  try {
    new Cron(cron, { paused: true, ...(timezone ? { timezone } : {}) }).nextRun(new Date(0));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: timezone && /time ?zone|Invalid/i.test(reason) && !checkZone(timezone) ? `"${timezone}" is not a time zone (use a name like Europe/Paris)` : `"${when}" cannot be read as a schedule: ${reason}` };
  }
  if (timezone && !checkZone(timezone)) return { ok: false, error: `"${timezone}" is not a time zone (use a name like Europe/Paris)` };
  return { ok: true, cron };
}

function checkZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The run times of `cron` in (after, until], at most `limit`, ms since epoch. */
export function runTimes(cron: string, timezone: string | undefined, after: number, until: number, limit = 1000): number[] {
  const job = new Cron(cron, { paused: true, ...(timezone ? { timezone } : {}) });
  const out: number[] = [];
  let from = new Date(after);
  while (out.length < limit) {
    const next = job.nextRun(from);
    if (!next || next.getTime() > until) break;
    out.push(next.getTime());
    from = next;
  }
  return out;
}

/** The first run time after `after`, or undefined (a date in the past). */
export function nextRunAfter(cron: string, timezone: string | undefined, after: number): number | undefined {
  return new Cron(cron, { paused: true, ...(timezone ? { timezone } : {}) }).nextRun(new Date(after))?.getTime();
}
