/** Exponential backoff: base, 2×base, 4×base… capped. `attempt` counts from 1. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 30));
}
