import { useSyncExternalStore } from 'react';

/**
 * The charts' colours, read from the CSS variables of the current theme (metrics.css), so the
 * canvas follows light and dark like the rest of the page. Changes of the OS theme notify.
 */
export interface ChartTheme {
  dark: boolean;
  text: string;
  muted: string;
  grid: string;
  surface: string;
  cpu: string;
  memory: string;
  disk: string;
  netIn: string;
  netOut: string;
  down: string;
  font: string;
}

const media = typeof window !== 'undefined' ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;
let cached: ChartTheme | undefined;
const listeners = new Set<() => void>();

function read(): ChartTheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    dark: media?.matches ?? false,
    text: v('--text-2', '#3b4656'),
    muted: v('--muted', '#677386'),
    grid: v('--chart-grid', 'rgba(120,130,150,0.18)'),
    surface: v('--surface', '#ffffff'),
    cpu: v('--chart-cpu', '#2f6bff'),
    memory: v('--chart-memory', '#8b5cf6'),
    disk: v('--chart-disk', '#0f9d8a'),
    netIn: v('--chart-net-in', '#0ea5e9'),
    netOut: v('--chart-net-out', '#f59e0b'),
    down: v('--chart-down', 'rgba(217,48,54,0.07)'),
    font: v('--font', 'system-ui, sans-serif'),
  };
}

const onChange = () => {
  cached = undefined;
  listeners.forEach((l) => l());
};

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) media?.addEventListener('change', onChange);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) media?.removeEventListener('change', onChange);
  };
}

export function chartTheme(): ChartTheme {
  cached ??= read();
  return cached;
}

export function useChartTheme(): ChartTheme {
  return useSyncExternalStore(subscribe, chartTheme);
}

/** `#rrggbb` or `rgb(…)` at an alpha, for fills under a line. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const n = parseInt(hex[1] as string, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return color;
}
