import { memo, useEffect } from 'react';
import { percentOf } from '../../../shared/contract/monitoring-format';
import type { PowerState } from '../../../shared/power';
import { useClient } from '../../hooks/useClient';
import { ensureLiveMetrics, useLiveMetrics } from './live-store';
import { Sparkline } from './Sparkline';
import './metrics.css';
import { own } from '../../../shared/own';

const HOUR = 3_600_000;
/** Figures older than this are not "live" any more: the card shows nothing rather than a stale number. */
const FRESH_MS = 10 * 60_000;

function level(v: number | undefined): 'ok' | 'high' | 'critical' {
  if (v === undefined || v < 75) return 'ok';
  return v < 90 ? 'high' : 'critical';
}

/**
 * The live figures on a card: CPU and memory now, and the last hour of CPU as a sparkline.
 * Shown while the server runs and its figures are fresh.
 */
export const CardMetrics = memo(function CardMetrics({ id, power }: { id: string; power: PowerState }) {
  const client = useClient();
  useEffect(() => ensureLiveMetrics(client), [client]);
  const entry = useLiveMetrics((s) => own(s.entries, id));
  if (!entry || (power !== 'on' && power !== 'init_failed')) return null;
  const { sample, spark } = entry;
  if (Date.now() - sample.t > FRESH_MS) return null;
  const mem = percentOf(sample.memUsed, sample.memTotal);
  const to = Math.max(sample.t, Date.now());
  return (
    <div className="card-metrics" data-testid="card-metrics">
      <span className="cm-figure" data-level={level(sample.cpu)} title="CPU, last reading">
        <span className="cm-label">CPU</span>
        <span className="cm-value" data-testid="card-cpu">{sample.cpu === undefined ? '–' : `${Math.round(sample.cpu)}%`}</span>
      </span>
      <span className="cm-figure" data-level={level(mem)} title="Memory in use, last reading">
        <span className="cm-label">MEM</span>
        <span className="cm-value">{mem === undefined ? '–' : `${Math.round(mem)}%`}</span>
      </span>
      {spark.filter(([, v]) => v !== null).length >= 2 && <Sparkline points={spark} from={to - HOUR} to={to} label="CPU over the last hour" />}
    </div>
  );
});
