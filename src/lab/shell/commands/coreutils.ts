import { resolvePath } from '../vfs';
import { fail, ok, type Command, type CommandResult, type CommandTable, type ExecContext } from '../types';

/**
 * The plumbing tools people chain around the interesting commands: echo, cat, head, tail,
 * grep, wc, tee, test/[, ls, sleep. Messages match GNU coreutils so error handling can be tested.
 */
function readInput(file: string, ctx: ExecContext, stdin: string, tool: string): { text?: string; error?: string } {
  if (file === '-') return { text: stdin };
  const content = ctx.fs.read(file, ctx);
  if (content !== undefined) return { text: content };
  if (ctx.fs.list(file, ctx) !== undefined) return { error: `${tool}: ${file}: Is a directory\n` };
  return { error: `${tool}: ${file}: No such file or directory\n` };
}

const echo: Command = (args) => {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length && /^-[neE]+$/.test(args[i] as string); i++) {
    const flags = args[i] as string;
    if (flags.includes('n')) newline = false;
    if (flags.includes('e')) escapes = true;
    if (flags.includes('E')) escapes = false;
  }
  let text = args.slice(i).join(' ');
  if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  return ok(newline ? `${text}\n` : text);
};

const printf: Command = (args) => {
  const [format = '', ...values] = args;
  let index = 0;
  const text = format
    .replace(/%[sd%]/g, (spec) => (spec === '%%' ? '%' : values[index++] ?? (spec === '%d' ? '0' : '')))
    .replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return ok(text);
};

const cat: Command = (args, ctx, stdin) => {
  const files = args.filter((a) => a === '-' || !a.startsWith('-'));
  if (files.length === 0) return ok(stdin);
  let stdout = '';
  let stderr = '';
  for (const file of files) {
    const { text, error } = readInput(file, ctx, stdin, 'cat');
    if (text !== undefined) stdout += text;
    if (error) stderr += error;
  }
  return { stdout, stderr, code: stderr === '' ? 0 : 1 };
}

function lineCount(args: readonly string[]): { count: number; files: string[]; bad?: string } {
  let count = 10;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-n') count = Number(args[++i]);
    else if (/^-n\d+$/.test(arg)) count = Number(arg.slice(2));
    else if (/^-\d+$/.test(arg)) count = Number(arg.slice(1));
    else if (arg.startsWith('-') && arg !== '-') return { count, files, bad: arg };
    else files.push(arg);
  }
  return { count, files };
}

function slicer(tool: 'head' | 'tail'): Command {
  return (args, ctx, stdin) => {
    const { count, files, bad } = lineCount(args);
    if (bad !== undefined || Number.isNaN(count)) return fail(`${tool}: invalid option -- '${(bad ?? '').replace(/^-/, '')}'\n`, 1);
    const take = (text: string): string => {
      const lines = text.split('\n');
      const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
      const chosen = tool === 'head' ? lines.slice(0, count) : lines.slice(Math.max(0, lines.length - count));
      return chosen.length === 0 ? '' : chosen.join('\n') + (tool === 'head' && chosen.length < lines.length ? '\n' : trailing === '' ? '\n' : '');
    };
    if (files.length === 0) return ok(take(stdin));
    const { text, error } = readInput(files[0] as string, ctx, stdin, tool);
    return error ? fail(error.replace(`${tool}: `, `${tool}: cannot open '`).replace(/: (No such|Is a)/, "' for reading: $1"), 1) : ok(take(text ?? ''));
  };
}

const grep: Command = (args, ctx, stdin) => {
  let invert = false;
  let count = false;
  let quiet = false;
  let ignoreCase = false;
  let fixed = false;
  let pattern: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-e') pattern = args[++i];
    else if (/^-[vcqiFEw]+$/.test(arg)) {
      invert ||= arg.includes('v');
      count ||= arg.includes('c');
      quiet ||= arg.includes('q');
      ignoreCase ||= arg.includes('i');
      fixed ||= arg.includes('F');
    } else if (arg.startsWith('-') && arg !== '-') return fail(`grep: invalid option -- '${arg.slice(1)}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`, 2);
    else if (pattern === undefined) pattern = arg;
    else files.push(arg);
  }
  if (pattern === undefined) return fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", 2);
  let matcher: (line: string) => boolean;
  const needle = ignoreCase ? pattern.toLowerCase() : pattern;
  const literal = (line: string): boolean => (ignoreCase ? line.toLowerCase() : line).includes(needle);
  if (fixed) matcher = literal;
  else {
    try {
      // Basic regular expressions use \| \( \) for what JavaScript writes | ( ).
      const source = pattern.replace(/\\([|()])/g, '$1');
      const re = new RegExp(source, ignoreCase ? 'i' : '');
      matcher = (line) => re.test(line);
    } catch {
      matcher = literal;
    }
  }
  const input = files.length === 0 ? stdin : files.map((f) => readInput(f, ctx, stdin, 'grep').text ?? '').join('');
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const hits = lines.filter((line) => matcher(line) !== invert);
  const code = hits.length > 0 ? 0 : 1;
  if (quiet) return { stdout: '', stderr: '', code };
  if (count) return { stdout: `${hits.length}\n`, stderr: '', code };
  return { stdout: hits.map((l) => `${l}\n`).join(''), stderr: '', code };
};

const wc: Command = (args, ctx, stdin) => {
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const files = args.filter((a) => !a.startsWith('-'));
  const text = files.length === 0 ? stdin : readInput(files[0] as string, ctx, stdin, 'wc').text ?? '';
  const counts = {
    l: (text.match(/\n/g) ?? []).length,
    w: text.split(/\s+/).filter(Boolean).length,
    c: Buffer.byteLength(text),
  };
  const chosen = (['l', 'w', 'c'] as const).filter((k) => flags.includes(k));
  const values = (chosen.length === 0 ? (['l', 'w', 'c'] as const) : chosen).map((k) => counts[k]);
  const suffix = files[0] ? ` ${files[0]}` : '';
  return ok(`${values.join(' ')}${suffix}\n`);
};

const tee: Command = (args, ctx, stdin) => {
  const append = args.includes('-a') || args.includes('--append');
  const files = args.filter((a) => !a.startsWith('-'));
  let stderr = '';
  for (const file of files) {
    const problem = ctx.fs.openForWrite(file, ctx) ?? ctx.fs.write(file, stdin, append, ctx);
    if (problem !== undefined) stderr += `tee: ${file}: ${problem}\n`;
  }
  return { stdout: stdin, stderr, code: stderr === '' ? 0 : 1 };
};

function evaluateTest(args: readonly string[], ctx: ExecContext): boolean {
  if (args[0] === '!') return !evaluateTest(args.slice(1), ctx);
  if (args.length === 0) return false;
  if (args.length === 1) return (args[0] as string) !== '';
  if (args.length === 2) {
    const [op, operand = ''] = args;
    const exists = ctx.fs.read(operand, ctx) !== undefined;
    const isDir = ctx.fs.list(operand, ctx) !== undefined;
    switch (op) {
      case '-d': return isDir;
      case '-e': case '-r': return exists || isDir;
      case '-f': case '-s': return exists;
      case '-x': return ctx.hasCommand(operand.split('/').pop() ?? '');
      case '-n': return operand !== '';
      case '-z': return operand === '';
      default: return false;
    }
  }
  const [a = '', op, b = ''] = args;
  const numbers = (): [number, number] => [Number(a), Number(b)];
  switch (op) {
    case '=': case '==': return a === b;
    case '!=': return a !== b;
    case '-eq': return numbers()[0] === numbers()[1];
    case '-ne': return numbers()[0] !== numbers()[1];
    case '-lt': return numbers()[0] < numbers()[1];
    case '-le': return numbers()[0] <= numbers()[1];
    case '-gt': return numbers()[0] > numbers()[1];
    case '-ge': return numbers()[0] >= numbers()[1];
    default: return false;
  }
}

const test: Command = (args, ctx) => ({ stdout: '', stderr: '', code: evaluateTest(args, ctx) ? 0 : 1 });

const bracket: Command = (args, ctx) => {
  if (args[args.length - 1] !== ']') return fail("-bash: [: missing `]'\n", 2);
  return test(args.slice(0, -1), ctx, '');
};

const ls: Command = (args, ctx) => {
  const showAll = args.some((a) => /^-[a-zA-Z]*a/.test(a));
  const paths = args.filter((a) => !a.startsWith('-'));
  const targets = paths.length === 0 ? ['.'] : paths;
  let stdout = '';
  let stderr = '';
  let code = 0;
  const layout = (names: string[]): string =>
    names.length === 0 ? '' : ctx.interactive ? `${names.join('  ')}\n` : names.map((n) => `${n}\n`).join('');
  targets.forEach((target, index) => {
    const abs = target === '.' ? ctx.home : resolvePath(target, ctx);
    const entries = ctx.fs.list(abs, ctx);
    if (entries !== undefined) {
      const names = [...(showAll ? ['.', '..'] : []), ...entries.filter((e) => showAll || !e.startsWith('.'))];
      if (targets.length > 1) stdout += `${index > 0 ? '\n' : ''}${target}:\n`;
      stdout += layout(names);
    } else if (ctx.fs.read(abs, ctx) !== undefined) {
      stdout += layout([target]);
    } else {
      stderr += `ls: cannot access '${target}': No such file or directory\n`;
      code = 2;
    }
  });
  return { stdout, stderr, code };
};

const sleep: Command = async (args): Promise<CommandResult> => {
  const value = args[0] ?? '';
  const seconds = Number(value.replace(/s$/, ''));
  if (value === '' || Number.isNaN(seconds) || seconds < 0) return fail(`sleep: invalid time interval '${value}'\nTry 'sleep --help' for more information.\n`, 1);
  // Capped: a lab command must never hold a test for long.
  // unref: a sleeping command must not keep a stopped lab's process alive.
  await new Promise((resolve) => setTimeout(resolve, Math.min(seconds, 30) * 1000).unref());
  return ok();
};

export const coreutilsCommands: CommandTable = {
  true: () => ok(),
  false: () => fail('', 1),
  ':': () => ok(),
  echo,
  printf,
  cat,
  head: slicer('head'),
  tail: slicer('tail'),
  grep,
  wc,
  tee,
  test,
  '[': bracket,
  ls,
  sleep,
  pwd: (_args, ctx) => ok(`${ctx.home}\n`),
};
