import { memo, useEffect, useRef } from 'react';

export interface SparklineProps {
  /** [time, value] oldest first; null breaks the line. */
  points: ReadonlyArray<readonly [number, number | null]>;
  from: number;
  to: number;
  max?: number;
  width?: number;
  height?: number;
  /** A CSS colour or variable the line takes (default: the accent). */
  color?: string;
  label: string;
}

/**
 * A tiny line on a canvas, drawn by hand: hundreds of cards each with a chart.js instance would
 * cost far more than the line is worth. Colours come from the element's CSS, so it follows the
 * theme; it redraws only when its points change.
 */
export const Sparkline = memo(function Sparkline({ points, from, to, max = 100, width = 84, height = 22, color, label }: SparklineProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const stroke = getComputedStyle(canvas).color;
    const x = (t: number) => ((t - from) / Math.max(1, to - from)) * (width - 2) + 1;
    const y = (v: number) => height - 2 - (Math.min(max, Math.max(0, v)) / max) * (height - 4);
    // Runs of points between gaps, each drawn as one filled line.
    const runs: Array<Array<[number, number]>> = [];
    let run: Array<[number, number]> = [];
    for (const [t, v] of points) {
      if (t < from) continue;
      if (v === null) {
        if (run.length) runs.push(run);
        run = [];
      } else run.push([x(t), y(v)]);
    }
    if (run.length) runs.push(run);
    ctx.lineWidth = 1.4;
    ctx.lineJoin = 'round';
    ctx.strokeStyle = stroke;
    for (const r of runs) {
      const first = r[0] as [number, number];
      const last = r[r.length - 1] as [number, number];
      ctx.beginPath();
      ctx.moveTo(first[0], first[1]);
      for (const [px, py] of r.slice(1)) ctx.lineTo(px, py);
      if (r.length === 1) ctx.lineTo(first[0] + 1.5, first[1]);
      ctx.stroke();
      ctx.lineTo(last[0], height);
      ctx.lineTo(first[0], height);
      ctx.closePath();
      ctx.globalAlpha = 0.16;
      ctx.fillStyle = stroke;
      ctx.fill();
      ctx.globalAlpha = 1;
    }
  }, [points, from, to, max, width, height]);
  return <canvas ref={ref} className="sparkline" style={{ width, height, ...(color ? { color } : {}) }} role="img" aria-label={label} />;
});
