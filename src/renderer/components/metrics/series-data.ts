import { isGap, type HistoryRange, type MetricField, type MetricSeries, type MetricValues, type SeriesPoint } from '../../../shared/metrics';
import { percentOf } from '../../../shared/contract/monitoring-format';

/**
 * A history series as the charts draw it (pure): one point per bucket, `null` where a gap is,
 * so the line breaks there instead of bridging a time the server was down or not watched.
 */
export interface ChartPoint {
  x: number;
  y: number | null;
}

export interface ChartData {
  cpu: ChartPoint[];
  cpuPeak: ChartPoint[];
  memory: ChartPoint[];
  disk: ChartPoint[];
  netIn: ChartPoint[];
  netOut: ChartPoint[];
  /** Bucket start → the raw figures behind a point, for tooltips with units. */
  raw: Map<number, MetricValues>;
  /** Spans with no data between two measured buckets (the server was down or unwatched). */
  gaps: Array<{ from: number; to: number }>;
  /** Buckets with data. */
  count: number;
  latest?: SeriesPoint;
  has: Record<'cpu' | 'memory' | 'disk' | 'network', boolean>;
}

const value = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

export function chartData(series: MetricSeries): ChartData {
  const out: ChartData = { cpu: [], cpuPeak: [], memory: [], disk: [], netIn: [], netOut: [], raw: new Map(), gaps: [], count: 0, has: { cpu: false, memory: false, disk: false, network: false } };
  let seenData = false;
  const pending: Array<{ from: number; to: number }> = [];
  for (const p of series.points) {
    if (isGap(p)) {
      for (const list of [out.cpu, out.cpuPeak, out.memory, out.disk, out.netIn, out.netOut]) list.push({ x: p.t, y: null });
      if (seenData) pending.push({ from: p.t, to: p.until });
      continue;
    }
    // A gap counts as "down" only once data follows it: the stretch before the first figure is just "not watched yet".
    out.gaps.push(...pending.splice(0));
    seenData = true;
    out.count++;
    out.latest = p;
    out.raw.set(p.t, p.avg);
    const { avg, max } = p;
    const mem = percentOf(avg.memUsed, avg.memTotal);
    const disk = percentOf(avg.diskUsed, avg.diskTotal);
    out.cpu.push({ x: p.t, y: value(avg.cpu) });
    out.cpuPeak.push({ x: p.t, y: value(max.cpu ?? avg.cpu) });
    out.memory.push({ x: p.t, y: value(mem) });
    out.disk.push({ x: p.t, y: value(disk) });
    out.netIn.push({ x: p.t, y: value(avg.netIn) });
    out.netOut.push({ x: p.t, y: value(avg.netOut) });
    if (avg.cpu !== undefined) out.has.cpu = true;
    if (mem !== undefined) out.has.memory = true;
    if (disk !== undefined) out.has.disk = true;
    if (avg.netIn !== undefined || avg.netOut !== undefined) out.has.network = true;
  }
  return out;
}

/** The newest value of a field in the series, for the figure beside a chart's title. */
export function lastValue(data: ChartData, field: MetricField): number | undefined {
  return data.latest?.avg[field];
}

export const RANGE_LABELS: Record<HistoryRange, string> = { hour: 'Hour', day: 'Day', week: 'Week', month: 'Month', year: 'Year' };

/** date-fns patterns for the axis and the tooltip title, per range. */
export const AXIS_FORMATS: Record<HistoryRange, { unit: 'minute' | 'hour' | 'day' | 'month'; axis: string; tooltip: string }> = {
  hour: { unit: 'minute', axis: 'HH:mm', tooltip: 'HH:mm' },
  day: { unit: 'hour', axis: 'HH:mm', tooltip: 'EEE HH:mm' },
  week: { unit: 'day', axis: 'EEE d', tooltip: 'EEE d MMM, HH:mm' },
  month: { unit: 'day', axis: 'd MMM', tooltip: 'EEE d MMM, HH:mm' },
  year: { unit: 'month', axis: 'MMM', tooltip: 'EEE d MMM yyyy' },
};
