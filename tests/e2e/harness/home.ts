import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerInput } from '../../../src/shared/server';
import type { SettingsInput } from '../../../src/shared/settings';
import type { Cleanup } from './cleanup';

export type SeedServer = ServerInput & { id: string; createdAt?: number };

/** Settings that make the status loop quick enough for a test to watch a state change. */
export const FAST_SETTINGS: SettingsInput = { statusIntervalMs: 1000, probeTimeoutMs: 500 };

/**
 * A throwaway RACKDECK_HOME with a config.json written before `serve` starts (the config store
 * accepts any valid document), so a test chooses its inventory and loop speed.
 */
export function makeHome(cleanup: Cleanup, seed: { servers?: SeedServer[]; settings?: SettingsInput } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-e2e-'));
  cleanup.add(`remove ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));
  const doc = {
    schemaVersion: 1,
    servers: (seed.servers ?? []).map((s) => ({ createdAt: Date.now(), ...s })),
    settings: { ...FAST_SETTINGS, ...seed.settings },
  };
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(doc, null, 2));
  return dir;
}

/** The inventory as the engine last saved it. */
export function savedServers(home: string): { id: string; name: string }[] {
  const doc = JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8')) as { servers: { id: string; name: string }[] };
  return doc.servers;
}
