import type { Outcome } from './state';
import type { DfRow } from './host-reports';

const DAY = 86_400_000;

/**
 * Days until a disk is full at the trend of its history: a least-squares line through (time,
 * bytes used), at least 3 points spanning an hour, else no forecast. Undefined when it is not
 * filling (flat or shrinking), so only growth is forecast.
 */
export function daysUntilFull(points: ReadonlyArray<{ t: number; used: number }>, total: number, now: number, lastUsed: number): number | undefined {
  if (points.length < 3) return undefined;
  const first = points[0] as { t: number };
  const last = points[points.length - 1] as { t: number };
  if (last.t - first.t < 3_600_000) return undefined;
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mu = points.reduce((s, p) => s + p.used, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.used - mu);
    den += (p.t - mt) ** 2;
  }
  if (den === 0) return undefined;
  const slope = num / den; // bytes per ms
  if (slope <= 0) return undefined;
  void now;
  return Math.max(0, (total - lastUsed) / slope / DAY);
}

export interface DiskLimits {
  warnPercent: number;
  failPercent: number;
  warnDays: number;
  failDays: number;
}

export function judgeDisk(row: DfRow, days: number | undefined, limits: DiskLimits): Outcome {
  // df's own Capacity: used over what a user may fill (root's reserve excluded), rounded up.
  const usable = row.used + row.avail;
  const percent = usable > 0 ? Math.ceil((row.used / usable) * 1000) / 10 : 0;
  const details: Record<string, string | number> = { percent, ...(days !== undefined ? { daysUntilFull: Math.round(days * 10) / 10 } : {}) };
  const forecast = days === undefined ? 'not filling' : `full in ${days < 1 ? 'under a day' : `${Math.round(days)} days`} at this pace`;
  const message = `${row.target} ${percent} % used, ${forecast}`;
  if (percent >= limits.failPercent || (days !== undefined && days <= limits.failDays)) return { result: 'fail', message, details };
  if (percent >= limits.warnPercent || (days !== undefined && days <= limits.warnDays)) return { result: 'warning', message, details };
  return { result: 'ok', message, details };
}
