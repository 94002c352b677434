import type { MetricSample } from '../metrics';
import type { ThresholdKind } from './monitoring';

/** Formatting of the figures, shared by the faces (the UI's cards and charts, the CLI's tables). */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytesShort(bytes: number, digits = 1): string {
  if (!Number.isFinite(bytes)) return '–';
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${bytes < 0 ? '-' : ''}${u === 0 ? Math.round(v) : v.toFixed(v >= 100 ? 0 : digits)} ${UNITS[u]}`;
}

/** Network rates in bits per second, as admins read links (Mb/s), from bytes per second. */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return '–';
  const bits = bytesPerSecond * 8;
  const units = ['b/s', 'kb/s', 'Mb/s', 'Gb/s', 'Tb/s'];
  let v = bits;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? Math.round(v) : v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

export function percentOf(used: number | undefined, total: number | undefined): number | undefined {
  if (used === undefined || total === undefined || !(total > 0)) return undefined;
  return Math.min(100, Math.max(0, (used / total) * 100));
}

/** The percent a threshold rule judges: CPU as is, memory and disk as used over total. */
export function figureOf(kind: ThresholdKind, sample: MetricSample): number | undefined {
  if (kind === 'cpu') return sample.cpu;
  if (kind === 'memory') return percentOf(sample.memUsed, sample.memTotal);
  return percentOf(sample.diskUsed, sample.diskTotal);
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const d = Math.floor(h / 24);
  return `${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

export function formatEnergy(wh: number): string {
  if (!Number.isFinite(wh)) return '–';
  return Math.abs(wh) >= 1000 ? `${(wh / 1000).toFixed(wh >= 100_000 ? 0 : 1)} kWh` : `${Math.round(wh)} Wh`;
}

