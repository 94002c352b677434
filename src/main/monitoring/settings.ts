import type { MonitoringSettings, MonitoringSettingsView, Retention } from '../../shared/contract/monitoring';
import type { WattageProfile } from '../../shared/metrics';
import type { TierSpec } from '../store/history';
import { own } from '../../shared/own';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The history's round-robin tiers from the admin's retention: the steps never change (a minute,
 * half an hour, three hours, a day), only how many buckets each keeps, so changing retention
 * keeps what is stored (the history store trims or grows each ring).
 */
export function tiersFor(r: Retention): TierSpec[] {
  return [
    { step: MINUTE, size: r.minuteHours * 60 },
    { step: 30 * MINUTE, size: r.halfHourDays * 48 },
    { step: 3 * HOUR, size: r.threeHourDays * 8 },
    { step: DAY, size: r.dayDays },
  ];
}

export function wattsFor(settings: MonitoringSettings, serverId: string): { watts: WattageProfile; custom: boolean } {
  const mine = own(settings.energy.servers, serverId);
  return mine ? { watts: mine, custom: true } : { watts: settings.energy.default, custom: false };
}

export function settingsView(s: MonitoringSettings): MonitoringSettingsView {
  return {
    metricsIntervalMs: s.metricsIntervalMs,
    metricsConcurrency: s.metricsConcurrency,
    flushIntervalMs: s.flushIntervalMs,
    retention: s.retention,
    energy: s.energy,
    serviceChecks: s.serviceChecks,
  };
}

/** Samples further apart than this break a "for N minutes" stretch: about three metric intervals, never under 3 minutes. */
export function maxGapFor(s: MonitoringSettings): number {
  return Math.max(3 * s.metricsIntervalMs, 3 * MINUTE);
}
