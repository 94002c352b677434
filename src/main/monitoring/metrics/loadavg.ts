import { ParseError } from './parse-error';
import { counter, decimal, linesOf } from './text';

const SOURCE = '/proc/loadavg';

export interface Loadavg {
  load1: number;
  load5: number;
  load15: number;
  /** Runnable scheduling entities and all of them, from the `running/total` column. */
  running: number;
  total: number;
  lastPid: number;
}

export function parseLoadavg(input: unknown): Loadavg {
  const lines = linesOf(SOURCE, input).filter((l) => l.trim() !== '');
  if (lines.length !== 1) throw new ParseError(SOURCE, `expected one line, got ${lines.length}`);
  const raw = lines[0] ?? '';
  const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\d+)\/(\d+)\s+(\d+)\s*$/.exec(raw);
  if (!m) throw new ParseError(SOURCE, 'expected "l1 l5 l15 running/total lastpid"', 1, raw);
  return {
    load1: decimal(SOURCE, m[1], 'the 1-minute load', 1),
    load5: decimal(SOURCE, m[2], 'the 5-minute load', 1),
    load15: decimal(SOURCE, m[3], 'the 15-minute load', 1),
    running: counter(SOURCE, m[4], 'running', 1),
    total: counter(SOURCE, m[5], 'total', 1),
    lastPid: counter(SOURCE, m[6], 'last pid', 1),
  };
}
