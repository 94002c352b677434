import { useCallback, useEffect, useState } from 'react';
import type { ServiceReport } from '../../../shared/contract/monitoring';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { formatClock } from '../../lib/time';
import './metrics.css';

/**
 * What answers on the server: its own ports and the common ones, open or closed, and a link
 * where a port serves a web UI (the desktop face opens it in the browser, never in the app).
 */
export function ServicesSection({ server }: { server: ServerView }) {
  const client = useClient();
  const [report, setReport] = useState<ServiceReport | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const load = useCallback(
    (refresh: boolean) => {
      setBusy(true);
      setError(undefined);
      return client.metrics.services({ id: server.id, ...(refresh ? { refresh: true } : {}) }).then(
        (r) => {
          setReport(r);
          setBusy(false);
        },
        (e: unknown) => {
          setError(e instanceof Error ? e.message : String(e));
          setBusy(false);
        },
      );
    },
    [client, server.id],
  );
  // Checked again when the server comes up or goes down.
  const up = server.power === 'on' || server.power === 'init_failed';
  useEffect(() => {
    void load(false);
  }, [load, up]);

  const open = report?.services.filter((s) => s.open) ?? [];
  const closed = report?.services.filter((s) => !s.open) ?? [];
  return (
    <div className="services" data-testid="services">
      {report?.note && <p className="muted services-note">{report.note}</p>}
      {error && <p className="form-error">{error}</p>}
      {open.length > 0 && (
        <ul className="service-list">
          {open.map((s) => (
            <li key={s.port} data-open="true" data-testid="service" data-port={s.port}>
              <span className="port-dot" aria-hidden="true" />
              <span className="service-name">{s.name}</span>
              <span className="mono service-port">{s.port}</span>
              {s.configured && <span className="service-tag" title="In this server's port list">watched</span>}
              {s.url ? (
                <a className="service-link" href={s.url} target="_blank" rel="noopener noreferrer" data-testid="service-link">
                  Open
                  <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
                    <path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" />
                  </svg>
                </a>
              ) : (
                <span className="service-ms muted">{s.ms !== undefined ? `${Math.round(s.ms)} ms` : ''}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {closed.length > 0 && (
        <p className="services-closed muted" data-testid="services-closed">
          Closed: {closed.map((s) => (s.name === String(s.port) ? s.port : `${s.name} ${s.port}`)).join(', ')}
        </p>
      )}
      <div className="services-foot">
        <span className="muted">{report?.checkedAt ? `Checked ${formatClock(report.checkedAt)}` : busy ? 'Checking…' : ''}</span>
        <button type="button" className="btn btn-ghost btn-sm" disabled={busy || !up} onClick={() => void load(true)} data-testid="services-check">
          {busy ? 'Checking…' : 'Check now'}
        </button>
      </div>
    </div>
  );
}
