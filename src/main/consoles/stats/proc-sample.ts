import type { LiveStats } from '../../../shared/contract/consoles';
import { counterDelta, cpuPercent, parseMeminfo, parseNetDev, parseProcStat, parseUptime, ParseError, skipVirtual, type CpuTimes } from '../../monitoring/metrics';
import { parseDiskstats } from './diskstats';

const MARK = '@@rackdeck-stats';
const FILES = ['stat', 'meminfo', 'net/dev', 'diskstats', 'uptime'] as const;

/**
 * One SSH round trip per reading; a fixed string, nothing from the window reaches it. Spelt out
 * file by file rather than as a `for` loop: the plainest POSIX sh, which every shell a host may
 * log in with (BusyBox ash, the lab's) runs alike.
 */
export const STATS_COMMAND = `LC_ALL=C; export LC_ALL; ${FILES.map((f) => `echo "${MARK} ${f}"; cat /proc/${f} 2>/dev/null;`).join(' ')} echo "${MARK} end"`;

/** The counters one reading holds; a sample is the difference of two. */
export interface ProcReading {
  cpu: CpuTimes;
  cpus: number;
  memTotal: number;
  memUsed: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  /** The host's own seconds since boot: rates are timed by it, not by when the answer arrived. */
  uptime: number;
}

export function parseStatsOutput(output: string): ProcReading {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  let ended = false;
  for (const line of output.split('\n')) {
    if (line.startsWith(`${MARK} `)) {
      const name = line.slice(MARK.length + 1).trim();
      if (name === 'end') {
        ended = true;
        current = undefined;
      } else sections.set(name, (current = []));
    } else current?.push(line);
  }
  if (!ended) throw new ParseError('stats output', 'the output was cut short (no end marker)');
  const text = (name: string) => (sections.get(name) ?? []).join('\n');
  const stat = parseProcStat(text('stat'));
  const mem = parseMeminfo(text('meminfo'));
  const net = parseNetDev(text('net/dev')).filter((d) => !skipVirtual(d.iface));
  // Containers and some VMs have no /proc/diskstats: block I/O is then simply unknown.
  const disks = text('diskstats').trim() ? parseDiskstats(text('diskstats')) : [];
  const uptime = parseUptime(text('uptime'));
  return {
    cpu: stat.total,
    cpus: stat.cpus.filter(Boolean).length,
    memTotal: mem.total,
    memUsed: mem.used,
    netRx: net.reduce((n, d) => n + d.rxBytes, 0),
    netTx: net.reduce((n, d) => n + d.txBytes, 0),
    blockRead: disks.reduce((n, d) => n + d.readBytes, 0),
    blockWrite: disks.reduce((n, d) => n + d.writeBytes, 0),
    uptime: uptime.uptime,
  };
}

const rate = (prev: number, next: number, seconds: number): number | undefined => {
  const d = counterDelta(prev, next);
  return d === undefined || seconds <= 0 ? undefined : d / seconds;
};

/** A `docker stats`-like sample: totals from `cur`, CPU and rates from `prev` to `cur` (none on the first reading). */
export function sampleFromReadings(prev: ProcReading | undefined, cur: ProcReading, at: number): LiveStats {
  const sample: LiveStats = {
    at,
    source: 'ssh',
    status: 'running',
    cpus: cur.cpus,
    memUsed: cur.memUsed,
    memLimit: cur.memTotal,
    memPercent: cur.memTotal > 0 ? (cur.memUsed / cur.memTotal) * 100 : undefined,
    netRx: cur.netRx,
    netTx: cur.netTx,
    blockRead: cur.blockRead,
    blockWrite: cur.blockWrite,
    uptimeSec: cur.uptime,
  };
  if (!prev || cur.uptime < prev.uptime) return dropUndefined(sample);
  const seconds = cur.uptime - prev.uptime;
  return dropUndefined({
    ...sample,
    cpuPercent: cpuPercent(prev.cpu, cur.cpu),
    netRxRate: rate(prev.netRx, cur.netRx, seconds),
    netTxRate: rate(prev.netTx, cur.netTx, seconds),
    blockReadRate: rate(prev.blockRead, cur.blockRead, seconds),
    blockWriteRate: rate(prev.blockWrite, cur.blockWrite, seconds),
  });
}

export function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
