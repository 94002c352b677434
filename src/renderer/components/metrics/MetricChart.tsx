import type { ChartConfiguration, ChartDataset, Plugin, ScriptableContext, TooltipItem } from 'chart.js';
import { format } from 'date-fns';
import { useEffect, useRef } from 'react';
import { formatBytesShort, formatRate } from '../../../shared/contract/monitoring-format';
import type { HistoryRange } from '../../../shared/metrics';
import { Chart } from './chart-setup';
import { withAlpha, type ChartTheme } from './chart-theme';
import { AXIS_FORMATS, type ChartData, type ChartPoint } from './series-data';

export type ChartKind = 'cpu' | 'memory' | 'disk' | 'network';

export interface MetricChartProps {
  kind: ChartKind;
  data: ChartData;
  range: HistoryRange;
  from: number;
  to: number;
  theme: ChartTheme;
  height: number;
  label: string;
}

type LineDataset = ChartDataset<'line', ChartPoint[]>;

/** Fills under a line with a vertical fade: strong at the line, gone at the axis. */
function fade(color: string, top: number, bottom: number) {
  return (ctx: ScriptableContext<'line'>) => {
    const area = ctx.chart.chartArea;
    if (!area) return withAlpha(color, top);
    const g = ctx.chart.ctx.createLinearGradient(0, area.top, 0, area.bottom);
    g.addColorStop(0, withAlpha(color, top));
    g.addColorStop(1, withAlpha(color, bottom));
    return g;
  };
}

function datasets(kind: ChartKind, data: ChartData, theme: ChartTheme, range: HistoryRange): LineDataset[] {
  const line = (label: string, points: ChartPoint[], color: string, fill: boolean, extra: Partial<LineDataset> = {}): LineDataset => ({
    label,
    data: points,
    borderColor: color,
    backgroundColor: fill ? fade(color, theme.dark ? 0.34 : 0.26, 0.02) : color,
    fill: fill ? 'origin' : false,
    spanGaps: false,
    pointBackgroundColor: color,
    pointBorderColor: theme.surface,
    ...extra,
  });
  switch (kind) {
    case 'cpu': {
      const main = line('CPU', data.cpu, theme.cpu, true);
      // Coarse buckets hide bursts in their average: the peak is drawn faintly above it.
      if (range === 'hour' || range === 'day') return [main];
      return [main, line('Peak', data.cpuPeak, withAlpha(theme.cpu, 0.55), false, { borderWidth: 1, borderDash: [3, 3] })];
    }
    case 'memory':
      return [line('Memory', data.memory, theme.memory, true)];
    case 'disk':
      return [line('Disk', data.disk, theme.disk, true)];
    case 'network':
      return [line('In', data.netIn, theme.netIn, true), line('Out', data.netOut, theme.netOut, false, { borderWidth: 1.4 })];
  }
}

function tooltipLabel(kind: ChartKind, data: ChartData) {
  return (item: TooltipItem<'line'>): string => {
    const y = item.parsed.y;
    if (y === null || y === undefined) return '';
    const raw = data.raw.get(item.parsed.x ?? 0);
    const label = item.dataset.label ?? '';
    switch (kind) {
      case 'cpu':
        return `${label} ${y.toFixed(1)} %`;
      case 'memory':
        return raw?.memUsed !== undefined && raw.memTotal !== undefined ? `${formatBytesShort(raw.memUsed)} of ${formatBytesShort(raw.memTotal)} (${y.toFixed(1)} %)` : `${y.toFixed(1)} %`;
      case 'disk':
        return raw?.diskUsed !== undefined && raw.diskTotal !== undefined ? `${formatBytesShort(raw.diskUsed)} of ${formatBytesShort(raw.diskTotal)} (${y.toFixed(1)} %)` : `${y.toFixed(1)} %`;
      case 'network':
        return `${label} ${formatRate(y)}`;
    }
  };
}

/** Shades the stretches with no data between measured ones: the server was down or not watched. */
function gapShade(gaps: () => ChartData['gaps'], color: () => string): Plugin<'line'> {
  return {
    id: 'rackdeckGaps',
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const x = scales.x;
      if (!chartArea || !x) return;
      ctx.save();
      ctx.fillStyle = color();
      for (const g of gaps()) {
        const a = Math.max(chartArea.left, x.getPixelForValue(g.from));
        const b = Math.min(chartArea.right, x.getPixelForValue(g.to));
        if (b - a >= 1) ctx.fillRect(a, chartArea.top, b - a, chartArea.bottom - chartArea.top);
      }
      ctx.restore();
    },
  };
}

function config(p: MetricChartProps, plugin: Plugin<'line'>): ChartConfiguration<'line', ChartPoint[]> {
  const { kind, data, theme, range, from, to } = p;
  const fmt = AXIS_FORMATS[range];
  const percent = kind !== 'network';
  const font = { family: theme.font, size: 10.5 };
  return {
    type: 'line',
    data: { datasets: datasets(kind, data, theme, range) },
    plugins: [plugin],
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'index', intersect: false },
      layout: { padding: { top: 4, right: 2 } },
      elements: { point: { radius: 0, hoverRadius: 3.5, hitRadius: 8, hoverBorderWidth: 2 }, line: { borderWidth: 1.7, tension: 0.22, capBezierPoints: true } },
      scales: {
        x: {
          type: 'time',
          min: from,
          max: to,
          time: { unit: fmt.unit, displayFormats: { [fmt.unit]: fmt.axis }, tooltipFormat: fmt.tooltip },
          grid: { display: false },
          border: { color: theme.grid },
          ticks: { color: theme.muted, font, maxTicksLimit: 6, maxRotation: 0, autoSkipPadding: 14 },
        },
        y: {
          min: 0,
          ...(percent ? { max: 100 } : { suggestedMax: 1024 }),
          grid: { color: theme.grid, drawTicks: false },
          border: { display: false },
          ticks: {
            color: theme.muted,
            font,
            padding: 6,
            maxTicksLimit: percent ? 3 : 4,
            ...(percent ? { stepSize: 50 } : {}),
            callback: (v) => (percent ? `${v} %` : formatRate(Number(v)).replace(/\.0 /, ' ')),
          },
        },
      },
      plugins: {
        tooltip: {
          backgroundColor: theme.surface,
          titleColor: theme.text,
          bodyColor: theme.text,
          borderColor: theme.grid,
          borderWidth: 1,
          padding: 9,
          boxPadding: 4,
          usePointStyle: true,
          titleFont: { ...font, size: 11.5, weight: 'bold' },
          bodyFont: { ...font, size: 12 },
          callbacks: {
            title: (items) => (items[0] ? format(items[0].parsed.x ?? 0, fmt.tooltip) : ''),
            label: tooltipLabel(kind, data),
          },
          filter: (item) => item.parsed.y !== null,
        },
      },
    },
  };
}

/**
 * One chart of a server's history: a time axis over the whole range (so a short history sits
 * at the right, not stretched), gaps where nothing was measured, values with their units.
 */
export function MetricChart(props: MetricChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', ChartPoint[]> | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const plugin = useRef(gapShade(() => latest.current.data.gaps, () => latest.current.theme.down));

  useEffect(() => {
    if (!canvas.current) return;
    const c = new Chart(canvas.current, config(latest.current, plugin.current));
    chart.current = c;
    return () => {
      c.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const next = config(props, plugin.current);
    c.data = next.data;
    c.options = next.options ?? {};
    c.update('none');
  }, [props]);

  return (
    <div className="mchart-canvas" style={{ height: props.height }}>
      <canvas ref={canvas} role="img" aria-label={props.label} />
    </div>
  );
}
