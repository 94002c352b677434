import type { UptimeSummary, UptimeWindow } from '../../shared/contract/monitoring';
import type { PowerTransition, UptimeReport, WattageProfile } from '../../shared/metrics';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const UPTIME_WINDOWS: ReadonlyArray<{ label: string; ms: number }> = [
  { label: 'Last 24 hours', ms: DAY },
  { label: 'Last 7 days', ms: 7 * DAY },
  { label: 'Last 30 days', ms: 30 * DAY },
];

/**
 * Energy not drawn thanks to sleep and shutdown (pure): what the known off and suspended time
 * would have cost at the idle figure, minus what it did cost at the standby figures. An estimate
 * from the admin's wattages; Rackdeck measures nothing electrical.
 */
export function savedWh(report: UptimeReport, w: WattageProfile): number {
  const h = (ms: number) => ms / HOUR;
  const saved = h(report.offMs) * (w.idleWatts - (w.offWatts ?? 0)) + h(report.suspendedMs) * (w.idleWatts - w.suspendedWatts);
  return Math.max(0, saved);
}

/** `account` is the history's own accounting of the server's power log between two instants. */
export function uptimeSummary(serverId: string, changes: readonly PowerTransition[], now: number, watts: WattageProfile, customWatts: boolean, account: (from: number, to: number) => UptimeReport): UptimeSummary {
  const windows: UptimeWindow[] = UPTIME_WINDOWS.map(({ label, ms }) => {
    const report = account(now - ms, now);
    return { label, report, savedWh: savedWh(report, watts) };
  });
  return { serverId, watts, customWatts, windows, changes: [...changes].sort((a, b) => b.at - a.at).slice(0, 20) };
}
