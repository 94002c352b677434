import type { PowerState } from '../../../shared/power';
import type { PowerTransition, UptimeReport, WattageProfile } from '../../../shared/metrics';

type UptimeBucket = 'on' | 'off' | 'suspended' | 'unknown';

/**
 * What a power state means for uptime and energy. Transitional states count as on: a machine
 * that is booting, suspending, stopping or rebooting is powered. A stopped guest is off, a
 * paused one is suspended (memory kept, CPU idle).
 */
export function uptimeBucket(state: PowerState): UptimeBucket {
  switch (state) {
    case 'on':
    case 'waking':
    case 'suspending':
    case 'stopping':
    case 'rebooting':
      return 'on';
    case 'off':
    case 'stopped':
      return 'off';
    case 'suspended':
    case 'paused':
      return 'suspended';
    case 'unknown':
    case 'init_failed':
      return 'unknown';
  }
}

const HOUR_MS = 3_600_000;

/**
 * Time on / off / suspended within [from, to) from the power-state changes a server went through,
 * in any order. The state at `from` is the last change at or before it; before the first change
 * known, the state is unknown. Energy counts only time whose state is known.
 */
export function accountUptime(serverId: string, transitions: readonly PowerTransition[], from: number, to: number, watts?: WattageProfile): UptimeReport {
  const totals: Record<UptimeBucket, number> = { on: 0, off: 0, suspended: 0, unknown: 0 };
  if (to > from) {
    const sorted = [...transitions].filter((t) => Number.isFinite(t.at)).sort((a, b) => a.at - b.at);
    let state: UptimeBucket = 'unknown';
    let cursor = from;
    for (const change of sorted) {
      if (change.at <= from) {
        state = uptimeBucket(change.state);
        continue;
      }
      if (change.at >= to) break;
      totals[state] += change.at - cursor;
      cursor = change.at;
      state = uptimeBucket(change.state);
    }
    totals[state] += to - cursor;
  }
  const known = totals.on + totals.off + totals.suspended;
  const energyWh = watts
    ? (totals.on * watts.idleWatts + totals.suspended * watts.suspendedWatts + totals.off * (watts.offWatts ?? 0)) / HOUR_MS
    : 0;
  const report: UptimeReport = {
    serverId,
    from,
    to,
    onMs: totals.on,
    offMs: totals.off,
    suspendedMs: totals.suspended,
    unknownMs: totals.unknown,
    energyWh,
  };
  if (known > 0) report.availability = totals.on / known;
  return report;
}
