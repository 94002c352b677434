import { useEffect, useMemo, useState } from 'react';
import type { ActionFilter, ActionLogEntry } from '../../../shared/metrics';
import { useClient } from '../../hooks/useClient';
import { formatTimestamp } from '../../lib/time';
import { useRackdeck } from '../../store';
import { Icon } from '../Icon';
import { Modal } from '../Modal';
import './metrics.css';

const SPANS: Array<[string, number | undefined]> = [
  ['Last hour', 3_600_000],
  ['Last 24 hours', 86_400_000],
  ['Last 7 days', 7 * 86_400_000],
  ['Last 30 days', 30 * 86_400_000],
  ['Everything', undefined],
];

const RESULT_TONE: Record<ActionLogEntry['result'], string> = { started: 'busy', ok: 'on', failed: 'failed', timeout: 'failed', cancelled: 'off', skipped: 'off' };
const FACES: Record<ActionLogEntry['face'], string> = { desktop: 'Desktop', tray: 'Tray', web: 'Browser', cli: 'CLI', engine: 'Rackdeck' };

/** Every power action and Proxmox task: when, what, from where, how it ended; filterable and exportable. */
export function ActionLog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const all = useRackdeck((s) => s.servers);
  const servers = useMemo(() => Object.values(all).map((v) => ({ id: v.id, name: v.name })), [all]);
  const [serverId, setServerId] = useState('');
  const [kind, setKind] = useState<'' | 'power' | 'task' | 'automation'>('');
  const [span, setSpan] = useState(1);
  const [entries, setEntries] = useState<ActionLogEntry[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const filter = useMemo((): ActionFilter => {
    const ms = SPANS[span]?.[1];
    return { ...(serverId ? { serverId } : {}), ...(kind ? { kind } : {}), ...(ms ? { since: Date.now() - ms } : {}), limit: 2000 };
  }, [serverId, kind, span]);

  useEffect(() => {
    let gone = false;
    setError(undefined);
    client.actions.log(filter).then(
      (list) => !gone && setEntries([...list].reverse()),
      (e: unknown) => !gone && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      gone = true;
    };
  }, [client, filter]);

  const exportCsv = async () => {
    const { csv, filename } = await client.actions.csv({ ...filter, limit: 100_000 });
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <Modal titleId="log-title" className="wide-modal" testId="action-log" onClose={onClose}>
      <div className="modal-head">
        <h2 id="log-title">Action log</h2>
        <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <div className="modal-body wide-body">
        <div className="log-filters">
          <select value={serverId} onChange={(e) => setServerId(e.target.value)} aria-label="Server" data-testid="log-server">
            <option value="">All servers</option>
            {[...servers]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </select>
          <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} aria-label="Kind">
            <option value="">Every kind</option>
            <option value="power">Power actions</option>
            <option value="task">Proxmox tasks</option>
            <option value="automation">Schedules and idle suspend</option>
          </select>
          <select value={span} onChange={(e) => setSpan(Number(e.target.value))} aria-label="Since">
            {SPANS.map(([label], i) => (
              <option key={label} value={i}>
                {label}
              </option>
            ))}
          </select>
          <span className="log-count muted">{entries ? `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}` : ''}</span>
          <button type="button" className="btn btn-sm" onClick={() => void exportCsv()} disabled={!entries?.length} data-testid="log-export">
            Export CSV
          </button>
        </div>
        {error && <p className="form-error">{error}</p>}
        {entries && entries.length === 0 ? (
          <div className="alerts-empty">
            <strong>Nothing logged here.</strong>
            <span>Wakes, sleeps, shutdowns and Proxmox tasks appear as they happen, with who asked for them.</span>
          </div>
        ) : (
          <div className="log-table-wrap">
            <table className="log-table" data-testid="log-table">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Server</th>
                  <th>Action</th>
                  <th>From</th>
                  <th>Result</th>
                  <th>Detail</th>
                </tr>
              </thead>
              <tbody>
                {(entries ?? []).map((e) => (
                  <tr key={e.id} data-testid="log-row">
                    <td className="mono nowrap" title={formatTimestamp(e.at)}>
                      {new Date(e.at).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' })}
                    </td>
                    <td className="nowrap">{e.serverName ?? e.serverId ?? '–'}</td>
                    <td>
                      <span className="log-kind">{e.kind}</span> {e.action}
                    </td>
                    <td className="nowrap">{FACES[e.face]}</td>
                    <td>
                      <span className="log-result" data-tone={RESULT_TONE[e.result]}>
                        {e.result}
                      </span>
                    </td>
                    <td className="log-detail" title={e.detail}>
                      {e.detail}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Modal>
  );
}
