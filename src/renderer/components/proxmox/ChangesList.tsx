import { useEffect, useState } from 'react';
import type { ProxmoxChange } from '../../../shared/contract/proxmox';
import { useClient } from '../../hooks/useClient';
import { formatClock, formatTimestamp } from '../../lib/time';
import { CHANGE_LABEL } from './guest-labels';
import './proxmox.css';

/**
 * "What changed": guests created, removed, moved, started, stopped… between refreshes, newest
 * first; it loads the history kept in main and then follows the `proxmox.changes` events.
 */
export function ChangesList(props: { cluster?: string; limit?: number }) {
  const client = useClient();
  const limit = props.limit ?? 100;
  const [changes, setChanges] = useState<ProxmoxChange[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const off = client.on('proxmox.changes', (batch) => {
      if (!live) return;
      const mine = props.cluster ? batch.filter((c) => c.cluster === props.cluster) : batch;
      if (mine.length) setChanges((cur) => [...[...mine].reverse(), ...cur].slice(0, limit));
    });
    client.proxmox
      .changes({ ...(props.cluster ? { cluster: props.cluster } : {}), limit })
      .then((list) => live && setChanges([...list].reverse()))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
      off();
    };
  }, [client, props.cluster, limit]);

  return (
    <section className="px-changes" data-testid="changes-list">
      {error && <p className="form-error">{error}</p>}
      {changes.length === 0 && !error && <p className="muted">Nothing yet: guests created, removed, moved, started or stopped are noted here between refreshes while Rackdeck runs.</p>}
      <ol>
        {changes.map((c, i) => (
          <li key={`${c.at}-${c.id}-${c.kind}-${i}`} data-kind={c.kind} data-testid="change">
            <time dateTime={new Date(c.at).toISOString()} title={formatTimestamp(c.at)}>
              {formatClock(c.at)}
            </time>
            <span className="px-chip px-change-kind">{CHANGE_LABEL[c.kind]}</span>
            <span className="px-change-text">{c.detail}</span>
            <span className="muted px-change-cluster">{c.cluster}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
