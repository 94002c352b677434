/**
 * Durations in the words an admin scans quickly: "12 s", "4 min", "3 h 20 min", "2 d 5 h".
 * Two units at most, because "3 h 20 min 11 s" is noise on a card.
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "just now" for the first seconds, so a card that was just probed does not count up from 0 s. */
export function formatAgo(then: number, now: number): string {
  const ms = now - then;
  if (ms < 5_000) return 'just now';
  return `${formatDuration(ms)} ago`;
}

/** "14:03" today, "12 Mar 14:03" otherwise: the moment a state began. */
export function formatClock(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (new Date(now).toDateString() === d.toDateString()) return time;
  return `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
}

export function formatTimestamp(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
