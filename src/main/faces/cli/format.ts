import { POWER_LABELS } from '../../../shared/power';
import type { ServerView } from '../../../shared/server';

/** Pads columns for humans; scripts use --json. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export function ago(ms: number | undefined, now: number): string {
  if (ms === undefined) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

export function serverRows(servers: readonly ServerView[], now: number): string[] {
  const byId = new Map(servers.map((s) => [s.id, s]));
  return table([
    ['NAME', 'KIND', 'ADDRESS', 'STATE', 'LAST SEEN', 'PARENT'],
    ...servers.map((s) => [s.name, s.kind, s.address, POWER_LABELS[s.power], ago(s.lastSeen, now), s.parentId ? (byId.get(s.parentId)?.name ?? s.parentId) : '-']),
  ]);
}
