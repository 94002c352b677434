import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

const boundsSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() });
const stateSchema = z.object({ bounds: boundsSchema, maximized: z.boolean().default(false) });

export const MIN_SIZE = { width: 720, height: 480 };
/** How much of the window must be on a screen for it to be found again. */
const VISIBLE = 64;

const overlap = (a: Bounds, b: Bounds) =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) >= VISIBLE && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) >= VISIBLE;

/**
 * Where to reopen the window: the saved bounds if they still land on a screen (a monitor may
 * have been unplugged since), shrunk to fit it; otherwise nothing, and the OS centres it.
 */
export function placeWindow(saved: unknown, workAreas: readonly Bounds[]): WindowState | undefined {
  const parsed = stateSchema.safeParse(saved);
  if (!parsed.success) return undefined;
  const { bounds, maximized } = parsed.data;
  const area = workAreas.find((a) => overlap(bounds, a));
  if (!area) return undefined;
  const width = Math.max(MIN_SIZE.width, Math.min(bounds.width, area.width));
  const height = Math.max(MIN_SIZE.height, Math.min(bounds.height, area.height));
  const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - height);
  return { bounds: { x, y, width, height }, maximized };
}

export function windowStateFile(home: string): string {
  return path.join(home, 'window-state.json');
}

export function readWindowState(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Temp file + rename: a crash mid-write leaves the old bounds, not half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
}
