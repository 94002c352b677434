import type { ThresholdKind } from '../../../shared/contract/monitoring';

/** What the admin reads in a notification: the server first, then what is wrong, in plain words. */
const WHAT: Record<ThresholdKind, string> = { cpu: 'CPU', memory: 'Memory', disk: 'Disk' };

export function thresholdFiredText(kind: ThresholdKind, serverName: string, value: number, threshold: number, forMs: number): { title: string; body: string } {
  const span = forMs >= 60_000 ? ` for ${formatMinutes(forMs)}` : '';
  return {
    title: `${serverName}: ${WHAT[kind]} at ${Math.round(value)} %`,
    body: `${WHAT[kind]} has been at or above ${threshold} %${span}.`,
  };
}

export function thresholdResolvedText(kind: ThresholdKind, serverName: string, value: number): { title: string; body: string } {
  return { title: `${serverName}: ${WHAT[kind]} back to ${Math.round(value)} %`, body: `${WHAT[kind]} is below the alert level again.` };
}

function formatMinutes(ms: number): string {
  const m = ms / 60_000;
  if (m < 120) return `${Number.isInteger(m) ? m : m.toFixed(1)} min`;
  return `${(m / 60).toFixed(m % 60 ? 1 : 0)} h`;
}
