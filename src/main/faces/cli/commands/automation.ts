import type { RackdeckClient } from '../../../../shared/contract';
import { IDLE_ACTIONS, SCHEDULE_ACTIONS, type AutomationRun, type ScheduleAction, type ScheduleInput, type ScheduleTarget, type ScheduleView } from '../../../../shared/contract/automation';
import { parse, UsageError } from '../args';
import type { CliContext, Command } from '../command';
import { table } from '../format';

/** `rackdeck schedule`, `rackdeck idle`, `rackdeck keep-awake` (issue 17): through the running engine like every command. */

/** "2h", "90m", "1h30m", "45" (minutes) as minutes. */
export function minutesOf(text: string, option: string): number {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?:in)?)?$/.exec(t);
  if (!m || t === '' || (!m[1] && !m[2] && !m[3])) throw new UsageError(`${option} takes a duration like 2h, 90m or 1h30m, got "${text}"`);
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function numberOption(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > max) throw new UsageError(`--${name} must be a number from 0 to ${max}, got "${value}"`);
  return n;
}

/** Local time, minutes: "Mon 2026-01-05 23:00". */
export function when(at: number): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.toLocaleDateString('en-US', { weekday: 'short' })} ${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

async function namesOf(client: RackdeckClient): Promise<Map<string, string>> {
  return new Map((await client.servers.snapshot({})).servers.map((s) => [s.id, s.name]));
}

const targetText = (t: ScheduleTarget, names: Map<string, string>) => ('group' in t ? `group ${t.group}` : (names.get(t.serverId) ?? t.serverId));

function runLine(r: AutomationRun): string {
  const by = r.source === 'idle' ? 'idle' : (r.scheduleName ?? r.scheduleId ?? 'schedule');
  return `${when(r.at)}  ${r.outcome.padEnd(7)}  ${r.action} ${r.serverName} (${by})${r.reason ? `: ${r.reason}` : ''}`;
}

const SCHEDULE_USAGE = `rackdeck schedule add <server> <action> <when> [options]
rackdeck schedule add --group <name> <action> <when> [options]
rackdeck schedule list [--json]
rackdeck schedule remove <id>
rackdeck schedule next [--hours N] [--json]

Actions: ${SCHEDULE_ACTIONS.join(', ')}.
When: a cron expression ("30 23 * * *") or a form like "weekdays 07:00", "daily 23:30",
"sat,sun 09:00". A power-down is skipped, and the action log says why, while someone is
logged in over SSH, a guest runs, or a backup runs on the node (each can be turned off), or
when CPU or network is above a line you set.
  --tz ZONE            the time zone of <when> (Europe/Paris); this machine's by default
  --name NAME          a name for the log and the lists
  --cpu-above PCT      skip while CPU is above PCT %
  --net-above MBPS     skip while network in + out is above MBPS Mb/s
  --ignore-logins      do not check who is logged in
  --ignore-guests      do not check for running guests
  --ignore-backups     do not check for running backups
  --disabled           save it switched off`;

async function scheduleAdd(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, {
    group: { type: 'string' },
    tz: { type: 'string' },
    name: { type: 'string' },
    'cpu-above': { type: 'string' },
    'net-above': { type: 'string' },
    'ignore-logins': { type: 'boolean' },
    'ignore-guests': { type: 'boolean' },
    'ignore-backups': { type: 'boolean' },
    disabled: { type: 'boolean' },
  });
  const rest = [...positionals];
  const target: ScheduleTarget = values.group !== undefined ? { group: values.group } : { serverId: rest.shift() ?? '' };
  if ('serverId' in target && target.serverId === '') throw new UsageError('missing <server> (or --group <name>)');
  const action = rest.shift();
  if (!action || !(SCHEDULE_ACTIONS as readonly string[]).includes(action)) throw new UsageError(`<action> must be one of ${SCHEDULE_ACTIONS.join(', ')}, got "${action ?? ''}"`);
  // The time may come as one quoted word or several ("daily" "23:30").
  const whenText = rest.join(' ').trim();
  if (!whenText) throw new UsageError('missing <when>: a cron expression or a form like "weekdays 07:00"');
  const cpu = numberOption(values['cpu-above'], 'cpu-above', 100);
  const net = numberOption(values['net-above'], 'net-above', 100_000);
  const input: ScheduleInput = {
    target,
    action: action as ScheduleAction,
    when: whenText,
    ...(values.tz ? { timezone: values.tz } : {}),
    ...(values.name ? { name: values.name } : {}),
    conditions: {
      sshLogins: !values['ignore-logins'],
      guestsRunning: !values['ignore-guests'],
      backupRunning: !values['ignore-backups'],
      ...(cpu !== undefined ? { cpuAbovePct: cpu } : {}),
      ...(net !== undefined ? { netAboveMbps: net } : {}),
    },
    enabled: !values.disabled,
  };
  const { client } = ctx.open();
  const s = await client.automation.addSchedule(input);
  const names = await namesOf(client);
  ctx.io.out(`Added schedule ${s.id}: ${s.action} ${targetText(s.target, names)} at "${s.when}" (cron ${s.cron}${s.timezone ? `, ${s.timezone}` : ''}).`);
  ctx.io.out(s.nextAt !== undefined ? `Next run: ${when(s.nextAt)}.` : 'It is switched off.');
  return 0;
}

async function scheduleList(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } }, false);
  const { client } = ctx.open();
  const list: ScheduleView[] = await client.automation.schedules({});
  if (values.json) {
    ctx.io.out(JSON.stringify(list, null, 2));
    return 0;
  }
  if (list.length === 0) {
    ctx.io.out('No schedules. Add one with: rackdeck schedule add <server> suspend "daily 23:30"');
    return 0;
  }
  const names = await namesOf(client);
  const rows = list.map((s) => [s.id, s.name ?? '', s.action, targetText(s.target, names), s.when + (s.timezone ? ` (${s.timezone})` : ''), s.enabled ? (s.nextAt !== undefined ? when(s.nextAt) : '–') : 'off']);
  for (const line of table([['ID', 'NAME', 'ACTION', 'TARGET', 'WHEN', 'NEXT'], ...rows])) ctx.io.out(line);
  return 0;
}

async function scheduleNext(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { hours: { type: 'string' }, json: { type: 'boolean' } }, false);
  const hours = values.hours === undefined ? 24 : Number(values.hours);
  if (!Number.isInteger(hours) || hours < 1 || hours > 168) throw new UsageError(`--hours must be a whole number from 1 to 168, got "${values.hours}"`);
  const { client } = ctx.open();
  const view = await client.automation.next({ hours });
  if (values.json) {
    ctx.io.out(JSON.stringify(view, null, 2));
    return 0;
  }
  const names = await namesOf(client);
  ctx.io.out(`Next ${hours} h:`);
  if (view.upcoming.length === 0) ctx.io.out('  nothing scheduled');
  for (const u of view.upcoming) {
    const who = u.serverIds.map((id) => names.get(id) ?? id).join(', ');
    ctx.io.out(`  ${when(u.at)}  ${u.action} ${who || '(nobody)'}${u.scheduleName ? `  [${u.scheduleName}]` : ''}${u.note ? `  (${u.note})` : ''}`);
  }
  ctx.io.out(`Last ${hours} h:`);
  if (view.recent.length === 0) ctx.io.out('  nothing ran');
  for (const r of view.recent) ctx.io.out(`  ${runLine(r)}`);
  return 0;
}

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'wake, suspend or shut servers down at set times, skipping when someone uses them',
  usage: SCHEDULE_USAGE,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'add':
        return scheduleAdd(rest, ctx);
      case 'list':
        return scheduleList(rest, ctx);
      case 'next':
        return scheduleNext(rest, ctx);
      case 'remove':
      case 'rm': {
        const { positionals } = parse(rest, {});
        if (positionals.length !== 1) throw new UsageError('schedule remove takes one <id> (see rackdeck schedule list)');
        const { removed } = await ctx.open().client.automation.removeSchedule({ id: positionals[0] as string });
        ctx.io.out(`Removed schedule ${removed}.`);
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}": add, list, remove or next` : 'missing subcommand: add, list, remove or next');
    }
  },
};

export const idleCommand: Command = {
  name: 'idle',
  summary: 'suspend a server when it has been idle for a while',
  usage: `rackdeck idle                       list the servers with idle auto-suspend
rackdeck idle <server> [options]    set it for a server
rackdeck idle <server> --off        remove it

After --after (30m) with CPU below --cpu (10 %), network below --net (1 Mb/s), nobody logged in
over SSH, no guest and no backup running, Rackdeck powers the server down with --action
(${IDLE_ACTIONS.join(', ')}) and says so in a notification. Never within --after-wake (15m) of a
wake, never while a keep-awake holds it (rackdeck keep-awake).`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, {
      after: { type: 'string' },
      cpu: { type: 'string' },
      net: { type: 'string' },
      action: { type: 'string' },
      'after-wake': { type: 'string' },
      off: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const { client } = ctx.open();
    if (positionals.length === 0) {
      const list = await client.automation.idle({});
      if (values.json) ctx.io.out(JSON.stringify(list, null, 2));
      else if (list.length === 0) ctx.io.out('No server has idle auto-suspend. Set it with: rackdeck idle <server> --after 30m');
      else for (const line of table([['SERVER', 'AFTER', 'CPU <', 'NET <', 'ACTION', 'NOW'], ...list.map((v) => [v.serverName, `${v.idleMinutes}m`, `${v.cpuBelowPct} %`, `${v.netBelowMbps} Mb/s`, v.action, v.busy ?? (v.idleSince !== undefined ? `idle since ${when(v.idleSince)}` : '–')])])) ctx.io.out(line);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError(`expected one <server>, got ${positionals.join(' ')}`);
    const ref = positionals[0] as string;
    if (values.off) {
      await client.automation.removeIdle({ serverId: ref });
      ctx.io.out(`Idle auto-suspend is off for ${ref}.`);
      return 0;
    }
    if (values.action !== undefined && !(IDLE_ACTIONS as readonly string[]).includes(values.action)) throw new UsageError(`--action must be one of ${IDLE_ACTIONS.join(', ')}`);
    const cpu = numberOption(values.cpu, 'cpu', 100);
    const net = numberOption(values.net, 'net', 100_000);
    const v = await client.automation.setIdle({
      serverId: ref,
      ...(values.after !== undefined ? { idleMinutes: minutesOf(values.after, '--after') } : {}),
      ...(cpu !== undefined ? { cpuBelowPct: cpu } : {}),
      ...(net !== undefined ? { netBelowMbps: net } : {}),
      ...(values.action !== undefined ? { action: values.action as (typeof IDLE_ACTIONS)[number] } : {}),
      ...(values['after-wake'] !== undefined ? { afterWakeMinutes: minutesOf(values['after-wake'], '--after-wake') } : {}),
    });
    ctx.io.out(`${v.serverName} will ${v.action} after ${v.idleMinutes} min idle (CPU below ${v.cpuBelowPct} %, network below ${v.netBelowMbps} Mb/s, nobody logged in, no guest running), never within ${v.afterWakeMinutes} min of a wake.`);
    return 0;
  },
};

export const keepAwakeCommand: Command = {
  name: 'keep-awake',
  summary: 'hold idle auto-suspend off a server for a while (2 h), waking it if it sleeps',
  usage: `rackdeck keep-awake <server> [--for 2h]`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { for: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('keep-awake takes one <server>');
    const minutes = values.for === undefined ? 120 : minutesOf(values.for, '--for');
    if (minutes < 1 || minutes > 10_080) throw new UsageError('--for is from 1 minute to 7 days');
    const { client } = ctx.open();
    const r = await client.automation.keepAwake({ serverId: positionals[0] as string, minutes });
    const names = await namesOf(client);
    ctx.io.out(`${names.get(r.serverId) ?? r.serverId} stays awake until ${when(r.until)}.`);
    return 0;
  },
};

export const automationCommands: Command[] = [scheduleCommand, idleCommand, keepAwakeCommand];
