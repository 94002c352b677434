import type { CheckStateView, CheckStatus } from '../../../shared/contract/checks';

/**
 * What one run of a check found. `fail` is a single failed run: the check turns `failing` only
 * after `failAfter` of them in a row, so one lost packet does not page anybody. `unknown` means
 * the run could not look (the server sleeps, no SSH, no Proxmox data yet), which is neither
 * good nor bad news.
 */
export interface Outcome {
  result: 'ok' | 'warning' | 'fail' | 'unknown';
  message: string;
  details?: Record<string, string | number>;
}

export const initialState = (now: number): CheckStateView => ({ status: 'unknown', since: now, message: 'not run yet', failures: 0, alerting: false });

/** The transition an alert cares about: into `failing`, or out of it. */
export type AlertEdge = 'fired' | 'cleared' | undefined;

/**
 * One run's outcome applied to a check's state (pure). A failure below the count keeps the
 * status it had (saying how many failures there were so far); `unknown` keeps the failure count,
 * so a host that answers nothing for a while is judged on what it said before and after.
 */
export function stepState(prev: CheckStateView, outcome: Outcome, failAfter: number, at: number, durationMs: number): { state: CheckStateView; edge: AlertEdge } {
  let status: CheckStatus;
  let failures = prev.failures;
  let message = outcome.message;
  switch (outcome.result) {
    case 'fail':
      failures += 1;
      if (failures >= failAfter) status = 'failing';
      else {
        status = prev.status === 'failing' ? 'failing' : prev.status;
        message = `${outcome.message} (failure ${failures} of ${failAfter} before failing)`;
      }
      break;
    case 'unknown':
      status = 'unknown';
      break;
    default:
      failures = 0;
      status = outcome.result;
  }
  // The alert holds from `failing` until the check is seen good again (not while it is unknown).
  const alerting = status === 'failing' || (prev.alerting && status === 'unknown');
  const state: CheckStateView = {
    status,
    alerting,
    since: status === prev.status ? prev.since : at,
    message,
    durationMs,
    lastRunAt: at,
    failures,
    ...(outcome.details ? { details: outcome.details } : {}),
  };
  const edge: AlertEdge = alerting && !prev.alerting ? 'fired' : prev.alerting && !alerting ? 'cleared' : undefined;
  return { state, edge };
}

/** Worst first: how a check that looks at several things (disks, units, guests) sums them up. */
export function worst(outcomes: readonly Outcome[]): Outcome['result'] {
  const order: Outcome['result'][] = ['fail', 'warning', 'unknown', 'ok'];
  for (const r of order) if (outcomes.some((o) => o.result === r)) return r;
  return 'ok';
}
