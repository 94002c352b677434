import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type RackdeckClient } from '../../src/shared/contract';
import type { Notice, ServersPatch } from '../../src/shared/events';
import { silentLogger } from '../../src/main/base/logger';
import { localTransport } from '../../src/main/ipc/local-transport';
import { createApp, type RackdeckApp } from '../../src/main/root/app';

export const CONFIG = 'config.json';

/** A server entry as an admin would type it into config.json. */
export const entry = (name: string, extra: Record<string, unknown> = {}) => ({ id: name, name, kind: 'physical', address: '127.0.0.1', ports: [22], createdAt: 1, ...extra });

export function writeConfig(home: string, doc: unknown): void {
  fs.writeFileSync(path.join(home, CONFIG), typeof doc === 'string' ? doc : `${JSON.stringify(doc, null, 2)}\n`);
}

export function readConfig(home: string): { servers: { id: string; name: string }[]; settings: Record<string, unknown> } {
  return JSON.parse(fs.readFileSync(path.join(home, CONFIG), 'utf8')) as ReturnType<typeof readConfig>;
}

/**
 * A running engine (real clock, so the folder watch and the patch window run as in a face) on a
 * fresh home, with every host silent: no sockets are opened. Records the notices and patches
 * every face would get.
 */
export function runningEngine(seed?: unknown): { app: RackdeckApp; client: RackdeckClient; home: string; notices: Notice[]; patches: ServersPatch[]; close(): Promise<void> } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-config-'));
  if (seed !== undefined) writeConfig(home, seed);
  const app = createApp({ home, face: 'web', log: silentLogger, probe: async (_a, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), false])), error: 'refused' }) });
  const notices: Notice[] = [];
  const patches: ServersPatch[] = [];
  app.engine.events.on('notice', (n) => notices.push(n));
  app.engine.events.on('servers.patch', (p) => patches.push(p));
  app.engine.start();
  const transport = localTransport(app, 'test');
  return {
    app,
    client: createClient(transport),
    home,
    notices,
    patches,
    async close() {
      transport.close();
      await app.stop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Waits on a condition (the folder watch and the patch window run on real time), never on a fixed sleep. */
export const UNTIL = { timeout: 10_000, interval: 20 };
