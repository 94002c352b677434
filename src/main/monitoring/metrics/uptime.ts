import { ParseError } from './parse-error';
import { decimal, linesOf } from './text';

const SOURCE = '/proc/uptime';

export interface Uptime {
  /** Seconds since boot: the host's own monotonic clock, used to time rates between polls. */
  uptime: number;
  /** Idle seconds summed over all CPUs. */
  idle: number;
}

export function parseUptime(input: unknown): Uptime {
  const lines = linesOf(SOURCE, input).filter((l) => l.trim() !== '');
  if (lines.length !== 1) throw new ParseError(SOURCE, `expected one line, got ${lines.length}`);
  const raw = lines[0] ?? '';
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(raw);
  if (!m) throw new ParseError(SOURCE, 'expected "uptime idle"', 1, raw);
  return { uptime: decimal(SOURCE, m[1], 'uptime', 1), idle: decimal(SOURCE, m[2], 'idle time', 1) };
}
