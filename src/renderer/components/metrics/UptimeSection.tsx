import { useCallback, useEffect, useState } from 'react';
import { formatDuration, formatEnergy } from '../../../shared/contract/monitoring-format';
import type { UptimeSummary } from '../../../shared/contract/monitoring';
import { POWER_LABELS } from '../../../shared/power';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { formatClock } from '../../lib/time';
import './metrics.css';

const SEGMENTS = [
  ['onMs', 'on', 'On'],
  ['suspendedMs', 'asleep', 'Asleep'],
  ['offMs', 'off', 'Off'],
  ['unknownMs', 'unknown', 'Unknown'],
] as const;

/**
 * Time on, asleep and off over the last day, week and month, with the energy that sleeping and
 * shutting down saved (from the admin's wattages: an estimate, not a measurement).
 */
export function UptimeSection({ server }: { server: ServerView }) {
  const client = useClient();
  const [u, setU] = useState<UptimeSummary | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const load = useCallback(() => client.metrics.uptime({ id: server.id }).then(setU, () => undefined), [client, server.id]);
  useEffect(() => {
    void load();
  }, [load, server.power]);
  if (!u) return <div className="sk" style={{ height: 96 }} />;
  return (
    <div className="uptime" data-testid="uptime">
      {u.windows.map((w) => {
        const total = w.report.to - w.report.from;
        const known = total - w.report.unknownMs;
        return (
          <div key={w.label} className="uptime-row">
            <div className="uptime-head">
              <span className="uptime-label">{w.label}</span>
              <span className="uptime-avail">{w.report.availability !== undefined ? `${(w.report.availability * 100).toFixed(w.report.availability > 0.999 || w.report.availability < 0.1 ? 0 : 1)} % on` : 'not watched yet'}</span>
            </div>
            <div className="uptime-bar" role="img" aria-label={SEGMENTS.map(([k, , l]) => `${l} ${formatDuration(w.report[k])}`).join(', ')}>
              {SEGMENTS.map(([k, tone, l]) =>
                w.report[k] > 0 ? <span key={k} data-tone={tone} style={{ flexGrow: w.report[k] }} title={`${l}: ${formatDuration(w.report[k])}`} /> : null,
              )}
            </div>
            {known > 0 && (
              <p className="uptime-detail">
                {SEGMENTS.filter(([k]) => k !== 'unknownMs' && w.report[k] > 0)
                  .map(([k, , l]) => `${l} ${formatDuration(w.report[k])}`)
                  .join(' · ')}
                <span className="uptime-energy" title="Estimated from the wattages below">
                  {formatEnergy(w.report.energyWh)} used{w.savedWh >= 1 ? <strong> · {formatEnergy(w.savedWh)} saved</strong> : null}
                </span>
              </p>
            )}
          </div>
        );
      })}
      <div className="uptime-watts">
        {editing ? (
          <WattsForm server={server} summary={u} onDone={() => { setEditing(false); void load(); }} />
        ) : (
          <>
            <span className="muted">
              Estimated at {u.watts.idleWatts} W idle, {u.watts.suspendedWatts} W asleep{u.watts.offWatts ? `, ${u.watts.offWatts} W off` : ''}
              {u.customWatts ? '' : ' (default)'}
            </span>
            <button type="button" className="link" onClick={() => setEditing(true)} data-testid="uptime-edit-watts">
              Change
            </button>
          </>
        )}
      </div>
      {u.changes.length > 0 && (
        <ol className="uptime-changes" aria-label="Recent power changes">
          {u.changes.slice(0, 5).map((c) => (
            <li key={c.at}>
              <span className="mono">{formatClock(c.at)}</span> {POWER_LABELS[c.state].replace('…', '')}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function WattsForm({ server, summary, onDone }: { server: ServerView; summary: UptimeSummary; onDone(): void }) {
  const client = useClient();
  const [idle, setIdle] = useState(String(summary.watts.idleWatts));
  const [asleep, setAsleep] = useState(String(summary.watts.suspendedWatts));
  const [off, setOff] = useState(String(summary.watts.offWatts ?? 0));
  const [error, setError] = useState<string | undefined>(undefined);
  const num = (s: string) => (s.trim() === '' || !Number.isFinite(Number(s)) || Number(s) < 0 ? undefined : Number(s));
  const save = (reset: boolean) => {
    const w = { idleWatts: num(idle), suspendedWatts: num(asleep), offWatts: num(off) };
    if (!reset && (w.idleWatts === undefined || w.suspendedWatts === undefined || w.offWatts === undefined)) {
      setError('Wattages are numbers of watts, 0 or more.');
      return;
    }
    const profile = reset ? null : { idleWatts: w.idleWatts as number, suspendedWatts: w.suspendedWatts as number, offWatts: w.offWatts as number };
    client.metrics.setSettings({ energy: { servers: { [server.id]: profile } } }).then(onDone, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <form
      className="watts-form"
      onSubmit={(e) => {
        e.preventDefault();
        save(false);
      }}
    >
      <label>
        Idle <input inputMode="decimal" value={idle} onChange={(e) => setIdle(e.target.value)} aria-label="Watts when idle" /> W
      </label>
      <label>
        Asleep <input inputMode="decimal" value={asleep} onChange={(e) => setAsleep(e.target.value)} aria-label="Watts when asleep" /> W
      </label>
      <label>
        Off <input inputMode="decimal" value={off} onChange={(e) => setOff(e.target.value)} aria-label="Watts when off" /> W
      </label>
      <button type="submit" className="btn btn-sm btn-primary">Save</button>
      {summary.customWatts && (
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => save(true)}>
          Use default
        </button>
      )}
      {error && <p className="field-error">{error}</p>}
    </form>
  );
}
