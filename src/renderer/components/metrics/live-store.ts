import { create } from 'zustand';
import type { RackdeckClient } from '../../../shared/contract';
import type { LiveMetric, LiveMetricsBatch } from '../../../shared/contract/monitoring';
import type { MetricSample } from '../../../shared/metrics';
import { own } from '../../../shared/own';

/**
 * The latest figures and the last hour of CPU per server, for the cards. Loaded once with
 * `metrics.latest`, then kept current from `metrics.live` batches; each card subscribes to its
 * own entry, so a batch re-renders only the cards whose server it carries.
 */
export interface LiveEntry {
  sample: MetricSample;
  /** [minute start, CPU %] oldest first, at most an hour; null where nothing was measured. */
  spark: Array<[number, number | null]>;
}

interface LiveState {
  entries: Record<string, LiveEntry>;
  load(list: LiveMetric[]): void;
  apply(batch: LiveMetricsBatch): void;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

export const useLiveMetrics = create<LiveState>()((set) => ({
  entries: {},
  load: (list) => set({ entries: Object.fromEntries(list.map((m) => [m.serverId, { sample: m.sample, spark: m.spark ?? [] }])) }),
  apply: (batch) =>
    set((state) => {
      const entries = { ...state.entries };
      for (const { serverId, sample } of batch.samples) {
        const known = own(entries, serverId);
        if (known && known.sample.t >= sample.t) continue;
        entries[serverId] = { sample, spark: appendSpark(known?.spark ?? [], sample) };
      }
      return { entries };
    }),
}));

/** A new sample into the minute buckets: averaged into the current minute, older than an hour dropped. */
export function appendSpark(spark: Array<[number, number | null]>, sample: MetricSample): Array<[number, number | null]> {
  if (sample.cpu === undefined) return spark;
  const minute = Math.floor(sample.t / MINUTE) * MINUTE;
  const out = spark.filter(([t]) => t > sample.t - HOUR);
  const last = out[out.length - 1];
  if (last && last[0] === minute) {
    out[out.length - 1] = [minute, last[1] === null ? sample.cpu : (last[1] + sample.cpu) / 2];
  } else {
    out.push([minute, sample.cpu]);
  }
  return out;
}

let wired: RackdeckClient | undefined;

/** Starts the live figures once per client: a first load, the live events, a reload after a reconnect. */
export function ensureLiveMetrics(client: RackdeckClient): void {
  if (wired === client) return;
  wired = client;
  const reload = () =>
    client.metrics.latest({}).then(
      (list) => useLiveMetrics.getState().load(list),
      () => undefined,
    );
  client.on('metrics.live', (batch) => useLiveMetrics.getState().apply(batch));
  client.on('connection', (c) => {
    if (c.state === 'open') void reload();
  });
  void reload();
}
