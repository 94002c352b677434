import { formatBytesShort, formatRate, percentOf, type AlertView } from '../../../../shared/contract/monitoring';
import { HISTORY_RANGES, isGap, type ActionFilter, type HistoryRange, type MetricField, type SeriesPoint } from '../../../../shared/metrics';
import { UsageError, intOption, onePositional, parse } from '../args';
import type { RackdeckClient } from '../../../../shared/contract';
import type { CliContext, Command } from '../command';
import { ago, table } from '../format';

/** `rackdeck metrics`, `rackdeck alerts`, `rackdeck log` (issue 6): read what the monitoring kept. */

const BARS = '▁▂▃▄▅▆▇█';

/** A text sparkline of `values` squeezed into `width` characters; gaps are spaces. */
export function sparkline(values: ReadonlyArray<number | null>, width = 60, max = 100): string {
  if (values.length === 0) return '';
  const per = values.length / width;
  let out = '';
  for (let i = 0; i < Math.min(width, values.length); i++) {
    const slice = values.slice(Math.floor(i * per), Math.max(Math.floor((i + 1) * per), Math.floor(i * per) + 1)).filter((v): v is number => v !== null);
    if (slice.length === 0) {
      out += ' ';
      continue;
    }
    const v = slice.reduce((a, b) => a + b, 0) / slice.length;
    out += BARS[Math.min(BARS.length - 1, Math.max(0, Math.round((v / max) * (BARS.length - 1))))];
  }
  return out;
}

const RANGE_WORDS: Record<HistoryRange, string> = { hour: 'last hour', day: 'last 24 hours', week: 'last 7 days', month: 'last 30 days', year: 'last year' };

function stats(points: SeriesPoint[], field: MetricField): { latest?: number; avg?: number; peak?: number } {
  const avgs = points.map((p) => p.avg[field]).filter((v): v is number => v !== undefined);
  const peaks = points.map((p) => p.max[field] ?? p.avg[field]).filter((v): v is number => v !== undefined);
  if (avgs.length === 0) return {};
  return { latest: avgs[avgs.length - 1] as number, avg: avgs.reduce((a, b) => a + b, 0) / avgs.length, peak: Math.max(...peaks) };
}

/**
 * Figures, alerts and the action log grow only while an engine runs its loops. Said (on stderr,
 * so scripts reading stdout are not disturbed) when this command runs without one.
 */
async function sayWhenNotGathering(client: RackdeckClient, ctx: CliContext): Promise<void> {
  if ((await client.app.info({})).running) return;
  ctx.io.err(`Note: figures, alerts and the action log are gathered while the desktop app or \`rackdeck serve\` runs on this home, and neither runs now. Start one with: rackdeck serve --home ${ctx.home}`);
}

/** A server's id from its id or name, as the engine finds it; the reference as is when there is none. */
async function serverIdOf(client: RackdeckClient, ref: string): Promise<string> {
  const { servers } = await client.servers.snapshot({});
  return (servers.find((s) => s.id === ref) ?? servers.find((s) => s.name.toLowerCase() === ref.toLowerCase()))?.id ?? ref;
}

const pct = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(1)} %`);

export const metricsCommand: Command = {
  name: 'metrics',
  summary: 'show a server\'s CPU, memory, disk and network history',
  usage: `rackdeck metrics <server> [--range hour|day|week|month|year] [--json]

Prints the latest, average and peak of each figure over the range, and a CPU sparkline.
  --range R   hour, day (default), week, month or year
  --json      the whole series (buckets with averages and peaks, gaps) as JSON`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { range: { type: 'string' }, json: { type: 'boolean' } });
    const ref = onePositional(positionals, 'server');
    const range = (values.range ?? 'day') as HistoryRange;
    if (!(HISTORY_RANGES as readonly string[]).includes(range)) throw new UsageError(`--range must be one of ${HISTORY_RANGES.join(', ')}, got "${values.range}"`);
    const { client } = ctx.open();
    const series = await client.metrics.series({ id: ref, range });
    if (values.json) {
      ctx.io.out(JSON.stringify(series, null, 2));
      return 0;
    }
    await sayWhenNotGathering(client, ctx);
    const name = (await client.servers.snapshot({})).servers.find((s) => s.id === series.serverId)?.name ?? series.serverId;
    const points = series.points.filter((p): p is SeriesPoint => !isGap(p));
    const buckets = Math.round((series.to - series.from) / series.step);
    ctx.io.out(`${name} · ${RANGE_WORDS[range]} · ${formatStep(series.step)} buckets · ${points.length} of ${buckets} with data`);
    if (points.length === 0) {
      ctx.io.out('No figures recorded in this range yet.');
      return 0;
    }
    const cpu = stats(points, 'cpu');
    const memUsed = stats(points, 'memUsed');
    const memTotal = stats(points, 'memTotal').latest;
    const diskUsed = stats(points, 'diskUsed');
    const diskTotal = stats(points, 'diskTotal').latest;
    const rx = stats(points, 'netIn');
    const tx = stats(points, 'netOut');
    const load = stats(points, 'load1');
    const bytes = (v: number | undefined, total: number | undefined) => (v === undefined ? '–' : `${formatBytesShort(v)}${total ? ` (${pct(percentOf(v, total))})` : ''}`);
    const rate = (v: number | undefined) => (v === undefined ? '–' : formatRate(v));
    const rows = [
      ['', 'LATEST', 'AVERAGE', 'PEAK'],
      ['CPU', pct(cpu.latest), pct(cpu.avg), pct(cpu.peak)],
      [`Memory${memTotal ? ` of ${formatBytesShort(memTotal)}` : ''}`, bytes(memUsed.latest, memTotal), bytes(memUsed.avg, memTotal), bytes(memUsed.peak, memTotal)],
      [`Disk${diskTotal ? ` of ${formatBytesShort(diskTotal)}` : ''}`, bytes(diskUsed.latest, diskTotal), bytes(diskUsed.avg, diskTotal), bytes(diskUsed.peak, diskTotal)],
      ['Network in', rate(rx.latest), rate(rx.avg), rate(rx.peak)],
      ['Network out', rate(tx.latest), rate(tx.avg), rate(tx.peak)],
      ['Load (1 min)', load.latest?.toFixed(2) ?? '–', load.avg?.toFixed(2) ?? '–', load.peak?.toFixed(2) ?? '–'],
    ];
    for (const line of table(rows)) ctx.io.out(line);
    const cpuLine = series.points.flatMap((p) => (isGap(p) ? new Array<null>(Math.max(1, Math.round((p.until - p.t) / series.step))).fill(null) : [p.avg.cpu ?? null]));
    if (cpu.avg !== undefined) ctx.io.out(`CPU  ${sparkline(cpuLine)}`);
    return 0;
  },
};

function formatStep(ms: number): string {
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${ms / 3_600_000} h`;
  return `${ms / 86_400_000} d`;
}

export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'list active alerts (and, with --all, resolved ones)',
  usage: `rackdeck alerts [--all] [--server S] [--ack ID | --ack-all] [--json]
       rackdeck alerts ack <ID> [--note "why, who, until when"]

  --all       also the resolved alerts, newest first
  --server S  only this server's
  --ack ID    acknowledge one alert (no more notifications about it)
  --ack-all   acknowledge every active alert (of --server, if given)
  --json      machine-readable output`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { all: { type: 'boolean' }, server: { type: 'string' }, ack: { type: 'string' }, 'ack-all': { type: 'boolean' }, note: { type: 'string' }, json: { type: 'boolean' } });
    // `alerts ack <id>` is the same as `alerts --ack <id>`.
    const ackId = positionals[0] === 'ack' ? onePositional(positionals.slice(1), 'alert id') : values.ack;
    if (positionals.length && positionals[0] !== 'ack') throw new UsageError(`unexpected ${positionals.join(' ')}`);
    if (values.note !== undefined && !ackId) throw new UsageError('--note goes with an acknowledgement: rackdeck alerts ack <ID> --note "…"');
    const { client } = ctx.open();
    const serverId = values.server ? await serverIdOf(client, values.server) : undefined;
    if (ackId) {
      const a = await client.alerts.ack({ id: ackId, ...(values.note ? { note: values.note } : {}) });
      ctx.io.out(values.json ? JSON.stringify(a, null, 2) : `Acknowledged ${a.id}: ${a.title}${a.ackNote ? ` (${a.ackNote})` : ''}`);
      return 0;
    }
    if (values['ack-all']) {
      const r = await client.alerts.ackAll(serverId ? { serverId } : {});
      ctx.io.out(values.json ? JSON.stringify(r) : `Acknowledged ${r.acknowledged} alert(s)`);
      return 0;
    }
    const list = await client.alerts.list({ state: values.all ? 'all' : 'active', ...(serverId ? { serverId } : {}) });
    if (values.json) {
      ctx.io.out(JSON.stringify(list, null, 2));
      return 0;
    }
    await sayWhenNotGathering(client, ctx);
    if (list.length === 0) {
      ctx.io.out(values.all ? 'No alerts.' : 'No active alerts.');
      return 0;
    }
    const now = Date.now();
    for (const line of table([['ID', 'STATE', 'SEVERITY', 'SERVER', 'SINCE', 'ACK', 'ALERT'], ...list.map((a) => alertRow(a, now))])) ctx.io.out(line);
    return 0;
  },
};

function alertRow(a: AlertView, now: number): string[] {
  return [a.id, a.state === 'active' ? 'ACTIVE' : 'resolved', a.severity, a.serverName ?? a.subject, ago(a.startedAt, now), a.acknowledgedAt ? 'yes' : '-', a.title];
}

/** `30m`, `2h`, `7d`, `1w` before now, or an ISO date / date-time. */
export function parseSince(text: string, now: number): number {
  const m = /^(\d+)\s*(s|m|min|h|d|w)$/i.exec(text.trim());
  if (m) {
    const unit: Record<string, number> = { s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
    return now - Number(m[1]) * (unit[(m[2] as string).toLowerCase()] as number);
  }
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw new UsageError(`--since takes a duration like 30m, 12h, 7d or a date like 2026-01-31, got "${text}"`);
  return t;
}

export const logCommand: Command = {
  name: 'log',
  summary: 'show the action log: power actions and Proxmox tasks, who asked, how they ended',
  usage: `rackdeck log [--since 24h|DATE] [--server S] [--kind power|task] [--limit N] [--csv | --json]

  --since T   only entries since T: a duration (30m, 12h, 7d) or a date (2026-01-31)
  --server S  only this server's entries
  --kind K    power or task
  --limit N   the newest N entries
  --csv       CSV, for a spreadsheet
  --json      machine-readable output`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { since: { type: 'string' }, server: { type: 'string' }, kind: { type: 'string' }, limit: { type: 'string' }, csv: { type: 'boolean' }, json: { type: 'boolean' } }, false);
    if (positionals.length) throw new UsageError(`unexpected ${positionals.join(' ')}`);
    if (values.kind && values.kind !== 'power' && values.kind !== 'task') throw new UsageError(`--kind is power or task, got "${values.kind}"`);
    const { client } = ctx.open();
    const now = Date.now();
    const limit = intOption(values.limit, 'limit', 1, 100_000);
    const filter: ActionFilter = {
      ...(values.since ? { since: parseSince(values.since, now) } : {}),
      ...(values.server ? { serverId: await serverIdOf(client, values.server) } : {}),
      ...(values.kind ? { kind: values.kind as 'power' | 'task' } : {}),
      ...(limit !== undefined ? { limit } : {}),
    };
    if (values.csv) {
      const { csv } = await client.actions.csv(filter);
      ctx.io.out(csv.replace(/\r\n$/, ''));
      return 0;
    }
    const entries = await client.actions.log(filter);
    if (values.json) {
      ctx.io.out(JSON.stringify(entries, null, 2));
      return 0;
    }
    await sayWhenNotGathering(client, ctx);
    if (entries.length === 0) {
      ctx.io.out('No actions logged.');
      return 0;
    }
    const rows = entries.map((e) => [new Date(e.at).toISOString().replace('T', ' ').slice(0, 19), e.serverName ?? e.serverId ?? '-', e.kind, e.action, e.face, e.result, e.detail ?? '']);
    for (const line of table([['TIME (UTC)', 'SERVER', 'KIND', 'ACTION', 'FROM', 'RESULT', 'DETAIL'], ...rows])) ctx.io.out(line);
    return 0;
  },
};

export const monitoringCommands: Command[] = [metricsCommand, alertsCommand, logCommand];
