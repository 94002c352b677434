/**
 * Throwaway homes for benchmarks: a config.json written before the engine opens it (adding a
 * thousand servers one by one would measure the config store, not what the bench is about).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerInput } from '../../src/shared/server';
import type { SettingsInput } from '../../src/shared/settings';

export type BenchServer = ServerInput & { id: string };

export function makeHome(seed: { servers?: BenchServer[]; settings?: SettingsInput } = {}): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-bench-'));
  const doc = { schemaVersion: 1, servers: (seed.servers ?? []).map((s) => ({ createdAt: Date.now(), ...s })), settings: seed.settings ?? {} };
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(doc));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Stops the process if a bench hangs: benchmarks stop by themselves. */
export function watchdog(ms: number, label: string): () => void {
  const timer = setTimeout(() => {
    console.error(`${label}: gave up after ${Math.round(ms / 1000)} s`);
    process.exit(2);
  }, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

export const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const fmtMs = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
