import { useEffect, useState } from 'react';
import type { StorageView } from '../../../shared/contract/proxmox';
import { useClient } from '../../hooks/useClient';
import './proxmox.css';

function size(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}

/** Every storage pool of every cluster with its usage, fullest first, so the one to act on is on top. */
export function StorageList() {
  const client = useClient();
  const [pools, setPools] = useState<StorageView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.proxmox.storage({}).then(
      (p) => live && setPools([...p].sort((a, b) => (b.fraction ?? -1) - (a.fraction ?? -1) || a.storage.localeCompare(b.storage))),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [client]);
  if (error) return <p className="form-error">{error}</p>;
  if (!pools) return <p className="muted">Loading…</p>;
  if (pools.length === 0) return <p className="muted">The clusters report no storage.</p>;
  return (
    <table className="px-table px-storage" data-testid="storage-list">
      <thead>
        <tr>
          <th scope="col">Storage</th>
          <th scope="col">Node</th>
          <th scope="col">Type</th>
          <th scope="col">Content</th>
          <th scope="col" className="px-usage-col">
            Usage
          </th>
        </tr>
      </thead>
      <tbody>
        {pools.map((p) => {
          const share = p.fraction ?? (p.total ? (p.used ?? 0) / p.total : undefined);
          const level = share === undefined ? undefined : share > 0.9 ? 'high' : share > 0.75 ? 'mid' : undefined;
          return (
            <tr key={`${p.cluster}/${p.node}/${p.storage}`} data-testid="storage-row" data-active={p.active === false ? 'false' : undefined}>
              <td>
                <strong>{p.storage}</strong>
                {p.active === false && <span className="px-chip px-chip-warn">inactive</span>}
                {p.enabled === false && <span className="px-chip">disabled</span>}
              </td>
              <td>{p.shared ? <span className="muted">shared</span> : p.node}</td>
              <td className="muted">{p.type ?? '—'}</td>
              <td>
                <span className="px-content">
                  {p.content.map((c) => (
                    <span key={c} className="px-chip">
                      {c}
                    </span>
                  ))}
                </span>
              </td>
              <td className="px-usage-col">
                {share === undefined || !p.total ? (
                  <span className="muted">unknown</span>
                ) : (
                  <span className="px-usage" data-testid="storage-usage">
                    <span className="px-usage-bar" data-level={level}>
                      <span style={{ width: `${(Math.min(1, share) * 100).toFixed(1)}%` }} />
                    </span>
                    <span className="px-usage-text">
                      <strong>{Math.round(share * 100)} %</strong> · {size(p.used ?? 0)} of {size(p.total)}
                    </span>
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
