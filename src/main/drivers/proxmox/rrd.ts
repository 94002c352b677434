import { z } from 'zod';
import { apiPath, type ProxmoxApi } from './api';
import type { GuestRef } from './guests';
import { parseList, rrdPointSchema } from './parse';

/**
 * Proxmox's own round-robin figures: 70 points per timeframe. A field with no value is left
 * out by the server (a stopped guest has only `time` and the max* / disk fields), so every
 * figure but `time` is optional.
 */
export const RRD_TIMEFRAMES = ['hour', 'day', 'week', 'month', 'year'] as const;
export type RrdTimeframe = (typeof RRD_TIMEFRAMES)[number];

export type RrdPoint = { time: number } & Partial<Record<'cpu' | 'maxcpu' | 'mem' | 'maxmem' | 'disk' | 'maxdisk' | 'netin' | 'netout' | 'diskread' | 'diskwrite' | 'loadavg' | 'memtotal' | 'memused' | 'iowait' | 'rootused' | 'roottotal', number>> &
  Record<string, number>;

export async function guestRrd(api: ProxmoxApi, ref: GuestRef, timeframe: RrdTimeframe = 'hour', cf: 'AVERAGE' | 'MAX' = 'AVERAGE'): Promise<RrdPoint[]> {
  const raw = await api.get(apiPath`/nodes/${ref.node}/${ref.type}/${ref.vmid}/rrddata`, z.unknown(), { timeframe, cf });
  return sortPoints(parseList(rrdPointSchema, raw).items as RrdPoint[]);
}

export async function nodeRrd(api: ProxmoxApi, node: string, timeframe: RrdTimeframe = 'hour', cf: 'AVERAGE' | 'MAX' = 'AVERAGE'): Promise<RrdPoint[]> {
  const raw = await api.get(apiPath`/nodes/${node}/rrddata`, z.unknown(), { timeframe, cf });
  return sortPoints(parseList(rrdPointSchema, raw).items as RrdPoint[]);
}

function sortPoints(points: RrdPoint[]): RrdPoint[] {
  return points.sort((a, b) => a.time - b.time);
}
