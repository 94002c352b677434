import type { AgentFigures, HealthState, ResetRecord, WatchOptions } from '../../shared/contract/agents';
import { lastReset } from './history';
import type { HealthThresholds } from './options';

/** What Rackdeck knows of one server's agent: kept in memory, rebuilt from heartbeats. */
export interface HealthRecord {
  serverId: string;
  /** When the last valid report arrived, by Rackdeck's clock (the agent's may be wrong). */
  lastReportAt?: number;
  figures?: AgentFigures;
  resets: readonly ResetRecord[];
  /** Set when the watchdog gave up; only a heartbeat or a human clears it. */
  needsHumanSince?: number;
}

export interface HealthContext {
  now: number;
  options: WatchOptions;
  thresholds: HealthThresholds;
  /**
   * Since when the receiver has been listening. Silence while nobody listened proves nothing,
   * so a heartbeat is stale only once the receiver has been up for the whole stale timeout.
   */
  listeningSince: number | undefined;
}

export interface Assessment {
  state: HealthState;
  detail?: string;
}

export function memPercent(f: Pick<AgentFigures, 'memUsedBytes' | 'memTotalBytes'>): number {
  return f.memTotalBytes > 0 ? (100 * f.memUsedBytes) / f.memTotalBytes : 0;
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 1 ? `${Math.round(ms / 1000)} s` : `${m} min`;
}

/**
 * The health of one server from its record and the time: pure, so every branch is tested on
 * plain numbers. Order matters: a latched failure beats everything, a reset in progress beats
 * staleness (the guest is booting), staleness beats the figures of an old report.
 */
export function assessHealth(record: HealthRecord, ctx: HealthContext): Assessment {
  const { now, options } = ctx;
  const reported = record.lastReportAt;
  if (record.needsHumanSince !== undefined && (reported === undefined || reported < record.needsHumanSince)) {
    return { state: 'reset_failed', detail: 'Resets did not bring the agent back; a human should look at it.' };
  }
  if (reported === undefined || !record.figures) return { state: 'unknown', detail: 'No heartbeat received yet.' };
  if (ctx.listeningSince === undefined) {
    return { state: 'unknown', detail: 'Heartbeats are heard only while Rackdeck runs (serve or the desktop app) with the agent receiver on.' };
  }

  const reset = lastReset(record.resets);
  // Details never hold a running time ("3 min ago"): the monitor publishes when they change.
  const running = reset !== undefined && reset.finishedAt === undefined;
  if (reset && (reset.ok || running) && reset.at >= reported && now - reset.at < options.cooldownMs) {
    return { state: 'reset_pending', detail: `${reset.source === 'auto' ? 'Auto-reset' : 'Manual reset'} ${running ? 'running' : 'done'}; waiting for the agent to report.` };
  }

  const heardSince = Math.max(reported, ctx.listeningSince);
  const silentFor = now - heardSince;
  if (silentFor >= options.staleMs) {
    const failed = reset && !reset.ok && reset.at >= reported ? ` The last reset failed: ${reset.taskStatus}.` : '';
    return { state: 'down', detail: `No heartbeat for ${minutes(options.staleMs)} or more.${failed}` };
  }

  const f = record.figures;
  const mem = memPercent(f);
  const high: string[] = [];
  if (f.cpuPercent > ctx.thresholds.cpuPercent) high.push(`CPU ${f.cpuPercent.toFixed(0)} % > ${ctx.thresholds.cpuPercent} %`);
  if (mem > ctx.thresholds.memPercent) high.push(`RAM ${mem.toFixed(0)} % > ${ctx.thresholds.memPercent} %`);
  if (high.length > 0) return { state: 'warning', detail: high.join(', ') };
  return { state: 'healthy' };
}
