import { CHECK_KIND_LABELS, CHECK_KINDS, intervalOf, type CheckKind, type CheckSpecInput, type CheckView } from '../../../../shared/contract/checks';
import { UsageError, parse } from '../args';
import type { Command } from '../command';
import { ago, table } from '../format';

/** `rackdeck checks list|add|remove|run` (issue 18): a server's checks from the terminal. */

/** Fields whose value is a comma-separated list. */
const LIST_FIELDS = new Set(['devices', 'expected', 'ignore']);

/**
 * `key=value` words into a check's fields: numbers and true/false as such, list fields split on
 * commas, everything else as text. The contract's schema judges the result (so a typo in a
 * field name is refused by name, not ignored).
 */
export function fieldsOf(words: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const w of words) {
    const i = w.indexOf('=');
    if (i <= 0) throw new UsageError(`"${w}" is not key=value (for example url=https://nas.lan/ or keyword=Welcome)`);
    const key = w.slice(0, i);
    const raw = w.slice(i + 1);
    out[key] = LIST_FIELDS.has(key) ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

export function checkRows(views: readonly CheckView[], now: number, withServer: boolean): string[] {
  return table([
    [...(withServer ? ['SERVER'] : []), 'ID', 'KIND', 'EVERY', 'STATE', 'SINCE', 'LAST RUN', 'MESSAGE'],
    ...views.map((v) => [
      ...(withServer ? [v.serverId] : []),
      v.check.id,
      v.check.kind,
      `${intervalOf(v.check)}s`,
      v.check.enabled ? v.state.status : 'disabled',
      ago(v.state.since, now),
      v.state.lastRunAt === undefined ? '-' : `${ago(v.state.lastRunAt, now)} (${v.state.durationMs ?? 0} ms)`,
      v.state.message,
    ]),
  ]);
}

export const checksCommand: Command = {
  name: 'checks',
  summary: 'list, add, remove or run the checks of a server (ping, HTTP, DNS, SMART, temperatures, disks, units, reboots, upgrades, backups, storage, repositories)',
  usage: `rackdeck checks list [<server>] [--json]
rackdeck checks add <server> <kind> [key=value ...] [--json]
rackdeck checks remove <server> <check-id>
rackdeck checks run <server> [<check-id>] [--json]

  kinds: ${CHECK_KINDS.join(', ')}
${CHECK_KINDS.map((k) => `    ${k.padEnd(12)} ${CHECK_KIND_LABELS[k]}`).join('\n')}
  every check takes id=, name=, intervalSec=, failAfter= (failures in a row before failing), timeoutMs=, enabled=
  for example:
    rackdeck checks add nas http url=https://nas.lan/ keyword=Synology certWarnDays=30
    rackdeck checks add web dns name=web.lan resolver=192.0.2.53:5353 expected=192.0.2.10
    rackdeck checks add nas smart devices=/dev/sda,/dev/sdb failAfter=2
    rackdeck checks add pve1 repos noSubscriptionWarns=true
  run exits 1 when a check it ran is failing.`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const [sub, server, ...rest] = positionals;
    const { client } = ctx.open();
    const show = (views: CheckView[], withServer: boolean) => {
      if (values.json) ctx.io.out(JSON.stringify(views, null, 2));
      else if (views.length === 0) ctx.io.out('no checks');
      else for (const line of checkRows(views, Date.now(), withServer)) ctx.io.out(line);
    };
    switch (sub) {
      case 'list': {
        if (rest.length) throw new UsageError(`unexpected ${rest.join(' ')}`);
        show(await client.checks.list(server ? { server } : {}), !server);
        return 0;
      }
      case 'add': {
        const [kind, ...words] = rest;
        if (!server || !kind) throw new UsageError('usage: rackdeck checks add <server> <kind> [key=value ...]');
        if (!(CHECK_KINDS as readonly string[]).includes(kind)) throw new UsageError(`unknown kind "${kind}": ${CHECK_KINDS.join(', ')}`);
        const check = { ...fieldsOf(words), kind: kind as CheckKind } as CheckSpecInput;
        const view = await client.checks.add({ server, check });
        if (values.json) ctx.io.out(JSON.stringify(view, null, 2));
        else ctx.io.out(`added check "${view.check.id}" (${view.check.kind}) to ${server}; it runs every ${intervalOf(view.check)} s`);
        return 0;
      }
      case 'remove': {
        const [id, ...more] = rest;
        if (!server || !id || more.length) throw new UsageError('usage: rackdeck checks remove <server> <check-id>');
        const { removed } = await client.checks.remove({ server, id });
        ctx.io.out(removed ? `removed check "${id}" from ${server}` : `${server} has no check "${id}"`);
        return removed ? 0 : 1;
      }
      case 'run': {
        const [id, ...more] = rest;
        if (!server || more.length) throw new UsageError('usage: rackdeck checks run <server> [<check-id>]');
        const views = await client.checks.run({ server, ...(id ? { id } : {}) });
        show(views, false);
        return views.some((v) => v.state.status === 'failing') ? 1 : 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}": list, add, remove or run` : 'usage: rackdeck checks list|add|remove|run <server>');
    }
  },
};
