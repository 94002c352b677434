import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import type { Prober } from '../../src/main/drivers/probe';

/** An app on a temporary home with a fake clock and a scripted prober: no sockets, no waiting. */
export function openTestApp(options: { probe?: Prober; home?: string; synRetriesMs?: readonly number[] } = {}) {
  const home = options.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-test-'));
  const clock = new FakeClock();
  const up = new Set<string>();
  const probe: Prober =
    options.probe ??
    (async (address, ports) => ({
      openPorts: Object.fromEntries(ports.map((p) => [String(p), up.has(`${address}:${p}`)])),
      ...(ports.some((p) => up.has(`${address}:${p}`)) ? {} : { error: 'connection refused' }),
    }));
  const app: RackdeckApp = createApp({ home, face: 'cli', clock, log: silentLogger, probe, ...(options.synRetriesMs ? { synRetriesMs: options.synRetriesMs } : {}) });
  return {
    app,
    clock,
    home,
    /** Makes the scripted prober see `address:port` open or closed. */
    setUp(address: string, port: number, isUp: boolean) {
      if (isUp) up.add(`${address}:${port}`);
      else up.delete(`${address}:${port}`);
    },
    cleanup() {
      void app.stop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
