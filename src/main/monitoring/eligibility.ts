import { isTransitional } from '../../shared/power';
import type { ServerView } from '../../shared/server';

/**
 * Where a server's figures come from (pure). A Linux host with SSH that init has read is polled
 * over SSH; a Proxmox node or guest without that falls back to its cluster's figures; anything
 * asleep, between states, without SSH or with a changed host key is left alone.
 */
export type MetricsSource = { kind: 'ssh' } | { kind: 'proxmox' } | { kind: 'none'; reason: string };

export function metricsSourceOf(v: ServerView): MetricsSource {
  const ssh = sshSkipReason(v);
  if (!ssh) return { kind: 'ssh' };
  if (v.proxmox) return { kind: 'proxmox' };
  return { kind: 'none', reason: ssh };
}

function sshSkipReason(v: ServerView): string | undefined {
  if (!v.ssh) return 'no SSH settings';
  if (isTransitional(v.power)) return `it is ${v.power}`;
  if (v.power !== 'on') return `it is ${v.power}`;
  if (v.hostKey) return 'its SSH host key changed';
  if (v.system?.initialisedAt === undefined) return 'not initialised yet';
  if (v.system.systemType !== 'linux' && v.system.systemType !== 'proxmox') return 'not a Linux host';
  return undefined;
}

/** After `failures` failed polls in a row, how long to leave the host alone: one interval, then doubling, at most 30 min. */
export function backoffMs(failures: number, intervalMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(intervalMs * 2 ** (failures - 1), Math.max(30 * 60_000, intervalMs));
}
