import type { Conditions, IdlePolicy } from '../../shared/contract/automation';

/**
 * What a server looks like when a power-down is due (pure): who is logged in, its figures, its
 * children that are on, the backups running on it. A field is undefined when it could not be
 * learnt (no SSH settings, no recent figures, not a Proxmox node), and each check says so
 * rather than guess.
 */
export interface Observation {
  /** `user (from)` of each login `who` lists; undefined when `who` could not be run. */
  logins?: string[];
  /** Why `who` failed on a server that has SSH (one without SSH has neither field). */
  loginsError?: string;
  /** CPU busy %, from a sample recent enough to count. */
  cpu?: number;
  /** Network in + out, Mb/s, from the same sample. */
  netMbps?: number;
  /** Names of the children (guests, VMs on the host) that are on or on their way. */
  childrenOn: string[];
  /** vzdump tasks running on its node (their object ids). */
  backups?: string[];
}

/** Why a power-down should not happen now, one sentence per condition met; empty: go ahead. */
export function skipReasons(o: Observation, c: Conditions): string[] {
  const reasons: string[] = [];
  if (c.sshLogins && o.logins && o.logins.length > 0) reasons.push(`someone is logged in over SSH: ${o.logins.join(', ')}`);
  // Not knowing who is logged in is no licence to cut them off: a power-down over that SSH would fail too.
  if (c.sshLogins && o.loginsError !== undefined) reasons.push(`who is logged in cannot be read (${o.loginsError})`);
  if (c.guestsRunning && o.childrenOn.length > 0) reasons.push(`${plural(o.childrenOn.length, 'guest')} running: ${o.childrenOn.join(', ')}`);
  if (c.backupRunning && o.backups && o.backups.length > 0) reasons.push(`a backup is running (vzdump ${o.backups.join(', ')})`);
  if (c.cpuAbovePct !== undefined && o.cpu !== undefined && o.cpu > c.cpuAbovePct) reasons.push(`CPU at ${o.cpu.toFixed(1)} % is above ${c.cpuAbovePct} %`);
  if (c.netAboveMbps !== undefined && o.netMbps !== undefined && o.netMbps > c.netAboveMbps) reasons.push(`network at ${o.netMbps.toFixed(1)} Mb/s is above ${c.netAboveMbps} Mb/s`);
  return reasons;
}

/**
 * Why a server is not idle now under its policy (pure), or undefined when it is. Idle must be
 * shown, not assumed: no figures, or logins that could not be read, count as not idle.
 */
export function busyReason(o: Observation, p: IdlePolicy): string | undefined {
  const reasons = skipReasons(o, { sshLogins: true, guestsRunning: true, backupRunning: true, cpuAbovePct: p.cpuBelowPct, netAboveMbps: p.netBelowMbps });
  if (reasons.length > 0) return reasons.join('; ');
  if (o.logins === undefined) return 'who is logged in cannot be read: it has no SSH settings';
  if (o.cpu === undefined || o.netMbps === undefined) return 'no recent CPU and network figures';
  return undefined;
}

/**
 * `who`'s lines as `user (from)` (pure). Each line is `user tty date time [(from)]`; blank lines
 * and anything that does not start with a user name are left out.
 */
export function parseWho(stdout: string): string[] {
  const out: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^([a-z_][a-z0-9_.-]*\$?)\s+(\S+)\s+.*?(?:\(([^)]*)\))?\s*$/i.exec(line.trim());
    if (!m) continue;
    out.push(m[3] ? `${m[1]} (${m[3]})` : `${m[1]} on ${m[2]}`);
  }
  return out;
}

/** Bytes per second in and out as Mb/s. */
export function mbps(netIn: number | undefined, netOut: number | undefined): number | undefined {
  if (netIn === undefined && netOut === undefined) return undefined;
  return (((netIn ?? 0) + (netOut ?? 0)) * 8) / 1_000_000;
}

function plural(n: number, word: string): string {
  return n === 1 ? `a ${word} is` : `${n} ${word}s are`;
}
