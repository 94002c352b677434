import { ParseError } from './parse-error';
import { counter, linesOf } from './text';

const SOURCE = '/proc/stat';

/**
 * Jiffies per CPU state since boot. Older kernels print fewer columns (steal since 2.6.11, guest
 * since 2.6.24, guest_nice since 2.6.33); the missing ones read as 0.
 */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  guestNice: number;
}

export interface ProcStat {
  total: CpuTimes;
  /** Indexed by CPU number; offline CPUs are absent from the file, so the array may have holes. */
  cpus: CpuTimes[];
  /** Boot time, seconds since epoch, when the kernel prints it (a change means a reboot). */
  btime?: number;
}

const COLUMNS: Array<keyof CpuTimes> = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guestNice'];

export function parseProcStat(input: unknown): ProcStat {
  const lines = linesOf(SOURCE, input);
  let total: CpuTimes | undefined;
  const cpus: CpuTimes[] = [];
  let btime: number | undefined;

  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const tokens = line.split(/\s+/);
    const key = tokens[0] ?? '';
    const n = i + 1;
    if (key === 'cpu') {
      if (total) throw new ParseError(SOURCE, 'the "cpu" total line appears twice', n);
      total = cpuTimes(tokens, n);
    } else if (/^cpu\d+$/.test(key)) {
      const index = Number(key.slice(3));
      if (index > 65_535) throw new ParseError(SOURCE, `CPU number ${index} is not plausible`, n);
      if (cpus[index]) throw new ParseError(SOURCE, `${key} appears twice`, n);
      cpus[index] = cpuTimes(tokens, n);
    } else if (key === 'btime') {
      btime = counter(SOURCE, tokens[1], 'btime', n);
    } else if (!/^[a-z_]+$/.test(key)) {
      // Other kernel lines (intr, ctxt, processes…) are skipped, but a line that is not even
      // shaped like one means this is not /proc/stat.
      throw new ParseError(SOURCE, 'not a /proc/stat line', n, raw);
    }
  });

  if (!total) throw new ParseError(SOURCE, 'no "cpu" total line');
  return btime === undefined ? { total, cpus } : { total, cpus, btime };
}

function cpuTimes(tokens: string[], line: number): CpuTimes {
  const values = tokens.slice(1);
  if (values.length < 4) throw new ParseError(SOURCE, `${tokens[0]} has ${values.length} columns, at least 4 expected`, line, tokens.join(' '));
  if (values.length > COLUMNS.length) throw new ParseError(SOURCE, `${tokens[0]} has ${values.length} columns, at most ${COLUMNS.length} expected`, line, tokens.join(' '));
  const times = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0 };
  values.forEach((v, i) => {
    const column = COLUMNS[i] as keyof CpuTimes;
    times[column] = counter(SOURCE, v, `${tokens[0]} ${column}`, line);
  });
  return times;
}

/**
 * Busy share between two readings, 0..100. Guest time is already inside user and nice, so it is
 * not added twice. Undefined when no time passed or a counter went backwards (the host rebooted
 * or a CPU was hot-plugged): the next reading becomes the new baseline.
 */
export function cpuPercent(prev: CpuTimes, next: CpuTimes): number | undefined {
  const d = {} as Record<keyof CpuTimes, number>;
  for (const column of COLUMNS) {
    const delta = next[column] - prev[column];
    if (delta < 0) return undefined;
    d[column] = delta;
  }
  const idle = d.idle + d.iowait;
  const total = d.user + d.nice + d.system + idle + d.irq + d.softirq + d.steal;
  if (total <= 0) return undefined;
  const busy = ((total - idle) / total) * 100;
  return Math.min(100, Math.max(0, busy));
}
