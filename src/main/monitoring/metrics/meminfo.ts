import { ParseError } from './parse-error';
import { counter, linesOf } from './text';

const SOURCE = '/proc/meminfo';

export interface Meminfo {
  /** Bytes. */
  total: number;
  available: number;
  used: number;
  free: number;
  buffers?: number;
  cached?: number;
  swapTotal?: number;
  swapFree?: number;
  /**
   * True when the kernel has no MemAvailable (before 3.14, e.g. CentOS 6) and `available` was
   * estimated as MemFree + Buffers + Cached, as `free` did on those systems.
   */
  availableEstimated: boolean;
}

/** Every `Key: value [kB]` line, in bytes. */
export function parseMeminfoFields(input: unknown): Map<string, number> {
  const fields = new Map<string, number>();
  linesOf(SOURCE, input).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const m = /^([A-Za-z0-9_()]+):\s*(\S+)(?:\s+(\S+))?\s*$/.exec(raw);
    if (!m) throw new ParseError(SOURCE, 'not a "Key: value kB" line', i + 1, raw);
    const [, key = '', value, unit] = m;
    const n = counter(SOURCE, value, key, i + 1);
    if (unit !== undefined && unit !== 'kB') throw new ParseError(SOURCE, `${key} has unit "${unit}", expected kB`, i + 1, raw);
    const bytes = unit === 'kB' ? n * 1024 : n;
    if (!fields.has(key)) fields.set(key, bytes);
  });
  return fields;
}

export function parseMeminfo(input: unknown): Meminfo {
  const f = parseMeminfoFields(input);
  const total = f.get('MemTotal');
  const free = f.get('MemFree');
  if (total === undefined) throw new ParseError(SOURCE, 'no MemTotal line');
  if (free === undefined) throw new ParseError(SOURCE, 'no MemFree line');
  if (total === 0) throw new ParseError(SOURCE, 'MemTotal is 0');
  const buffers = f.get('Buffers');
  const cached = f.get('Cached');
  let available = f.get('MemAvailable');
  const availableEstimated = available === undefined;
  available ??= free + (buffers ?? 0) + (cached ?? 0);
  // Some kernels report MemAvailable a little above MemTotal right after boot; clamp, do not fail.
  available = Math.min(available, total);
  const result: Meminfo = { total, available, used: total - available, free, availableEstimated };
  if (buffers !== undefined) result.buffers = buffers;
  if (cached !== undefined) result.cached = cached;
  const swapTotal = f.get('SwapTotal');
  const swapFree = f.get('SwapFree');
  if (swapTotal !== undefined) result.swapTotal = swapTotal;
  if (swapFree !== undefined) result.swapFree = swapFree;
  return result;
}
