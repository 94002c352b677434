import { METRIC_FIELDS, RANGE_SPAN_MS, type HistoryRange, type MetricSample, type MetricSeries, type MetricValues, type SeriesGap, type SeriesPoint } from '../../../shared/metrics';
import type { MatrixSeries } from '../ports';
import type { TimeSeries } from './encode';

/**
 * How the history looks in a Prometheus-compatible store, both ways. Every figure of a sample
 * is one series of the metric `rackdeck_sample`, told apart by the `field` label (cpu, memUsed…,
 * in the history's own units), with `server_id` and `rackdeck` (the instance, so several
 * Rackdecks can share a store). A chart is two PromQL range queries, the average and the peak
 * over each bucket, laid into the same buckets and gaps the local history gives.
 */
export const REMOTE_METRIC = 'rackdeck_sample';

/** A sample's figures as series to write. */
export function toTimeSeries(instance: string, serverId: string, sample: MetricSample): TimeSeries[] {
  const out: TimeSeries[] = [];
  for (const field of METRIC_FIELDS) {
    const value = sample[field];
    if (value === undefined || !Number.isFinite(value)) continue;
    out.push({
      labels: [
        { name: '__name__', value: REMOTE_METRIC },
        { name: 'field', value: field },
        { name: 'rackdeck', value: instance },
        { name: 'server_id', value: serverId },
      ],
      samples: [{ value, timestamp: Math.round(sample.t) }],
    });
  }
  return out;
}

/** Folds series of one batch that share their labels, so each series is sent once with its samples in time order. */
export function mergeSeries(list: readonly TimeSeries[]): TimeSeries[] {
  const byKey = new Map<string, TimeSeries>();
  for (const s of list) {
    const key = s.labels.map((l) => `${l.name}=${l.value}`).join('\u0000');
    const known = byKey.get(key);
    if (known) known.samples.push(...s.samples);
    else byKey.set(key, { labels: s.labels, samples: [...s.samples] });
  }
  for (const s of byKey.values()) s.samples.sort((a, b) => a.timestamp - b.timestamp);
  return [...byKey.values()];
}

export const sampleCount = (list: readonly TimeSeries[]) => list.reduce((n, s) => n + s.samples.length, 0);

/** The finest step (one of the local history's) that draws `range` in at most `maxPoints` buckets. */
export function stepFor(range: HistoryRange, steps: readonly number[], maxPoints = 2000): number {
  const span = RANGE_SPAN_MS[range];
  for (const step of [...steps].sort((a, b) => a - b)) if (Math.ceil(span / step) <= maxPoints) return step;
  return Math.max(...steps);
}

export interface ChartPlan {
  range: HistoryRange;
  step: number;
  /** First and last bucket numbers (bucket start = n × step), as the local history counts them. */
  first: number;
  last: number;
  now: number;
}

export function chartPlan(range: HistoryRange, now: number, steps: readonly number[]): ChartPlan {
  const step = stepFor(range, steps);
  const last = Math.floor(now / step);
  return { range, step, first: last - Math.max(1, Math.ceil(RANGE_SPAN_MS[range] / step)) + 1, last, now };
}

const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export interface ChartQueries {
  avg: string;
  max: string;
  /** Evaluation times, Unix seconds: the last millisecond of the first and last bucket, so each window is exactly its bucket. */
  startSec: number;
  endSec: number;
  stepSec: number;
}

export function chartQueries(instance: string, serverId: string, plan: ChartPlan): ChartQueries {
  const selector = `${REMOTE_METRIC}{rackdeck=${quote(instance)},server_id=${quote(serverId)}}[${plan.step}ms]`;
  return {
    avg: `avg_over_time(${selector})`,
    max: `max_over_time(${selector})`,
    startSec: ((plan.first + 1) * plan.step - 1) / 1000,
    endSec: ((plan.last + 1) * plan.step - 1) / 1000,
    stepSec: plan.step / 1000,
  };
}

const FIELDS = new Set<string>(METRIC_FIELDS);

/**
 * The two matrices as the history's buckets. A point evaluated at T covers the step before it,
 * so it belongs to the bucket holding T − 1 ms: right whether the store evaluated at our times
 * or aligned them to the step.
 */
function bucketsOf(matrix: readonly MatrixSeries[], step: number): Map<number, MetricValues> {
  const out = new Map<number, MetricValues>();
  for (const series of matrix) {
    const field = series.metric.field;
    if (field === undefined || !FIELDS.has(field)) continue;
    for (const [t, raw] of series.values) {
      const value = Number(raw);
      if (!Number.isFinite(value)) continue;
      const slot = Math.floor((Math.round(t * 1000) - 1) / step);
      let values = out.get(slot);
      if (!values) out.set(slot, (values = {}));
      values[field as keyof MetricValues] = value;
    }
  }
  return out;
}

export function toMetricSeries(serverId: string, plan: ChartPlan, avg: readonly MatrixSeries[], max: readonly MatrixSeries[]): MetricSeries {
  const avgs = bucketsOf(avg, plan.step);
  const maxes = bucketsOf(max, plan.step);
  const points: Array<SeriesPoint | SeriesGap> = [];
  let gap: SeriesGap | undefined;
  for (let s = plan.first; s <= plan.last; s++) {
    const a = avgs.get(s);
    if (a && Object.keys(a).length > 0) {
      gap = undefined;
      points.push({ t: s * plan.step, avg: a, max: { ...a, ...maxes.get(s) } });
    } else if (gap) gap.until = (s + 1) * plan.step;
    else points.push((gap = { t: s * plan.step, gap: true, until: (s + 1) * plan.step }));
  }
  return { serverId, range: plan.range, step: plan.step, from: plan.now - RANGE_SPAN_MS[plan.range], to: plan.now, points };
}
