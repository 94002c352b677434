import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type RackdeckClient } from '../../src/shared/contract';
import { FakeClock } from '../../src/main/base/clock';
import { createApp, type AppOptions } from '../../src/main/root/app';
import { silentLogger } from '../../src/main/base/logger';
import { memorySecrets } from '../../src/main/proxmox/io/cluster-secrets';
import type { Prober } from '../../src/main/drivers/probe';

/**
 * An engine on a temporary home with a fake clock, the typed client over its router (the same
 * path the UI takes), and an in-memory secrets store for cluster secrets.
 */
export function openEngine(options: { probe?: Prober; power?: AppOptions['power']; proxmox?: AppOptions['proxmox']; home?: string } = {}) {
  const home = options.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-px-'));
  const clock = new FakeClock(Date.now());
  const secrets = memorySecrets();
  const probe: Prober = options.probe ?? (async (_a, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), false])), error: 'closed' }));
  const app = createApp({
    home,
    face: 'cli',
    clock,
    log: silentLogger,
    probe,
    power: { fastPollMs: 200, ...options.power },
    proxmox: { secrets, taskPollMs: 200, ...options.proxmox },
  });
  const { engine, router } = app;
  const client: RackdeckClient = createClient({
    invoke: (channel, input) => router.handle(channel, input, { face: 'test' }),
    on: (event, listener) => engine.events.on(event as never, listener as never),
  });
  return {
    engine,
    power: app.power,
    proxmox: app.proxmox,
    monitoring: app.monitoring,
    client,
    clock,
    home,
    secrets,
    close() {
      engine.stop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Waits for a promise whose progress needs both real I/O (the lab over HTTPS) and fake time
 * (task polls, fast polls): moves the fake clock in steps and lets I/O run between them.
 */
export async function pump<T>(clock: FakeClock, p: Promise<T>, stepMs = 250, maxSteps = 4000): Promise<T> {
  let settled = false;
  let value: T | undefined;
  let failure: unknown;
  p.then(
    (v) => {
      settled = true;
      value = v;
    },
    (e: unknown) => {
      settled = true;
      failure = e;
    },
  );
  for (let i = 0; i < maxSteps && !settled; i++) {
    await clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 2));
  }
  if (!settled) throw new Error('did not settle');
  if (failure !== undefined) throw failure;
  return value as T;
}
