import { ParseError } from './parse-error';
import { counter, linesOf } from './text';

const SOURCE = 'df -B1';

export interface DiskUsage {
  /** The device column as df prints it (`/dev/sda1`, `rpool/ROOT/pve-1`, `tmpfs`…). */
  filesystem: string;
  /** Bytes. */
  size: number;
  used: number;
  avail: number;
  mount: string;
}

/**
 * Memory-backed and layered filesystems: their "usage" is RAM or another disk already counted.
 * Debian shows devtmpfs as `udev`; snap images are read-only loop devices, always 100 % full.
 */
const VIRTUAL = new Set(['tmpfs', 'devtmpfs', 'udev', 'overlay', 'shm', 'none', 'ramfs', 'efivarfs', 'cgroup', 'cgroup2', 'proc', 'sysfs', 'devpts', 'mqueue']);
export const isVirtualFilesystem = (filesystem: string): boolean => VIRTUAL.has(filesystem) || /^\/dev\/loop\d+$/.test(filesystem);

// Mount points may contain spaces and come last, so the numbers anchor the match.
const ROW = /^(.+?)\s+(\d+|-)\s+(\d+|-)\s+(\d+|-)\s+(\d+%|-)\s+(\/.*)$/;

/**
 * Parses `df -B1` (GNU, `-P` or BusyBox) run with LC_ALL=C. Old coreutils put a long device name
 * on a line of its own and the figures on the next, indented: the two are joined. Rows without
 * figures (`-`) are skipped, as are virtual filesystems unless `includeVirtual` is set.
 */
export function parseDf(input: unknown, options: { includeVirtual?: boolean } = {}): DiskUsage[] {
  const lines = linesOf(SOURCE, input);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new ParseError(SOURCE, 'no output');
  const header = lines[first] ?? '';
  if (!/^Filesystem\s/i.test(header)) throw new ParseError(SOURCE, 'no "Filesystem" header (run df with LC_ALL=C)', first + 1, header);
  if (!/\b1B?-blocks\b/i.test(header)) throw new ParseError(SOURCE, 'sizes are not in bytes (run df -B1)', first + 1, header);

  const disks: DiskUsage[] = [];
  let pending: { name: string; line: number } | undefined;
  for (let i = first + 1; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const n = i + 1;
    if (raw.trim() === '') continue;
    let row = raw;
    if (pending) {
      if (!/^\s/.test(raw)) throw new ParseError(SOURCE, `the figures for ${pending.name} are missing`, pending.line, pending.name);
      row = `${pending.name} ${raw.trim()}`;
      pending = undefined;
    } else if (/^\S+\s*$/.test(raw)) {
      pending = { name: raw.trim(), line: n };
      continue;
    }
    if (/^total\s/.test(row)) continue; // `df --total` adds a summary row
    const m = ROW.exec(row);
    if (!m) throw new ParseError(SOURCE, 'expected "filesystem size used avail use% mount"', n, raw);
    const [, filesystem = '', size, used, avail, , mount = ''] = m;
    if (size === '-' || used === '-' || avail === '-') continue;
    const disk = {
      filesystem,
      size: counter(SOURCE, size, `${mount} size`, n),
      used: counter(SOURCE, used, `${mount} used`, n),
      avail: counter(SOURCE, avail, `${mount} available`, n),
      mount,
    };
    if (!options.includeVirtual && (isVirtualFilesystem(filesystem) || disk.size === 0)) continue;
    disks.push(disk);
  }
  if (pending) throw new ParseError(SOURCE, `the figures for ${pending.name} are missing`, pending.line, pending.name);
  return disks;
}

/**
 * The disk figures a server card shows: the given mounts summed (each device counted once), by
 * default the root filesystem. Undefined when none of them is mounted.
 */
export function diskTotals(disks: readonly DiskUsage[], mounts: readonly string[] = ['/']): { used: number; total: number } | undefined {
  const devices = new Map<string, DiskUsage>();
  for (const d of disks) if (mounts.includes(d.mount) && !devices.has(d.filesystem)) devices.set(d.filesystem, d);
  if (devices.size === 0) return undefined;
  let used = 0;
  let total = 0;
  for (const d of devices.values()) {
    used += d.used;
    total += d.size;
  }
  return { used, total };
}
