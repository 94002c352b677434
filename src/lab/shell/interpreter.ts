import { expandWord, parseScript, ShellSyntaxError, type Pipeline, type Script, type SimpleCommand } from './parse';
import type { VirtualFs } from './vfs';
import type { CommandResult, CommandTable, ExecContext, MachineView, PowerRequest } from './types';

/**
 * Runs a parsed script against a command table: expansion, redirections, pipes, `&&`/`||`,
 * and the few builtins that need the interpreter itself (exit, sudo, sh -c, command -v).
 * Output is kept as ordered chunks so a terminal can interleave stdout and stderr as a real
 * one would, while exec channels split them.
 */
export interface ShellDialect {
  /** Prefix of the shell's own errors: `bash` for exec, `-bash` for a login shell. */
  errorPrefix(interactive: boolean): string;
  notFound(name: string, interactive: boolean): CommandResult;
  /** Whether `sudo` and `sh -c` exist (not on Windows' cmd.exe). */
  posix: boolean;
}

export interface Shell {
  commands: CommandTable;
  fs: VirtualFs;
  dialect: ShellDialect;
}

export interface SessionState {
  machine: MachineView;
  user: string;
  home: string;
  interactive: boolean;
  variables: Record<string, string>;
  lastCode: number;
}

export interface OutputChunk {
  fd: 1 | 2;
  text: string;
}

export interface RunResult {
  output: OutputChunk[];
  code: number;
  /** `exit` was run: the session should close. */
  exited: boolean;
  /** A power change to carry out once the output is delivered. */
  power?: PowerRequest;
}

export function stdoutOf(result: RunResult): string {
  return result.output.filter((c) => c.fd === 1).map((c) => c.text).join('');
}

export function stderrOf(result: RunResult): string {
  return result.output.filter((c) => c.fd === 2).map((c) => c.text).join('');
}

export function createSession(
  machine: MachineView, user: string, interactive: boolean, extra: Record<string, string> = {},
): SessionState {
  const home = user === 'root' ? '/root' : `/home/${user}`;
  return {
    machine, user, home, interactive, lastCode: 0,
    variables: {
      HOME: home, USER: user, LOGNAME: user, SHELL: '/bin/bash', HOSTNAME: machine.spec.hostname,
      PATH: user === 'root' ? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' : '/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games',
      PWD: home, LANG: 'C.UTF-8', ...extra,
    },
  };
}

export async function runScript(source: string, shell: Shell, session: SessionState): Promise<RunResult> {
  const run = new Run(shell, session);
  let script: Script;
  try {
    script = parseScript(source);
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    const where = session.interactive ? '' : ' -c: line 1:';
    run.emit(2, `${shell.dialect.errorPrefix(session.interactive)}:${where} ${error.message}\n`);
    session.lastCode = 2;
    return run.result(2);
  }
  await run.script(script, false);
  return run.result(session.lastCode);
}

type Sink = { kind: 'out' } | { kind: 'err' } | { kind: 'null' } | { kind: 'file'; path: string; append: boolean };

class Run {
  private readonly output: OutputChunk[] = [];
  private exited = false;
  private power: PowerRequest | undefined;

  constructor(private readonly shell: Shell, private readonly session: SessionState) {}

  emit(fd: 1 | 2, text: string): void {
    if (text !== '') this.output.push({ fd, text });
  }

  result(code: number): RunResult {
    return { output: this.output, code, exited: this.exited, ...(this.power ? { power: this.power } : {}) };
  }

  async script(script: Script, root: boolean): Promise<void> {
    for (const list of script) {
      if (this.exited) return;
      let code = await this.pipeline(list.first, root);
      for (const { op, pipeline } of list.rest) {
        if (this.exited) return;
        if ((op === '&&' && code !== 0) || (op === '||' && code === 0)) continue;
        code = await this.pipeline(pipeline, root);
      }
    }
  }

  private async pipeline(pipeline: Pipeline, root: boolean): Promise<number> {
    let stdin = '';
    let code = 0;
    for (let i = 0; i < pipeline.commands.length; i++) {
      const last = i === pipeline.commands.length - 1;
      const { code: c, piped } = await this.simple(pipeline.commands[i] as SimpleCommand, stdin, !last, root);
      code = c;
      stdin = piped;
    }
    if (pipeline.negate) code = code === 0 ? 1 : 0;
    this.session.lastCode = code;
    return code;
  }

  private variables(): Record<string, string> {
    return { ...this.session.variables, '?': String(this.session.lastCode), $: '4242', '#': '0' };
  }

  private context(root: boolean): ExecContext {
    const { machine, user, home, interactive } = this.session;
    return {
      machine, user, home, interactive, root: root || user === 'root', fs: this.shell.fs,
      hasCommand: (name) => name in this.shell.commands,
      requestPower: (request) => {
        this.power = request;
      },
    };
  }

  private async simple(cmd: SimpleCommand, stdin: string, piped: boolean, root: boolean): Promise<{ code: number; piped: string }> {
    const vars = this.variables();
    let argv = cmd.words.map((w) => expandWord(w, vars));
    // Leading NAME=value words set variables (for the command, or the shell when alone).
    const assignments: Record<string, string> = {};
    while (argv.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0] as string)) {
      const [name, ...value] = (argv[0] as string).split('=');
      assignments[name as string] = value.join('=');
      argv = argv.slice(1);
    }
    if (argv.length === 0) Object.assign(this.session.variables, assignments);

    const ctx = this.context(root);
    const prefix = this.shell.dialect.errorPrefix(this.session.interactive);
    let out: Sink = { kind: 'out' };
    let err: Sink = { kind: 'err' };
    let input = stdin;
    for (const r of cmd.redirects) {
      if (r.op === 'dup') {
        if (r.fd === 2) err = out;
        else out = err;
        continue;
      }
      const path = expandWord(r.target as Exclude<typeof r.target, number>, vars);
      if (r.op === '<') {
        const content = this.shell.fs.read(path, ctx);
        if (content === undefined) {
          this.emit(2, `${prefix}: ${path}: No such file or directory\n`);
          return { code: 1, piped: '' };
        }
        input = content;
        continue;
      }
      const problem = this.shell.fs.openForWrite(path, ctx);
      if (problem !== undefined) {
        this.emit(2, `${prefix}: ${path}: ${problem}\n`);
        return { code: 1, piped: '' };
      }
      const sink: Sink = { kind: 'file', path, append: r.op === '>>' };
      // Truncate now, as the shell does on open, so an empty output still empties the file.
      if (r.op === '>') this.shell.fs.write(path, '', false, ctx);
      if (r.fd === 1 || r.fd === 'both') out = sink;
      if (r.fd === 2 || r.fd === 'both') err = sink;
    }

    const result = argv.length === 0 ? { stdout: '', stderr: '', code: 0 } : await this.invoke(argv, input, root, ctx);
    let pipedOut = '';
    let code = result.code;
    const deliver = (sink: Sink, text: string): void => {
      if (text === '' || sink.kind === 'null') return;
      if (sink.kind === 'out') {
        if (piped) pipedOut += text;
        else this.emit(1, text);
      } else if (sink.kind === 'err') {
        this.emit(2, text);
      } else {
        const failure = this.shell.fs.write(sink.path, text, true, ctx);
        if (failure !== undefined) {
          this.emit(2, `${prefix}: ${argv[0] ?? ''}: write error: ${failure}\n`);
          code = 1;
        }
      }
    };
    deliver(out, result.stdout);
    deliver(err, result.stderr);
    return { code, piped: pipedOut };
  }

  /** Builtins first, then the machine's command table. */
  private async invoke(argv: string[], stdin: string, root: boolean, ctx: ExecContext): Promise<CommandResult> {
    const [name, ...args] = argv as [string, ...string[]];
    const posix = this.shell.dialect.posix;
    if (name === 'exit' || (!posix && name.toLowerCase() === 'exit')) {
      this.exited = true;
      const code = args[0] === undefined ? this.session.lastCode : Number.parseInt(args[0], 10);
      return { stdout: '', stderr: '', code: Number.isNaN(code) ? 2 : code & 0xff };
    }
    if (posix && name === 'sudo') return this.sudo(args, stdin);
    if (posix && (name === 'sh' || name === 'bash') && args[0] === '-c') {
      const nested = new Run(this.shell, { ...this.session, variables: { ...this.session.variables } });
      const script = args[1] ?? '';
      let parsed: Script;
      try {
        parsed = parseScript(script);
      } catch (error) {
        if (!(error instanceof ShellSyntaxError)) throw error;
        return { stdout: '', stderr: `${name}: -c: line 1: ${error.message}\n`, code: 2 };
      }
      await nested.script(parsed, root);
      const result = nested.result(nested.session.lastCode);
      if (result.power) this.power = result.power;
      return { stdout: stdoutOf(result), stderr: stderrOf(result), code: result.code };
    }
    if (posix && (name === 'cd' || name === 'export' || name === 'set' || name === 'unset')) return { stdout: '', stderr: '', code: 0 };
    if (posix && (name === 'command' || name === 'type' || name === 'which')) return this.lookup(name, args);
    const command = this.shell.commands[posix ? name : name.toLowerCase()];
    if (!command) return this.shell.dialect.notFound(name, this.session.interactive);
    return command(args, ctx, stdin);
  }

  private async sudo(args: string[], stdin: string): Promise<CommandResult> {
    let i = 0;
    while (i < args.length && (args[i] as string).startsWith('-')) {
      const flag = args[i] as string;
      i += flag === '-u' || flag === '-g' ? 2 : 1;
      if (flag === '--') break;
    }
    const rest = args.slice(i);
    if (rest.length === 0) {
      return { stdout: '', stderr: 'usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\n', code: 1 };
    }
    const name = rest[0] as string;
    if (!['sh', 'bash'].includes(name) && !(name in this.shell.commands)) {
      return { stdout: '', stderr: `sudo: ${name}: command not found\n`, code: 1 };
    }
    return this.invoke(rest, stdin, true, this.context(true));
  }

  private lookup(builtin: string, args: string[]): CommandResult {
    const names = args.filter((a) => !a.startsWith('-'));
    let stdout = '';
    let code = 0;
    for (const name of names) {
      if (name in this.shell.commands || ['sudo', 'sh', 'bash'].includes(name)) {
        const dir = SBIN.has(name) ? '/usr/sbin' : '/usr/bin';
        stdout += builtin === 'type' ? `${name} is ${dir}/${name}\n` : `${dir}/${name}\n`;
      } else {
        code = 1;
        if (builtin === 'type') return { stdout, stderr: `-bash: type: ${name}: not found\n`, code: 1 };
      }
    }
    return { stdout, stderr: '', code };
  }
}

const SBIN = new Set(['ethtool', 'pm-suspend', 'pm-hibernate', 'shutdown', 'poweroff', 'reboot', 'halt', 'pveversion', 'ip']);
