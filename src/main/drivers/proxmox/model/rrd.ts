/**
 * Proxmox's own round-robin figures: 70 points per timeframe. A field with no value is left
 * out by the server (a stopped guest has only `time` and the max* / disk fields), so every
 * figure but `time` is optional.
 */
export const RRD_TIMEFRAMES = ['hour', 'day', 'week', 'month', 'year'] as const;
export type RrdTimeframe = (typeof RRD_TIMEFRAMES)[number];

export type RrdPoint = { time: number } & Partial<Record<'cpu' | 'maxcpu' | 'mem' | 'maxmem' | 'disk' | 'maxdisk' | 'netin' | 'netout' | 'diskread' | 'diskwrite' | 'loadavg' | 'memtotal' | 'memused' | 'iowait' | 'rootused' | 'roottotal', number>> &
  Record<string, number>;
