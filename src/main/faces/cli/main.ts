import type { RackdeckClient } from '../../../shared/contract';
import { RackdeckError, type Transport } from '../../../shared/ipc';
import type { SetAsideServer } from '../../../shared/contract/servers';
import type { Logger } from '../../base/logger';
import { resolveHome } from '../../store/home';
import { VERSION } from '../../base/version';
import { UsageError } from './args';
import type { CliContext, CliIo, Command } from './command';
import { allCommands, findCommand } from './commands';
import { cliClient } from './client';
import { deferredTransport, linkToEngine, type EngineLink } from './engine-link';

function homeFlag(argv: string[]): string | undefined {
  // After `--` the words are a remote command's (`rackdeck exec box -- …`), not ours.
  const ours = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const i = ours.findIndex((a) => a === '--home' || a.startsWith('--home='));
  if (i < 0) return undefined;
  const arg = argv[i] as string;
  return arg.includes('=') ? arg.slice('--home='.length) : argv[i + 1];
}

/**
 * `rackdeck --home DIR add …` as well as `rackdeck add … --home DIR`: a home named before the
 * command is moved behind the command's name, where every command reads it.
 */
export function homeFirst(argv: readonly string[]): string[] {
  const [first, second, ...rest] = argv;
  if (first === '--home' && second !== undefined && rest.length > 0) return [rest[0] as string, '--home', second, ...rest.slice(1)];
  if (first?.startsWith('--home=') && second !== undefined) return [second, first, ...rest];
  return [...argv];
}

async function help(): Promise<string> {
  const commands = await allCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `Rackdeck ${VERSION}: the control room of your homelab.`,
    '',
    'Usage: rackdeck <command> [options]   (rackdeck <command> --help for more)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --home DIR (or RACKDECK_HOME), before or after its name, to choose where',
    'data lives. While the desktop app or `rackdeck serve` runs on that home, commands go through it.',
  ].join('\n');
}

/**
 * Server entries of config.json set aside as unloadable, said once per command that loads the
 * config (on stderr, so scripts reading stdout are undisturbed) until the admin deals with them:
 * the CLI's logger is otherwise silent, and a server missing from `list` must not go unexplained.
 */
async function tellSetAside(transport: Transport, io: CliIo): Promise<void> {
  const result = await transport.invoke('servers.rejected', {}).catch(() => undefined);
  if (!result?.ok) return;
  const { servers } = result.value as { servers: SetAsideServer[] };
  if (servers.length === 0) return;
  io.err(`rackdeck: ${servers.length === 1 ? '1 server entry' : `${servers.length} server entries`} of config.json set aside (every other server loaded):`);
  for (const s of servers) {
    const who = s.name ?? s.id ?? `entry ${s.index + 1}`;
    io.err(`  ${who}${s.outcome === 'loaded-without-parent' ? ' (loaded without its parent)' : ''}: ${s.reason}`);
    io.err(`    kept in ${s.keptIn}`);
  }
  io.err('  Fix each entry and put it back in config.json, or delete the file that keeps it.');
}

/**
 * The command's requests go out at once, beside the set-aside question, rather than one round
 * trip after it; each answer is handed on only once the set-aside report is said, so the admin
 * still reads it first.
 */
export function afterReport(transport: Transport, told: Promise<void>): Pick<EngineLink, 'transport'> {
  return {
    transport: {
      async invoke(channel, input, options) {
        const answer = transport.invoke(channel, input, options);
        await told;
        return answer;
      },
      on: (event, listener) => transport.on(event, listener),
    },
  };
}

/** Input refused field by field (exit 2); a refused action on valid input (no fields) is exit 1. */
export function isRefusedInput(error: unknown): error is RackdeckError {
  return error instanceof RackdeckError && error.code === 'bad_request' && Object.keys(error.fields ?? {}).length > 0;
}

/**
 * A request the contract refused, as the admin reads it: one line per field, named by its
 * schema path (the same path the UI puts the error under) and, when the command knows it, the
 * option that set it.
 */
export function refusal(command: Pick<Command, 'name' | 'flagFor'>, error: RackdeckError): string {
  const fields = Object.entries(error.fields ?? {});
  if (fields.length === 0) return `rackdeck ${command.name}: ${error.message}`;
  const lines = fields.map(([path, message]) => {
    const field = path.replace(/^patch\./, '');
    const flag = command.flagFor?.(field);
    return `  ${field}${flag ? ` (${flag})` : ''}: ${message}`;
  });
  // A handler's own sentence says more than its field ("A gotify channel needs its application
  // token"); the schema's generic "Invalid request: …" only repeats the lines below.
  const said = /^Invalid request\b/.test(error.message) ? '' : ` ${error.message.replace(/\.$/, '')}.`;
  return [`rackdeck ${command.name}: refused, nothing was changed.${said}`, ...lines].join('\n');
}

/** Runs one CLI invocation and returns its exit code. */
export function runCli(argv: string[], io: CliIo): Promise<number> {
  return runCliWith(argv, io, { engine: false });
}

/**
 * runCli, saying in `ended.engine` whether the command ran an engine of its own (no engine
 * answered on the home's socket) and stopped it: the bin's entry then ends the process as soon
 * as the output is written (entry.ts says why).
 */
export async function runCliWith(argv: string[], io: CliIo, ended: { engine: boolean }): Promise<number> {
  ended.engine = false;
  const [name, ...rest] = homeFirst(argv);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(await help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION);
    return 0;
  }
  // Only the command's own module is loaded: through a running engine, a command loads little else.
  const command: Command | undefined = await findCommand(name);
  if (!command) {
    io.err(`rackdeck: unknown command "${name}"\n\n${await help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.loadUsage ? await command.loadUsage() : command.usage}`);
    return 0;
  }
  const home = resolveHome({ flag: homeFlag(rest), env: io.env });
  // Only what the admin must know reaches the terminal: a stale lock taken over.
  const log: Logger = { info: () => undefined, warn: (m) => io.err(`rackdeck: ${m}`), error: (m) => io.err(`rackdeck: ${m}`) };
  let linked: Promise<EngineLink> | undefined;
  let reporting: Promise<Pick<EngineLink, 'transport'>> | undefined;
  const link = () =>
    (reporting ??= (linked ??= linkToEngine(home, { command: `rackdeck ${command.name}`, log })).then((l) => afterReport(l.transport, tellSetAside(l.transport, io))));
  let opened: { client: RackdeckClient } | undefined;
  let owned: Awaited<ReturnType<NonNullable<CliContext['own']>>> | undefined;
  const ctx: CliContext = {
    io,
    home,
    open: () => (opened ??= { client: cliClient(deferredTransport(link)) }),
    async own(face, where = home) {
      // The engine's own code is loaded by the commands that are an engine only.
      owned = await (await import('./own')).ownForCli(where, face);
      return owned;
    },
  };
  try {
    return await command.run(rest, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`rackdeck ${command.name}: ${error.message}\n\nUsage: ${command.usage}`);
      return 2;
    }
    if (isRefusedInput(error)) {
      // The contract's schema (or the engine, field by field) refused the input: nothing changed.
      io.err(refusal(command, error));
      return 2;
    }
    if (error instanceof RackdeckError) {
      io.err(`rackdeck ${command.name}: ${error.message}`);
      return error.code === 'not_found' ? 4 : 1;
    }
    io.err(`rackdeck ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await owned?.stop();
    const done = await linked?.catch(() => undefined);
    await done?.close();
    ended.engine = done?.kind === 'standalone';
  }
}
