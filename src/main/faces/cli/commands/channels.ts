import { CHANNEL_KINDS, CHANNEL_KIND_LABELS, CHANNEL_SECRET_LABELS, type ChannelKind, type ChannelSave, type ChannelView } from '../../../../shared/contract/channels';
import { UsageError, intOption, onePositional, parse } from '../args';
import type { CliIo, Command } from '../command';
import { table } from '../format';

/**
 * `rackdeck channels list|add|test|remove` (issue 18). A secret (token, password, webhook URL,
 * or a whole Apprise URL, which carries one) is read from stdin, never from the command line,
 * where it would land in the shell's history and the process list.
 */
const USAGE = `rackdeck channels <list|add|test|remove> …

  list [--json]                      the channels (secrets show as "set", never their value)
  add --url-stdin [--id ID] [--name NAME] [--digest MIN]
                                     an Apprise-style URL read from stdin: tgram://TOKEN/CHAT,
                                     discord://ID/TOKEN, gotify://HOST/TOKEN, ntfys://HOST/TOPIC,
                                     slack://A/B/C, matrixs://TOKEN@HOST/#room, pover://USER@TOKEN,
                                     hassio://HOST/TOKEN, mailto://USER:PASS@HOST?to=…, json://…
  add <kind> --id ID [--name NAME] [--set KEY=VALUE]… [--secret-stdin] [--digest MIN] [--disabled]
                                     kinds: ${CHANNEL_KINDS.join(', ')}
                                     e.g. add gotify --id phone --set server=https://push.example.org --secret-stdin
  test <id>                          send a test message now
  remove <id>                        remove the channel and its stored secret`;

/** The secret piped in (one line; the trailing newline dropped). */
export async function readStdinSecret(io: CliIo, what: string): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) io.err(`${what} (input is shown; pipe it in to hide it): `);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    if (stdin.isTTY && Buffer.concat(chunks).includes(10)) break;
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!text) throw new UsageError(`no ${what} on stdin`);
  return text;
}

/** `--set key=value` pairs into a kind's settings: numbers where the schema wants them, lists split at commas. */
export function settingsOf(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes KEY=VALUE, got "${pair}"`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    out[key] = key === 'port' && /^\d+$/.test(value) ? Number(value) : key === 'to' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
  }
  return out;
}

function describeSettings(c: ChannelView): string {
  const s = c.settings as Record<string, unknown>;
  const parts = Object.entries(s)
    .filter(([k, v]) => v !== undefined && k !== 'template')
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  return parts.join(' ');
}

export const channelsCommand: Command = {
  name: 'channels',
  summary: 'alert channels: list, add (Apprise URLs too), send a test, remove',
  usage: USAGE,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, {
      json: { type: 'boolean' },
      'url-stdin': { type: 'boolean' },
      'secret-stdin': { type: 'boolean' },
      id: { type: 'string' },
      name: { type: 'string' },
      set: { type: 'string', multiple: true },
      digest: { type: 'string' },
      disabled: { type: 'boolean' },
    });
    if (sub === 'list') {
      if (positionals.length) throw new UsageError(`unexpected ${positionals.join(' ')}`);
      const list = await ctx.open().client.channels.list({});
      if (values.json) {
        ctx.io.out(JSON.stringify(list, null, 2));
        return 0;
      }
      if (list.length === 0) {
        ctx.io.out('No channels. Add one with: rackdeck channels add --url-stdin');
        return 0;
      }
      const rows = list.map((c) => [c.id, CHANNEL_KIND_LABELS[c.kind], c.name, c.enabled ? 'on' : 'off', c.secretSet ? `set${c.secretHint ? ` (${c.secretHint})` : ''}` : '-', c.digestMinutes ? `${c.digestMinutes} min` : '-', describeSettings(c)]);
      for (const line of table([['ID', 'KIND', 'NAME', 'STATE', 'SECRET', 'DIGEST', 'SETTINGS'], ...rows])) ctx.io.out(line);
      return 0;
    }
    if (sub === 'add') {
      const digest = intOption(values.digest, 'digest', 0, 1440);
      let input: ChannelSave;
      if (values['url-stdin']) {
        if (positionals.length) throw new UsageError('with --url-stdin the channel comes from the URL: no <kind>');
        const url = await readStdinSecret(ctx.io, 'Apprise URL');
        input = { url, ...(values.id ? { id: values.id } : {}), ...(values.name ? { name: values.name } : {}) };
      } else {
        const kind = onePositional(positionals, 'kind');
        if (!(CHANNEL_KINDS as readonly string[]).includes(kind)) throw new UsageError(`unknown kind "${kind}"; kinds: ${CHANNEL_KINDS.join(', ')}`);
        if (!values.id) throw new UsageError('--id is required (1–40 lowercase letters, digits or dashes)');
        const secret = values['secret-stdin'] ? await readStdinSecret(ctx.io, CHANNEL_SECRET_LABELS[kind as ChannelKind]) : undefined;
        const channel = { id: values.id, name: values.name ?? values.id, kind, enabled: !values.disabled, ...(digest !== undefined ? { digestMinutes: digest } : {}), settings: settingsOf(values.set ?? []) };
        input = { channel: channel as NonNullable<ChannelSave['channel']>, ...(secret !== undefined ? { secret } : {}) };
      }
      const { client } = ctx.open();
      let saved = await client.channels.save(input);
      if (input.url !== undefined && (digest !== undefined || values.disabled)) {
        const { secretSet: _set, secretHint: _hint, legacy: _legacy, ...channel } = saved;
        saved = await client.channels.save({ channel: { ...channel, enabled: !values.disabled, digestMinutes: digest ?? channel.digestMinutes } });
      }
      ctx.io.out(values.json ? JSON.stringify(saved, null, 2) : `Saved channel ${saved.id} (${CHANNEL_KIND_LABELS[saved.kind]}${saved.secretSet ? ', secret set' : ''}). Try it: rackdeck channels test ${saved.id}`);
      return 0;
    }
    if (sub === 'test') {
      const id = onePositional(positionals, 'id');
      const r = await ctx.open().client.channels.test({ id });
      if (values.json) ctx.io.out(JSON.stringify(r));
      else (r.ok ? ctx.io.out : ctx.io.err)(`${r.ok ? 'Sent' : 'Failed'}: ${r.detail}`);
      return r.ok ? 0 : 1;
    }
    if (sub === 'remove') {
      const id = onePositional(positionals, 'id');
      await ctx.open().client.channels.remove({ id });
      ctx.io.out(`Removed channel ${id}`);
      return 0;
    }
    throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand: list, add, test or remove');
  },
};
