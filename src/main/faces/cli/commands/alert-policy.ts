import type { MaintenanceWindow, RuleOverride } from '../../../../shared/contract/alert-policy';
import { UsageError, onePositional, parse } from '../args';
import type { Command } from '../command';
import { table } from '../format';

/**
 * `rackdeck maintenance …` and `rackdeck overrides …` (issue 18): the alert policy beside the
 * rules. Each change is the whole list sent back with one entry added or removed, so the engine
 * checks it all (ids, servers, cron expressions) before anything is saved.
 */
const MAINTENANCE_USAGE = `rackdeck maintenance <list|add|remove> …

  list [--json]                               the windows, and who is in one now
  add <id> (--server S | --group G) [--name N]
      (--from DATE --until DATE | --cron "0 2 * * 0" --minutes 120 [--tz Europe/Berlin])
  remove <id>`;

const OVERRIDES_USAGE = `rackdeck overrides <list|set|clear> …

  list [--json]
  set <server> <rule> [--threshold PCT] [--for MIN] [--off | --on]   change a rule for one server
  clear <server> [<rule>]                                            back to the rule as it is`;

const time = (text: string, name: string): number => {
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw new UsageError(`--${name} takes a date and time like 2026-12-24T08:00, got "${text}"`);
  return t;
};

const numberOption = (text: string | undefined, name: string): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} takes a number, got "${text}"`);
  return n;
};

function describeWindow(w: MaintenanceWindow): string {
  if (w.cron) return `"${w.cron}"${w.timezone ? ` ${w.timezone}` : ''} for ${w.durationMinutes} min`;
  return `${new Date(w.start ?? 0).toISOString()} → ${new Date(w.end ?? 0).toISOString()}`;
}

export const maintenanceCommand: Command = {
  name: 'maintenance',
  summary: 'maintenance windows that silence a server\'s or a group\'s alerts',
  usage: MAINTENANCE_USAGE,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, {
      json: { type: 'boolean' },
      server: { type: 'string' },
      group: { type: 'string' },
      name: { type: 'string' },
      from: { type: 'string' },
      until: { type: 'string' },
      cron: { type: 'string' },
      minutes: { type: 'string' },
      tz: { type: 'string' },
    });
    const { client } = ctx.open();
    if (sub === 'list') {
      const p = await client.alertPolicy.get({});
      if (values.json) {
        ctx.io.out(JSON.stringify(p, null, 2));
        return 0;
      }
      if (p.maintenance.length === 0) ctx.io.out('No maintenance windows.');
      else for (const line of table([['ID', 'NAME', 'FOR', 'WHEN'], ...p.maintenance.map((w) => [w.id, w.name, 'serverId' in w.target ? `server ${w.target.serverId}` : `group ${w.target.group}`, describeWindow(w)])])) ctx.io.out(line);
      for (const [id, until] of Object.entries(p.inMaintenance)) ctx.io.out(`${id} is in maintenance until ${new Date(until).toISOString()}`);
      return 0;
    }
    if (sub === 'add') {
      const id = onePositional(positionals, 'id');
      if (!values.server === !values.group) throw new UsageError('give either --server or --group');
      const oneOff = values.from !== undefined || values.until !== undefined;
      if (oneOff === (values.cron !== undefined)) throw new UsageError('give either --from and --until, or --cron with --minutes');
      const timing = oneOff
        ? { start: time(values.from ?? '', 'from'), end: time(values.until ?? '', 'until') }
        : { cron: values.cron as string, durationMinutes: numberOption(values.minutes, 'minutes'), ...(values.tz ? { timezone: values.tz } : {}) };
      const target = values.server ? { serverId: values.server } : { group: values.group as string };
      const current = await client.alertPolicy.get({});
      const window = { id, name: values.name ?? id, target, ...timing } as MaintenanceWindow;
      const p = await client.alertPolicy.set({ maintenance: [...current.maintenance.filter((w) => w.id !== id), window] });
      ctx.io.out(`Saved maintenance window ${id}${p.inMaintenance[values.server ?? ''] ? ' (in force now)' : ''}`);
      return 0;
    }
    if (sub === 'remove') {
      const id = onePositional(positionals, 'id');
      const current = await client.alertPolicy.get({});
      if (!current.maintenance.some((w) => w.id === id)) throw new UsageError(`no maintenance window "${id}"`);
      await client.alertPolicy.set({ maintenance: current.maintenance.filter((w) => w.id !== id) });
      ctx.io.out(`Removed maintenance window ${id}`);
      return 0;
    }
    throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand: list, add or remove');
  },
};

export const overridesCommand: Command = {
  name: 'overrides',
  summary: 'per-server changes to an alert rule (threshold, grace, on/off)',
  usage: OVERRIDES_USAGE,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, { json: { type: 'boolean' }, threshold: { type: 'string' }, for: { type: 'string' }, off: { type: 'boolean' }, on: { type: 'boolean' } });
    const { client } = ctx.open();
    const current = await client.alertPolicy.get({});
    if (sub === 'list') {
      if (values.json) {
        ctx.io.out(JSON.stringify(current.overrides, null, 2));
        return 0;
      }
      const rows = Object.entries(current.overrides).flatMap(([server, byRule]) =>
        Object.entries(byRule).map(([rule, o]) => [server, rule, o.threshold !== undefined ? `${o.threshold} %` : '-', o.forMinutes !== undefined ? `${o.forMinutes} min` : '-', o.enabled === undefined ? '-' : o.enabled ? 'on' : 'off']),
      );
      if (rows.length === 0) ctx.io.out('No overrides: every rule applies as written.');
      else for (const line of table([['SERVER', 'RULE', 'THRESHOLD', 'FOR', 'STATE'], ...rows])) ctx.io.out(line);
      return 0;
    }
    if (sub === 'set') {
      if (positionals.length !== 2) throw new UsageError('set takes <server> <rule>');
      const [server, rule] = positionals as [string, string];
      if (values.on && values.off) throw new UsageError('--on or --off, not both');
      const threshold = numberOption(values.threshold, 'threshold');
      const forMinutes = numberOption(values.for, 'for');
      const o: RuleOverride = { ...(threshold !== undefined ? { threshold } : {}), ...(forMinutes !== undefined ? { forMinutes } : {}), ...(values.on ? { enabled: true } : values.off ? { enabled: false } : {}) };
      if (Object.keys(o).length === 0) throw new UsageError('nothing to change: give --threshold, --for, --on or --off');
      const overrides = { ...current.overrides, [server]: { ...current.overrides[server], [rule]: { ...current.overrides[server]?.[rule], ...o } } };
      await client.alertPolicy.set({ overrides });
      ctx.io.out(`Rule ${rule} on ${server}: ${JSON.stringify(overrides[server]?.[rule])}`);
      return 0;
    }
    if (sub === 'clear') {
      if (positionals.length < 1 || positionals.length > 2) throw new UsageError('clear takes <server> [<rule>]');
      const [server, rule] = positionals as [string, string | undefined];
      const overrides = { ...current.overrides };
      if (rule) {
        const rest = { ...overrides[server] };
        delete rest[rule];
        if (Object.keys(rest).length) overrides[server] = rest;
        else delete overrides[server];
      } else delete overrides[server];
      await client.alertPolicy.set({ overrides });
      ctx.io.out(`Cleared ${rule ? `rule ${rule} on ` : 'every override of '}${server}`);
      return 0;
    }
    throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand: list, set or clear');
  },
};
