import { parseDf, type DiskUsage } from './df';
import { parseLoadavg, type Loadavg } from './loadavg';
import { parseMeminfo, type Meminfo } from './meminfo';
import { parseNetDev, type NetDevice } from './net-dev';
import { ParseError } from './parse-error';
import { parseProcStat, type ProcStat } from './proc-stat';
import { linesOf } from './text';
import { parseUptime, type Uptime } from './uptime';

/** Everything one metrics poll reads from a Linux host. */
export interface HostReadings {
  stat: ProcStat;
  mem: Meminfo;
  load: Loadavg;
  net: NetDevice[];
  uptime: Uptime;
  disks: DiskUsage[];
}

const MARK = '@@rackdeck-metrics';
const SECTIONS = ['stat', 'meminfo', 'loadavg', 'net/dev', 'uptime', 'df'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * One SSH round trip for a whole poll: a fixed string (no user input reaches it), POSIX sh, works
 * on BusyBox. Each file follows a marker line so the output can be cut apart without trusting
 * its contents. LC_ALL=C keeps df's header and number format parseable.
 */
// Unrolled rather than a `for` loop: the same output, and minimal shells (the lab's, some
// appliances') that know `;` but not loops run it too.
export const METRICS_COMMAND =
  `LC_ALL=C; export LC_ALL; ${SECTIONS.filter((s) => s !== 'df').map((f) => `echo "${MARK} ${f}"; cat /proc/${f}; `).join('')}` +
  `echo "${MARK} df"; df -B1 2>/dev/null; echo "${MARK} end"`;

/** Cuts the command's output into its sections; a missing section or a missing end marker (truncated output) is an error. */
export function splitSections(input: unknown): Record<Section, string> {
  const lines = linesOf('metrics output', input);
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  let ended = false;
  for (const line of lines) {
    if (line.startsWith(`${MARK} `)) {
      const name = line.slice(MARK.length + 1).trim();
      if (name === 'end') {
        ended = true;
        current = undefined;
        continue;
      }
      if (!(SECTIONS as readonly string[]).includes(name)) throw new ParseError('metrics output', `unknown section "${name}"`);
      if (out.has(name)) throw new ParseError('metrics output', `section "${name}" appears twice`);
      current = [];
      out.set(name, current);
    } else {
      current?.push(line);
    }
  }
  if (!ended) throw new ParseError('metrics output', 'the output was cut short (no end marker)');
  const result = {} as Record<Section, string>;
  for (const s of SECTIONS) {
    const body = out.get(s);
    if (!body) throw new ParseError('metrics output', `section "${s}" is missing`);
    result[s] = body.join('\n');
  }
  return result;
}

export function parseReadings(output: unknown, options: { includeVirtualDisks?: boolean } = {}): HostReadings {
  const s = splitSections(output);
  return {
    stat: parseProcStat(s.stat),
    mem: parseMeminfo(s.meminfo),
    load: parseLoadavg(s.loadavg),
    net: parseNetDev(s['net/dev']),
    uptime: parseUptime(s.uptime),
    disks: parseDf(s.df, { includeVirtual: options.includeVirtualDisks ?? false }),
  };
}
