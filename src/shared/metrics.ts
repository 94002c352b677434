import * as z from 'zod';
import type { PowerState } from './power';
import { lazySchema } from './contract/lazy';

/**
 * Metrics, history, uptime and the action log as they cross IPC. The main process records and
 * consolidates; the renderer only charts and lists what these types carry.
 */

/** The figures one metrics poll yields for one server. Order matters: it is the column order of the history store. */
export const METRIC_FIELDS = ['cpu', 'memUsed', 'memTotal', 'diskUsed', 'diskTotal', 'netIn', 'netOut', 'load1'] as const;
export type MetricField = (typeof METRIC_FIELDS)[number];

/**
 * cpu: busy share over the poll interval, 0..100. mem*, disk*: bytes. netIn / netOut: bytes per
 * second over the poll interval (loopback excluded). load1: the 1-minute load average.
 * A field is absent when it could not be measured (first poll has no rates, a guest has no disk…).
 */
export type MetricValues = { [K in MetricField]?: number };

export interface MetricSample extends MetricValues {
  /** When the figures were taken, ms since epoch. */
  t: number;
}

export const metricSampleSchema = lazySchema(() => z
  .object({
    t: z.number().finite(),
    cpu: z.number().finite().min(0).max(100).optional(),
    memUsed: z.number().finite().min(0).optional(),
    memTotal: z.number().finite().min(0).optional(),
    diskUsed: z.number().finite().min(0).optional(),
    diskTotal: z.number().finite().min(0).optional(),
    netIn: z.number().finite().min(0).optional(),
    netOut: z.number().finite().min(0).optional(),
    load1: z.number().finite().min(0).optional(),
  })
  .strict());

export const HISTORY_RANGES = ['hour', 'day', 'week', 'month', 'year'] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];
export const historyRangeSchema = lazySchema(() => z.enum(HISTORY_RANGES));

/** How far back each chart range reaches, in ms. */
export const RANGE_SPAN_MS: Record<HistoryRange, number> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

/** One consolidated bucket: the average and the peak of every field seen in it. `t` is the bucket's start. */
export interface SeriesPoint {
  t: number;
  avg: MetricValues;
  max: MetricValues;
}

/** No data from `t` (a bucket start) up to `until` (exclusive): the chart breaks its line here. */
export interface SeriesGap {
  t: number;
  gap: true;
  until: number;
}

export interface MetricSeries {
  serverId: string;
  range: HistoryRange;
  /** Bucket width in ms. */
  step: number;
  from: number;
  to: number;
  /** In time order; runs of missing buckets are folded into one gap. */
  points: Array<SeriesPoint | SeriesGap>;
}

export function isGap(point: SeriesPoint | SeriesGap): point is SeriesGap {
  return 'gap' in point;
}

export const historyQuerySchema = lazySchema(() => z.object({ serverId: z.string().min(1), range: historyRangeSchema }).strict());

// ---- uptime and energy ---------------------------------------------------------------------

/** A power state the engine observed (or set) for a server at a moment. */
export interface PowerTransition {
  at: number;
  state: PowerState;
}

/** Estimated draw per state; the figures are the admin's, Rackdeck measures nothing electrical. */
export interface WattageProfile {
  /** Drawn while on (an idle figure: most homelab boxes idle most of the time). */
  idleWatts: number;
  suspendedWatts: number;
  /** Standby draw while off (BMC, WoL-armed NIC); 0 when not set. */
  offWatts?: number;
}

export const wattageProfileSchema = lazySchema(() => z
  .object({
    idleWatts: z.number().finite().min(0).max(100_000),
    suspendedWatts: z.number().finite().min(0).max(100_000),
    offWatts: z.number().finite().min(0).max(100_000).optional(),
  })
  .strict());

export interface UptimeReport {
  serverId: string;
  from: number;
  to: number;
  /** Time in each kind of state within [from, to), ms. Transitional states count as on: the machine draws power. */
  onMs: number;
  offMs: number;
  suspendedMs: number;
  /** Unknown, init failed, or before the first observation. */
  unknownMs: number;
  /** onMs over the time whose state is known; undefined when nothing is known. */
  availability?: number;
  /** Estimate from the wattage profile over the known time, watt-hours. */
  energyWh: number;
}

// ---- action log ----------------------------------------------------------------------------

export const ACTION_KINDS = ['power', 'task', 'automation'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Where an action came from: a face, or the engine itself (reconcile, schedules, policies). */
export const ACTION_FACES = ['desktop', 'tray', 'web', 'cli', 'engine'] as const;
export type ActionFace = (typeof ACTION_FACES)[number];

export const ACTION_RESULTS = ['started', 'ok', 'failed', 'timeout', 'cancelled', 'skipped'] as const;
export type ActionResult = (typeof ACTION_RESULTS)[number];

export const actionInputSchema = lazySchema(() => z
  .object({
    at: z.number().finite(),
    kind: z.enum(ACTION_KINDS),
    /** What was done: `wake`, `suspend`, `snapshot create`, a Proxmox task type… */
    action: z.string().min(1).max(200),
    serverId: z.string().min(1).max(200).optional(),
    /** The name at the time, so the log still reads well after a rename or removal. */
    serverName: z.string().max(200).optional(),
    face: z.enum(ACTION_FACES),
    result: z.enum(ACTION_RESULTS),
    detail: z.string().max(2000).optional(),
  })
  .strict());
export type ActionInput = z.infer<typeof actionInputSchema>;

export interface ActionLogEntry extends ActionInput {
  /** Increasing, never reused, so a client can page and deduplicate. */
  id: number;
}

export const actionFilterSchema = lazySchema(() => z
  .object({
    serverId: z.string().min(1).optional(),
    since: z.number().finite().optional(),
    until: z.number().finite().optional(),
    kind: z.enum(ACTION_KINDS).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict());
export type ActionFilter = z.infer<typeof actionFilterSchema>;
