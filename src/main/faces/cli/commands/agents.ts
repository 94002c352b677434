import { HEALTH_LABELS, type AgentKeyInfo, type HealthView, type ReceiverStatus, type ResetRecord } from '../../../../shared/contract/agents';
import { intOption, parse, UsageError } from '../args';
import type { Command, CliContext } from '../command';
import { ago, table } from '../format';

const AGENT_USAGE = `rackdeck agent <subcommand> ...

  key create <server> [--label L] [--json]   create a key; it is printed once, never again
  key revoke <server> | --key ID             revoke every key of a server, or one key
  key list [<server>] [--json]               keys (ids and dates, never the keys)
  install <server> [--url URL]               install the agent over SSH and wait for its first heartbeat
  remove <server>                            remove the agent over SSH and revoke its keys
  status <server> [--json]                   the server's health as its agent reports it
  watch <server> [--auto-reset on|off] [--max-attempts N] [--window MIN] [--cooldown MIN] [--stale MIN]
                                             the watchdog's options for a server
  reset <server> --reason TEXT --yes         reset the guest now through Proxmox, recorded with the reason
  receiver enable --port P [--host A] [--public-url URL]
                                             let agents report here (binds while Rackdeck runs)
  receiver disable | status [--json]`;

function minutesLabel(ms: number): string {
  return `${Math.round(ms / 60_000)} min`;
}

function keyRows(keys: readonly AgentKeyInfo[], now: number): string[] {
  return table([
    ['KEY ID', 'SERVER', 'CREATED', 'LAST USED', 'STATE', 'LABEL'],
    ...keys.map((k) => [k.id, k.serverId, new Date(k.createdAt).toISOString().slice(0, 16).replace('T', ' '), ago(k.lastUsedAt, now), k.revokedAt ? 'revoked' : 'active', k.label ?? '']),
  ]);
}

function healthLines(h: HealthView, now: number): string[] {
  const f = h.figures;
  const lines = [`${h.serverId}: ${HEALTH_LABELS[h.state]}${h.detail ? ` (${h.detail})` : ''}`, `  last heartbeat  ${ago(h.lastReportAt, now)}`];
  if (f) {
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
    lines.push(`  reported        ${f.hostname}${f.vmid !== undefined ? ` (VM ${f.vmid}${f.node ? ` on ${f.node}` : ''})` : ''}`);
    lines.push(`  cpu             ${f.cpuPercent.toFixed(1)} %`);
    lines.push(`  memory          ${gib(f.memUsedBytes)} of ${gib(f.memTotalBytes)}`);
    lines.push(`  disk            ${gib(f.diskUsedBytes)} of ${gib(f.diskTotalBytes)}`);
  }
  const o = h.options;
  lines.push(
    `  auto-reset      ${o.autoReset ? 'on' : 'off'}: ${o.maxAttempts} resets per ${minutesLabel(o.windowMs)}, cool-down ${minutesLabel(o.cooldownMs)}, stale after ${minutesLabel(o.staleMs)}`,
  );
  lines.push(`  resets          ${h.attemptsInWindow} automatic in the current window`);
  lines.push(`  agent key       ${h.hasAgentKey ? 'active' : 'none'}`);
  return lines;
}

function receiverLines(s: ReceiverStatus): string[] {
  if (!s.enabled) return ['Agent receiver: off. Enable it with: rackdeck agent receiver enable --port 7374 [--host ADDRESS]'];
  return [
    `Agent receiver: on, ${s.host}:${s.port}${s.listening ? ' (listening)' : ' (binds when Rackdeck runs: rackdeck serve or the desktop app)'}`,
    ...(s.url ? [`  agents report to ${s.url}`] : ['  set --public-url: agents need an address they can reach']),
    ...(s.error ? [`  error: ${s.error}`] : []),
  ];
}

export function resetRows(resets: readonly ResetRecord[]): string[] {
  return table([
    ['WHEN', 'SOURCE', 'RESULT', 'REASON'],
    ...resets.map((r) => [
      new Date(r.at).toISOString().slice(0, 19).replace('T', ' '),
      r.source,
      r.finishedAt === undefined ? 'running' : r.ok ? 'ok' : `failed: ${r.taskStatus}`,
      r.reason,
    ]),
  ]);
}

function one(positionals: string[], what: string): string {
  if (positionals.length === 0) throw new UsageError(`missing <${what}>`);
  if (positionals.length > 1) throw new UsageError(`unexpected: ${positionals.slice(1).join(' ')}`);
  return positionals[0] as string;
}

async function keyCommand(sub: string | undefined, rest: string[], values: Record<string, unknown>, ctx: CliContext): Promise<number> {
  const { client } = ctx.open();
  const json = values.json === true;
  if (sub === 'create') {
    const server = one(rest, 'server');
    const label = typeof values.label === 'string' ? values.label : undefined;
    const created = await client.agents.createKey({ serverId: server, ...(label ? { label } : {}) });
    if (json) ctx.io.out(JSON.stringify(created, null, 2));
    else {
      ctx.io.out(`Agent key for ${created.info.serverId} (id ${created.info.id}). It is shown this once; store it now:`);
      ctx.io.out('');
      ctx.io.out(`  ${created.key}`);
      ctx.io.out('');
      ctx.io.out('/etc/rackdeck-agent.conf (mode 0600):');
      created.config.trimEnd().split('\n').forEach((l) => ctx.io.out(`  ${l}`));
    }
    return 0;
  }
  if (sub === 'revoke') {
    const keyId = typeof values.key === 'string' ? values.key : undefined;
    if (keyId && rest.length > 0) throw new UsageError('give either <server> or --key ID, not both');
    const { revoked } = await client.agents.revokeKey(keyId ? { keyId } : { serverId: one(rest, 'server') });
    ctx.io.out(revoked.length === 0 ? 'No active key to revoke.' : `Revoked ${revoked.length} key(s): ${revoked.join(', ')}.`);
    return 0;
  }
  if (sub === 'list') {
    if (rest.length > 1) throw new UsageError(`unexpected: ${rest.slice(1).join(' ')}`);
    const keys = await client.agents.listKeys(rest[0] ? { serverId: rest[0] } : {});
    if (json) ctx.io.out(JSON.stringify(keys, null, 2));
    else if (keys.length === 0) ctx.io.out('No agent keys yet. Create one with: rackdeck agent key create <server>');
    else keyRows(keys, Date.now()).forEach((l) => ctx.io.out(l));
    return 0;
  }
  throw new UsageError('agent key takes create, revoke or list');
}

function onOff(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on' || value === 'true' || value === 'yes') return true;
  if (value === 'off' || value === 'false' || value === 'no') return false;
  throw new UsageError(`--auto-reset takes on or off, got "${String(value)}"`);
}

export const agentCommand: Command = {
  name: 'agent',
  summary: 'health agents: keys, install, the receiver and the watchdog',
  usage: AGENT_USAGE,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, {
      json: { type: 'boolean' },
      label: { type: 'string' },
      key: { type: 'string' },
      url: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'public-url': { type: 'string' },
      'auto-reset': { type: 'string' },
      'max-attempts': { type: 'string' },
      window: { type: 'string' },
      cooldown: { type: 'string' },
      stale: { type: 'string' },
      reason: { type: 'string' },
      yes: { type: 'boolean' },
    });
    const [sub, ...rest] = positionals;
    if (sub === 'key') return keyCommand(rest[0], rest.slice(1), values, ctx);
    const { client } = ctx.open();
    const now = Date.now();
    switch (sub) {
      case 'install': {
        const server = one(rest, 'server');
        ctx.io.out(`Installing the agent on ${server}…`);
        const result = await client.agents.install({ id: server, ...(values.url ? { url: values.url } : {}) });
        result.steps.forEach((s) => ctx.io.out(`  ✓ ${s}`));
        ctx.io.out(`Installed (${result.scheduler}), key id ${result.keyId}.`);
        return 0;
      }
      case 'remove': {
        const server = one(rest, 'server');
        const result = await client.agents.uninstall({ id: server });
        ctx.io.out(`Removed the agent from ${result.serverId}; revoked ${result.revoked.length} key(s).`);
        return 0;
      }
      case 'status': {
        const health = await client.agents.health({ id: one(rest, 'server') });
        if (values.json) ctx.io.out(JSON.stringify(health, null, 2));
        else healthLines(health, now).forEach((l) => ctx.io.out(l));
        return 0;
      }
      case 'watch': {
        const server = one(rest, 'server');
        const autoReset = onOff(values['auto-reset']);
        const maxAttempts = intOption(values['max-attempts'], 'max-attempts', 1, 10);
        const windowMinutes = intOption(values.window, 'window', 5, 1440);
        const cooldownMinutes = intOption(values.cooldown, 'cooldown', 1, 240);
        const staleMinutes = intOption(values.stale, 'stale', 1, 120);
        const health = await client.agents.setWatch({
          id: server,
          ...(autoReset !== undefined ? { autoReset } : {}),
          ...(maxAttempts !== undefined ? { maxAttempts } : {}),
          ...(windowMinutes !== undefined ? { windowMinutes } : {}),
          ...(cooldownMinutes !== undefined ? { cooldownMinutes } : {}),
          ...(staleMinutes !== undefined ? { staleMinutes } : {}),
        });
        if (values.json) ctx.io.out(JSON.stringify(health, null, 2));
        else healthLines(health, now).forEach((l) => ctx.io.out(l));
        return 0;
      }
      case 'reset': {
        const server = one(rest, 'server');
        if (!values.reason) throw new UsageError('--reason is required: it is kept in the reset history');
        if (!values.yes) throw new UsageError(`a reset is a hard power cycle of ${server}; add --yes to confirm`);
        const record = await client.agents.reset({ id: server, reason: values.reason });
        ctx.io.out(record.ok ? `Reset ${server}: ${record.taskStatus}.` : `Reset of ${server} failed: ${record.taskStatus}`);
        return record.ok ? 0 : 1;
      }
      case 'receiver': {
        const action = rest[0];
        if (rest.length > 1) throw new UsageError(`unexpected: ${rest.slice(1).join(' ')}`);
        let status: ReceiverStatus;
        if (action === 'enable') {
          const port = intOption(values.port, 'port', 1, 65535);
          if (port === undefined) throw new UsageError('--port is required');
          status = await client.agents.enableReceiver({ port, ...(values.host ? { host: values.host } : {}), ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}) });
          const open = status.host !== '127.0.0.1' && status.host !== 'localhost' && status.host !== '::1';
          if (!open) ctx.io.err('Note: on 127.0.0.1 only agents on this machine can reach the receiver; use --host to listen on your network.');
        } else if (action === 'disable') status = await client.agents.disableReceiver({});
        else if (action === 'status' || action === undefined) status = await client.agents.receiverStatus({});
        else throw new UsageError('agent receiver takes enable, disable or status');
        if (values.json) ctx.io.out(JSON.stringify(status, null, 2));
        else receiverLines(status).forEach((l) => ctx.io.out(l));
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
    }
  },
};

export const resetsCommand: Command = {
  name: 'resets',
  summary: "a server's reset history (watchdog and manual)",
  usage: `rackdeck resets <server> [--json] [--limit N]

Newest first: when, automatic or manual, the task's result and the reason.`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' }, limit: { type: 'string' } });
    const server = one(positionals, 'server');
    const limit = intOption(values.limit, 'limit', 1, 500);
    const { client } = ctx.open();
    const resets = await client.agents.resets({ id: server, ...(limit !== undefined ? { limit } : {}) });
    if (values.json) ctx.io.out(JSON.stringify(resets, null, 2));
    else if (resets.length === 0) ctx.io.out(`No resets of ${server} recorded.`);
    else resetRows(resets).forEach((l) => ctx.io.out(l));
    return 0;
  },
};
