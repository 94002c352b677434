import { isGap, type MetricValues, type SeriesGap, type SeriesPoint } from '../../shared/metrics';
import type { RrdPoint, RrdTimeframe } from '../drivers/proxmox/model/rrd';
import type { TierSpec } from '../store/history';

/**
 * Older history for a Proxmox node or guest, from Proxmox's own rrddata (pure). Proxmox keeps
 * 70 points per timeframe (a minute apart for the last hour, half an hour for the day, three
 * hours for the week, half a day for the month, a week for the year). Each of our tiers is
 * filled from the finest timeframe that covers a bucket: several points averaged when they are
 * finer than the bucket, the one covering point when coarser (a day chart then shows the day's
 * half-hour averages as steps, which is what they are). What Rackdeck recorded itself wins
 * wherever it has a bucket; the rest (before it watched, or while it was not running) comes
 * from Proxmox.
 */
export const RRD_RESOLUTION_S: Record<RrdTimeframe, number> = { hour: 60, day: 1800, week: 10_800, month: 43_200, year: 604_800 };

/** Every rrddata timeframe, finest first (the keys above, so the driver's list is not needed as a value). */
export const RRD_TIMEFRAMES: readonly RrdTimeframe[] = (Object.keys(RRD_RESOLUTION_S) as RrdTimeframe[]).sort((a, b) => RRD_RESOLUTION_S[a] - RRD_RESOLUTION_S[b]);

export interface RrdFrame {
  avg: RrdPoint[];
  /** The same timeframe with cf=MAX, for the peaks (optional: without it peaks equal averages). */
  max?: RrdPoint[];
}

export interface BackfillInput {
  tiers: readonly TierSpec[];
  kind: 'guest' | 'node';
  frames: Partial<Record<RrdTimeframe, RrdFrame>>;
  /** What the store holds now, per tier step (from its own queries), oldest first. */
  existing: ReadonlyMap<number, ReadonlyArray<SeriesPoint | SeriesGap>>;
  /** Time of the last sample the store accepted, if any. */
  existingLast?: number;
  /** How often samples arrive, to weigh the bucket still filling when it is carried over. */
  sampleIntervalMs: number;
  now: number;
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** One rrd point as our fields. */
export function rrdValues(p: RrdPoint, kind: 'guest' | 'node'): MetricValues {
  const v: MetricValues = {};
  if (positive(p.cpu)) v.cpu = Math.min(100, p.cpu * 100);
  if (positive(p.netin)) v.netIn = p.netin;
  if (positive(p.netout)) v.netOut = p.netout;
  if (kind === 'guest') {
    if (positive(p.mem) && positive(p.maxmem) && p.maxmem > 0) {
      v.memUsed = p.mem;
      v.memTotal = p.maxmem;
    }
    if (positive(p.disk) && positive(p.maxdisk) && p.maxdisk > 0 && p.disk > 0) {
      v.diskUsed = p.disk;
      v.diskTotal = p.maxdisk;
    }
  } else {
    if (positive(p.memused) && positive(p.memtotal) && p.memtotal > 0) {
      v.memUsed = p.memused;
      v.memTotal = p.memtotal;
    }
    if (positive(p.rootused) && positive(p.roottotal) && p.roottotal > 0) {
      v.diskUsed = p.rootused;
      v.diskTotal = p.roottotal;
    }
    if (positive(p.loadavg)) v.load1 = p.loadavg;
  }
  return v;
}

/** The store's own buckets per tier step, from its range queries: the longest range served by each tier wins. */
export function existingByStep(queries: ReadonlyArray<{ step: number; points: ReadonlyArray<SeriesPoint | SeriesGap> }>): Map<number, ReadonlyArray<SeriesPoint | SeriesGap>> {
  const out = new Map<number, ReadonlyArray<SeriesPoint | SeriesGap>>();
  for (const q of queries) {
    const known = out.get(q.step);
    const span = (list: ReadonlyArray<SeriesPoint | SeriesGap>) => (list.length ? (list[list.length - 1] as SeriesPoint).t - (list[0] as SeriesPoint).t : 0);
    if (!known || span(q.points) > span(known)) out.set(q.step, q.points);
  }
  return out;
}

/** Whether a chart still lacks the history Proxmox could give: nothing older than two hours is stored. */
export function needsBackfill(points: ReadonlyArray<SeriesPoint | SeriesGap>, now: number): boolean {
  const first = points.find((p) => !isGap(p));
  return !first || first.t > now - 2 * 3_600_000;
}
