import { useMemo, useState } from 'react';
import { formatBytesShort, formatRate } from '../../../shared/contract/monitoring-format';
import { HISTORY_RANGES, type HistoryRange } from '../../../shared/metrics';
import { useChartTheme } from './chart-theme';
import { MetricChart, type ChartKind } from './MetricChart';
import { chartData, lastValue, RANGE_LABELS, type ChartData } from './series-data';
import { useSeries } from './useSeries';
import './metrics.css';

/** The range chosen last, kept while the window lives: moving from server to server keeps it. */
let lastRange: HistoryRange = 'day';

export function RangeTabs({ range, onChange }: { range: HistoryRange; onChange(range: HistoryRange): void }) {
  return (
    <div className="seg" role="tablist" aria-label="Time range">
      {HISTORY_RANGES.map((r) => (
        <button key={r} type="button" role="tab" aria-selected={r === range} className="seg-btn" data-testid={`metrics-range-${r}`} onClick={() => onChange(r)}>
          {RANGE_LABELS[r]}
        </button>
      ))}
    </div>
  );
}

const TITLES: Record<ChartKind, string> = { cpu: 'CPU', memory: 'Memory', disk: 'Disk', network: 'Network' };

function headline(kind: ChartKind, data: ChartData): string | undefined {
  const pct = (v: number | undefined, total?: number) => (v === undefined || !total ? undefined : (v / total) * 100);
  switch (kind) {
    case 'cpu': {
      const v = lastValue(data, 'cpu');
      return v === undefined ? undefined : `${v.toFixed(v < 10 ? 1 : 0)} %`;
    }
    case 'memory': {
      const used = lastValue(data, 'memUsed');
      const total = lastValue(data, 'memTotal');
      const p = pct(used, total);
      return used === undefined || total === undefined || p === undefined ? undefined : `${formatBytesShort(used)} / ${formatBytesShort(total)} · ${p.toFixed(0)} %`;
    }
    case 'disk': {
      const used = lastValue(data, 'diskUsed');
      const total = lastValue(data, 'diskTotal');
      const p = pct(used, total);
      return used === undefined || total === undefined || p === undefined ? undefined : `${formatBytesShort(used, 0)} / ${formatBytesShort(total, 0)} · ${p.toFixed(0)} %`;
    }
    case 'network': {
      const rx = lastValue(data, 'netIn');
      const tx = lastValue(data, 'netOut');
      return rx === undefined && tx === undefined ? undefined : `↓ ${formatRate(rx ?? 0)}  ↑ ${formatRate(tx ?? 0)}`;
    }
  }
}

function Legend({ kind, range }: { kind: ChartKind; range: HistoryRange }) {
  if (kind === 'network') {
    return (
      <span className="mchart-legend">
        <i data-series="in" /> in <i data-series="out" /> out
      </span>
    );
  }
  if (kind === 'cpu' && range !== 'hour' && range !== 'day') {
    return (
      <span className="mchart-legend">
        <i data-series="cpu" /> average <i data-series="peak" /> peak
      </span>
    );
  }
  return null;
}

/**
 * CPU, memory, disk and network of one server over a range. `layout` stacks them in the
 * drawer or lays them out two by two in the expanded view.
 */
export function MetricsPanel({ serverId, serverName, layout = 'stack', initialRange }: { serverId: string; serverName: string; layout?: 'stack' | 'grid'; initialRange?: HistoryRange }) {
  const [range, setRangeState] = useState<HistoryRange>(initialRange ?? lastRange);
  const setRange = (r: HistoryRange) => {
    lastRange = r;
    setRangeState(r);
  };
  const { series, error, loading } = useSeries(serverId, range);
  const theme = useChartTheme();
  const data = useMemo(() => (series ? chartData(series) : undefined), [series]);
  const kinds: ChartKind[] = ['cpu', 'memory', 'disk', 'network'];
  const height = layout === 'grid' ? 190 : 104;
  return (
    <div className="mpanel" data-layout={layout} data-testid="metrics-panel" data-range={range} data-points={data?.count ?? 0} data-loading={loading || undefined}>
      <div className="mpanel-bar">
        <RangeTabs range={range} onChange={setRange} />
        {series?.backfilled && <span className="mpanel-note" title="Filled in from Proxmox's own history the first time this chart was opened">with Proxmox history</span>}
      </div>
      {error && <p className="form-error">{error}</p>}
      {data && data.count === 0 && !loading ? (
        <div className="mpanel-empty" data-testid="metrics-empty">
          <strong>No figures for the last {RANGE_LABELS[range].toLowerCase()} yet.</strong>
          <span>Rackdeck reads them every minute: over SSH once the server is initialised, from Proxmox for nodes and guests, or from an agent.</span>
        </div>
      ) : (
        <div className="mpanel-charts">
          {kinds.map((kind) => (
            <section key={kind} className="mchart" data-kind={kind} data-empty={data && !data.has[kind] ? true : undefined} aria-label={TITLES[kind]}>
              <header className="mchart-head">
                <h4>{TITLES[kind]}</h4>
                <Legend kind={kind} range={range} />
                <span className="mchart-now">{data ? (headline(kind, data) ?? 'no figures') : ' '}</span>
              </header>
              {data && series ? (
                <MetricChart kind={kind} data={data} range={range} from={series.from} to={series.to} theme={theme} height={height} label={`${TITLES[kind]} of ${serverName}, last ${RANGE_LABELS[range].toLowerCase()}`} />
              ) : (
                <div className="mchart-canvas sk" style={{ height }} />
              )}
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
