import { useEffect, useRef, useState } from 'react';
import { formatBytes, type ConsoleStatsEvent, type LiveStats as Sample } from '../../../shared/contract/consoles';
import { useClient } from '../../hooks/useClient';
import { consoleOwner, holdOwner } from './owner';
import type { ConsoleStatus } from './TerminalView';
import './consoles.css';

export interface LiveStatsProps {
  serverId: string;
  /** How often main reads (default 3 s). */
  intervalMs?: number;
  onStatus?(status: ConsoleStatus): void;
}

const pct = (v: number | undefined, digits = 1) => (v === undefined ? '–' : `${v.toFixed(digits)}%`);
const rate = (v: number | undefined) => (v === undefined ? '' : `${formatBytes(v)}/s`);

/**
 * `docker stats` for one server, updated every few seconds: status, CPU, memory used/limit,
 * network and block I/O (totals and rates). Host figures come from /proc over SSH, a guest's
 * from Proxmox. The readings stop when the view closes.
 */
export function LiveStats({ serverId, intervalMs, onStatus }: LiveStatsProps) {
  const client = useClient();
  const [sample, setSample] = useState<Sample | null>(null);
  const [error, setError] = useState<string | null>(null);
  const statusCb = useRef(onStatus);
  statusCb.current = onStatus;

  useEffect(() => {
    let sessionId: string | undefined;
    let gone = false;
    // A first reading can beat the answer that names the session: keep it until then.
    let early: ConsoleStatsEvent[] = [];
    const release = holdOwner(client);
    setSample(null);
    setError(null);
    statusCb.current?.('opening');
    const show = (e: ConsoleStatsEvent) => {
      if (e.sample.error) setError(e.sample.error);
      else {
        setError(null);
        setSample(e.sample);
      }
    };
    const off = client.on('console.stats', (e) => {
      if (sessionId === undefined) early.push(e);
      else if (e.sessionId === sessionId) show(e);
    });
    client.consoles.stats({ serverId, owner: consoleOwner(), ...(intervalMs ? { intervalMs } : {}) }).then(
      (info) => {
        sessionId = info.sessionId;
        const held = early;
        early = [];
        if (gone) return void client.consoles.close({ sessionId: info.sessionId }).catch(() => undefined);
        statusCb.current?.('open');
        for (const e of held) if (e.sessionId === info.sessionId) show(e);
      },
      (e: unknown) => {
        setError(e instanceof Error ? e.message : String(e));
        statusCb.current?.('failed');
      },
    );
    return () => {
      gone = true;
      off();
      release();
      if (sessionId) void client.consoles.close({ sessionId }).catch(() => undefined);
    };
  }, [client, serverId, intervalMs]);

  const s = sample;
  return (
    <div className="console-view live-stats" data-testid="live-stats" data-server-id={serverId}>
      <table className="stats-table">
        <thead>
          <tr>
            <th>Status</th>
            <th>CPU %</th>
            <th>Mem usage / limit</th>
            <th>Mem %</th>
            <th>Net I/O</th>
            <th>Block I/O</th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="stats-row">
            <td>{s?.status ?? '…'}</td>
            <td className="num">{pct(s?.cpuPercent)}</td>
            <td className="num">{s ? `${formatBytes(s.memUsed)} / ${formatBytes(s.memLimit)}` : '–'}</td>
            <td className="num">{pct(s?.memPercent, 2)}</td>
            <td className="num">
              {s ? `${formatBytes(s.netRx)} / ${formatBytes(s.netTx)}` : '–'}
              <small>{s && (s.netRxRate !== undefined || s.netTxRate !== undefined) ? `${rate(s.netRxRate)} ↓ ${rate(s.netTxRate)} ↑` : ''}</small>
            </td>
            <td className="num">
              {s ? `${formatBytes(s.blockRead)} / ${formatBytes(s.blockWrite)}` : '–'}
              <small>{s && (s.blockReadRate !== undefined || s.blockWriteRate !== undefined) ? `${rate(s.blockReadRate)} r ${rate(s.blockWriteRate)} w` : ''}</small>
            </td>
          </tr>
        </tbody>
      </table>
      <p className="console-foot">
        {error ? <span className="console-field-error">{error}</span> : s ? `From ${s.source === 'ssh' ? '/proc over SSH' : 'Proxmox'}${s.cpus ? ` · ${s.cpus} CPUs` : ''}` : 'Reading…'}
      </p>
    </div>
  );
}
