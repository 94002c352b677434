import type { ResetRecord } from '../../../shared/contract/agents';
import { formatClock, formatTimestamp } from '../../lib/time';

function result(r: ResetRecord): string {
  if (r.finishedAt === undefined) return 'running…';
  return r.ok ? (r.taskStatus === 'OK' ? 'OK' : `OK (${r.taskStatus})`) : `failed: ${r.taskStatus}`;
}

/** The reset history, newest first: when, who (watchdog or a person), the task's result and why. */
export function ResetHistory({ resets }: { resets: readonly ResetRecord[] }) {
  if (resets.length === 0) return <p className="muted">No resets recorded.</p>;
  return (
    <table className="reset-history" data-testid="reset-history">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">By</th>
          <th scope="col">Result</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {resets.map((r) => (
          <tr key={r.id} data-ok={r.ok} data-testid="reset-row">
            <td title={formatTimestamp(r.at)}>{formatClock(r.at)}</td>
            <td>{r.source === 'auto' ? 'watchdog' : 'manual'}</td>
            <td data-result={r.finishedAt === undefined ? 'running' : r.ok ? 'ok' : 'failed'}>{result(r)}</td>
            <td className="hp-reason-cell">{r.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
