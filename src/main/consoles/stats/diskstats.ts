import { ParseError } from '../../monitoring/metrics';

export interface DiskIo {
  device: string;
  readBytes: number;
  writeBytes: number;
}

/**
 * Whole disks only: partitions, device-mapper volumes and md arrays are made of the same
 * sectors a disk already counted, and loop/ram/optical devices are not disks.
 */
export function isWholeDisk(name: string): boolean {
  if (/^(?:loop|ram|zram|sr|fd|dm-|md|nbd|zd)/.test(name)) return false;
  if (/^(?:sd|hd|vd|xvd)[a-z]+$/.test(name)) return true;
  if (/^nvme\d+n\d+$/.test(name)) return true;
  if (/^mmcblk\d+$/.test(name)) return true;
  return false;
}

/**
 * /proc/diskstats: "major minor name reads merged sectors_read ms writes merged sectors_written …".
 * Sectors are 512 bytes there whatever the disk's own sector size.
 */
export function parseDiskstats(input: string): DiskIo[] {
  const out: DiskIo[] = [];
  input.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const f = line.split(/\s+/);
    if (f.length < 14) throw new ParseError('/proc/diskstats', `expected at least 14 fields, got ${f.length}`, i + 1, raw);
    const name = f[2] ?? '';
    if (!isWholeDisk(name)) return;
    const sectors = (v: string | undefined) => {
      if (!v || !/^\d+$/.test(v)) throw new ParseError('/proc/diskstats', `${name}: a sector count is not a number`, i + 1, raw);
      return Number(v) * 512;
    };
    out.push({ device: name, readBytes: sectors(f[5]), writeBytes: sectors(f[9]) });
  });
  return out;
}
