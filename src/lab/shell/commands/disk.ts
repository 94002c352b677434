import type { MountSpec } from '../../hosts/spec';
import { resolvePath } from '../vfs';
import { fail, type Command, type CommandTable } from '../types';

/**
 * GNU coreutils `df`: -B/--block-size, -k, -h, -P, -T, -t/-x (repeatable), -l, -a, --output,
 * and path operands. Columns are sized to their content with a single space between them, the
 * first and last left-aligned, exactly as coreutils 9.1 lays them out.
 */
interface Row {
  source: string;
  fstype: string;
  size: number;
  used: number;
  avail: number;
  target: string;
}

type Field = 'source' | 'fstype' | 'size' | 'used' | 'avail' | 'pcent' | 'target';
const OUTPUT_FIELDS = new Set<string>(['source', 'fstype', 'size', 'used', 'avail', 'pcent', 'target']);
const REMOTE_OR_VIRTUAL = new Set(['fuse', 'nfs', 'nfs4', 'cifs']);

function usage(message: string): ReturnType<Command> {
  return fail(`df: ${message}\nTry 'df --help' for more information.\n`, 1);
}

function parseBlockSize(value: string): number | undefined {
  const match = /^(\d*)([KMGT]?)(B?)$/i.exec(value);
  if (!match) return undefined;
  const [, digits = '', unit = '', si = ''] = match;
  if (digits === '' && unit === '') return undefined;
  const base = si ? 1000 : 1024;
  const power = unit === '' ? 0 : 'KMGT'.indexOf(unit.toUpperCase()) + 1;
  return (digits === '' ? 1 : Number(digits)) * base ** power;
}

function blockHeader(blockSize: number, posix: boolean): string {
  if (posix && blockSize === 1024) return '1024-blocks';
  for (const [unit, size] of [['T', 1024 ** 4], ['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (blockSize % size === 0) return `${blockSize / size}${unit}-blocks`;
  }
  return `${blockSize}B-blocks`;
}

/** coreutils' human-readable with ceiling rounding: one decimal below 10, powers of 1024. */
export function humanSize(bytes: number): string {
  if (bytes === 0) return '0';
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  if (i === 0) return String(bytes);
  if (value < 10) {
    const rounded = Math.ceil(value * 10) / 10;
    return rounded >= 10 ? `${rounded.toFixed(0)}${units[i]}` : `${rounded.toFixed(1)}${units[i]}`;
  }
  const rounded = Math.ceil(value);
  return rounded >= 1024 && i < units.length - 1 ? `1.0${units[i + 1]}` : `${rounded}${units[i]}`;
}

function percent(used: number, avail: number): string {
  const total = used + avail;
  if (total === 0) return '-';
  return `${Math.ceil((used * 100) / total)}%`;
}

export function dfRows(mounts: readonly MountSpec[], used: ReadonlyMap<string, number>): Row[] {
  return mounts.map((m) => {
    const usedBytes = Math.floor((used.get(m.target) ?? m.sizeBytes * m.usedFraction) / 4096) * 4096;
    // ext4 keeps 5 % for root: Avail is less than Size - Used, which is why Use% looks high.
    const reserved = m.fstype === 'ext4' ? Math.floor((m.sizeBytes * 0.05) / 4096) * 4096 : 0;
    return {
      source: m.source, fstype: m.fstype, size: m.sizeBytes, used: usedBytes,
      avail: Math.max(0, m.sizeBytes - usedBytes - reserved), target: m.target,
    };
  });
}

const df: Command = (args, ctx) => {
  let blockSize = 1024;
  let human = false;
  let posix = false;
  let printType = false;
  let local = false;
  let fields: Field[] | undefined;
  const include: string[] = [];
  const exclude: string[] = [];
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const long = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (long) {
      const [, name = '', inline] = long;
      const value = (): string | undefined => inline ?? args[++i];
      if (name === 'block-size') {
        const size = parseBlockSize(value() ?? '');
        if (size === undefined) return usage(`invalid --block-size argument '${inline ?? ''}'`);
        blockSize = size;
      } else if (name === 'human-readable') human = true;
      else if (name === 'portability') posix = true;
      else if (name === 'print-type') printType = true;
      else if (name === 'local') local = true;
      else if (name === 'all' || name === 'sync' || name === 'no-sync') continue;
      else if (name === 'type') include.push(value() ?? '');
      else if (name === 'exclude-type') exclude.push(value() ?? '');
      else if (name === 'output') {
        const list = (inline ?? 'source,fstype,size,used,avail,pcent,target').split(',');
        const unknown = list.find((f) => !OUTPUT_FIELDS.has(f));
        if (unknown) return usage(`'${unknown}': not a valid field for --output`);
        fields = list as Field[];
      } else return usage(`unrecognized option '${arg}'`);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] as string;
        if ('Btx'.includes(letter)) {
          // The value is the rest of this argument (-B1, -xtmpfs) or the next one (-x tmpfs).
          const rest = arg.slice(j + 1);
          const value = rest !== '' ? rest : args[++i];
          if (value === undefined) return usage(`option requires an argument -- '${letter}'`);
          if (letter === 'B') {
            const size = parseBlockSize(value);
            if (size === undefined) return usage(`invalid -B argument '${value}'`);
            blockSize = size;
          } else if (letter === 't') include.push(value);
          else exclude.push(value);
          break;
        }
        if (letter === 'h') human = true;
        else if (letter === 'H') human = true;
        else if (letter === 'k') blockSize = 1024;
        else if (letter === 'P') posix = true;
        else if (letter === 'T') printType = true;
        else if (letter === 'l') local = true;
        else if (letter === 'a') continue;
        else return usage(`invalid option -- '${letter}'`);
      }
      continue;
    }
    paths.push(arg);
  }

  let rows = dfRows(ctx.machine.spec.mounts, ctx.machine.metrics().diskUsed);
  rows = rows.filter((r) => (include.length === 0 || include.includes(r.fstype)) && !exclude.includes(r.fstype));
  if (local) rows = rows.filter((r) => !REMOTE_OR_VIRTUAL.has(r.fstype));
  let stderr = '';
  let code = 0;
  if (paths.length > 0) {
    const chosen: Row[] = [];
    for (const path of paths) {
      const abs = resolvePath(path, ctx);
      if (ctx.fs.read(abs, ctx) === undefined && ctx.fs.list(abs, ctx) === undefined && !isKnownDir(abs)) {
        stderr += `df: ${path}: No such file or directory\n`;
        code = 1;
        continue;
      }
      const best = rows
        .filter((r) => abs === r.target || abs.startsWith(r.target === '/' ? '/' : `${r.target}/`))
        .sort((a, b) => b.target.length - a.target.length)[0];
      if (best) chosen.push(best);
    }
    rows = chosen;
  }
  if (rows.length === 0 && code === 0) return fail('df: no file systems processed\n', 1);

  const columns: Field[] = fields ?? ['source', ...(printType ? (['fstype'] as Field[]) : []), 'size', 'used', 'avail', 'pcent', 'target'];
  const header: Record<Field, string> = {
    source: 'Filesystem',
    fstype: 'Type',
    size: human ? 'Size' : blockHeader(blockSize, posix),
    used: 'Used',
    avail: fields || human ? 'Avail' : 'Available',
    pcent: posix ? 'Capacity' : 'Use%',
    target: 'Mounted on',
  };
  const scale = (bytes: number): string => (human ? humanSize(bytes) : String(Math.ceil(bytes / blockSize)));
  const cells = rows.map((r) => columns.map((c) => {
    switch (c) {
      case 'source': return r.source;
      case 'fstype': return r.fstype;
      case 'size': return scale(r.size);
      case 'used': return scale(r.used);
      case 'avail': return scale(r.avail);
      case 'pcent': return percent(r.used, r.avail);
      default: return r.target;
    }
  }));
  const table = [columns.map((c) => header[c]), ...cells];
  const widths = columns.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  const leftAligned = (c: Field): boolean => c === 'source' || c === 'fstype' || c === 'target';
  const stdout = table.map((row) => row.map((cell, i) => {
    const column = columns[i] as Field;
    if (i === row.length - 1 && column === 'target') return cell;
    const width = widths[i] ?? 0;
    return leftAligned(column) ? cell.padEnd(width) : cell.padStart(width);
  }).join(' ')).join('\n') + '\n';
  return { stdout, stderr, code };
};

function isKnownDir(path: string): boolean {
  return ['/', '/boot', '/boot/efi', '/dev', '/dev/shm', '/etc', '/home', '/run', '/run/lock', '/srv', '/srv/storage', '/tmp', '/usr', '/var', '/var/lib', '/var/lib/vz', '/etc/pve'].includes(path) || path.startsWith('/home/') || path.startsWith('/srv/');
}

export const diskCommands: CommandTable = { df };
