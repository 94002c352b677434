import type { ResetRecord } from '../../../shared/contract/agents';
import { formatClock, formatTimestamp } from '../../lib/time';

function result(r: ResetRecord): string {
  if (r.finishedAt === undefined) return 'running…';
  return r.ok ? `ok (${r.taskStatus})` : `failed: ${r.taskStatus}`;
}

/** The reset history, newest first: when, who (watchdog or a person), the task's result and why. */
export function ResetHistory({ resets }: { resets: readonly ResetRecord[] }) {
  if (resets.length === 0) return <p className="muted">No resets recorded.</p>;
  return (
    <table className="reset-history" data-testid="reset-history" style={{ width: '100%', borderCollapse: 'collapse', fontSize: 13 }}>
      <thead>
        <tr>
          <th scope="col" style={{ textAlign: 'left' }}>When</th>
          <th scope="col" style={{ textAlign: 'left' }}>By</th>
          <th scope="col" style={{ textAlign: 'left' }}>Result</th>
          <th scope="col" style={{ textAlign: 'left' }}>Reason</th>
        </tr>
      </thead>
      <tbody>
        {resets.map((r) => (
          <tr key={r.id} data-ok={r.ok} data-testid="reset-row">
            <td title={formatTimestamp(r.at)}>{formatClock(r.at)}</td>
            <td>{r.source === 'auto' ? 'watchdog' : 'manual'}</td>
            <td className={r.ok || r.finishedAt === undefined ? undefined : 'form-error'}>{result(r)}</td>
            <td style={{ overflowWrap: 'anywhere' }}>{r.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
