import * as z from 'zod';
import { apiPath, type ProxmoxApi } from './api';
import type { GuestRef } from './model/guests';
import { parseList, rrdPointSchema } from './model/parse';
import type { RrdPoint, RrdTimeframe } from './model/rrd';

/** A guest's figures over a timeframe (see model/rrd), oldest first. */
export async function guestRrd(api: ProxmoxApi, ref: GuestRef, timeframe: RrdTimeframe = 'hour', cf: 'AVERAGE' | 'MAX' = 'AVERAGE'): Promise<RrdPoint[]> {
  const raw = await api.get(apiPath`/nodes/${ref.node}/${ref.type}/${ref.vmid}/rrddata`, z.unknown(), { timeframe, cf });
  return sortPoints(parseList(rrdPointSchema, raw).items as RrdPoint[]);
}

/** A node's figures over a timeframe, oldest first. */
export async function nodeRrd(api: ProxmoxApi, node: string, timeframe: RrdTimeframe = 'hour', cf: 'AVERAGE' | 'MAX' = 'AVERAGE'): Promise<RrdPoint[]> {
  const raw = await api.get(apiPath`/nodes/${node}/rrddata`, z.unknown(), { timeframe, cf });
  return sortPoints(parseList(rrdPointSchema, raw).items as RrdPoint[]);
}

function sortPoints(points: RrdPoint[]): RrdPoint[] {
  return points.sort((a, b) => a.time - b.time);
}
