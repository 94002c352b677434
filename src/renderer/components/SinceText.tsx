import { memo } from 'react';
import type { ServerView } from '../../shared/server';
import { POWER_LABELS, isTransitional } from '../../shared/power';
import { useCardTimeText } from '../hooks/useNow';
import { formatAgo, formatDuration } from '../lib/time';

/**
 * The card's time line. The engine only patches a server when its state changes, so for a host
 * that is on, "up for …" (from `since`) is the live fact; for one that is not, "last seen …".
 */
export function timeLine(s: Pick<ServerView, 'power' | 'since' | 'lastSeen'>, now: number): string {
  if (s.power === 'on') return now - s.since < 5_000 ? 'Just came up' : `Up for ${formatDuration(now - s.since)}`;
  if (isTransitional(s.power)) return `${POWER_LABELS[s.power].replace('…', '')} for ${formatDuration(now - s.since)}`;
  if (s.lastSeen !== undefined) return `Last seen ${formatAgo(s.lastSeen, now)}`;
  // A guest Proxmox reports stopped or paused was never "seen" by a probe; how long it has been so says more.
  if (s.power === 'stopped' || s.power === 'paused' || s.power === 'suspended') return `${POWER_LABELS[s.power]} for ${formatDuration(now - s.since)}`;
  if (s.power === 'unknown') return 'Waiting for the first probe';
  return 'Never seen';
}

export const SinceText = memo(function SinceText({ power, since, lastSeen }: Pick<ServerView, 'power' | 'since' | 'lastSeen'>) {
  const text = useCardTimeText((now) => timeLine(lastSeen === undefined ? { power, since } : { power, since, lastSeen }, now));
  return <span className="since">{text}</span>;
});
