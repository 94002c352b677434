import type { ResetRecord } from '../../shared/contract/agents';

/** Reset records kept per server; older ones fall off so the file stays small. */
export const MAX_RESET_RECORDS = 100;

export function appendReset(history: readonly ResetRecord[], record: ResetRecord): ResetRecord[] {
  const next = [...history, record];
  return next.length > MAX_RESET_RECORDS ? next.slice(next.length - MAX_RESET_RECORDS) : next;
}

/** Automatic resets inside the window ending now: manual ones are a human's call and never use up the budget. */
export function autoAttemptsInWindow(history: readonly ResetRecord[], now: number, windowMs: number): number {
  return history.filter((r) => r.source === 'auto' && r.at > now - windowMs && r.at <= now).length;
}

export function lastReset(history: readonly ResetRecord[]): ResetRecord | undefined {
  return history[history.length - 1];
}
