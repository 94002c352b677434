/**
 * A standalone CLI command's engine (root/standalone.ts): the core at once, every other
 * capability on the first request that needs one. It must answer exactly as the whole app does,
 * build nothing more for `rackdeck list`, and build everything before a request that could make
 * the engine forget a server (the capabilities hear that through `engine.onForget`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import type { Prober } from '../../src/main/drivers/probe';
import type { Router } from '../../src/main/ipc/router';
import { createApp } from '../../src/main/root/app';
import { createStandaloneApp, type StandaloneApp } from '../../src/main/root/standalone';
import type { ServerView } from '../../src/shared/server';
import { reach } from './static-imports';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 7, 3, 0);
const probe: Prober = async (address, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), address.endsWith('.1')])) });

const homes: string[] = [];
const apps: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
});

function makeHome(doc: object): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-standalone-'));
  homes.push(home);
  fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ schemaVersion: 1, ...doc }, null, 2));
  return home;
}

const SERVERS = [
  { id: 'nas', name: 'nas', kind: 'physical', address: '127.15.0.1', ports: [22], createdAt: T0 - 60 * MIN },
  { id: 'pi', name: 'pi', kind: 'physical', address: '127.15.0.2', ports: [22], createdAt: T0 - 60 * MIN },
];

async function call<T>(router: Router, channel: string, input: unknown = {}): Promise<T> {
  const r = await router.handle(channel, input, { face: 'cli' });
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function standalone(home: string): StandaloneApp {
  const app = createStandaloneApp({ home, face: 'cli', clock: new FakeClock(T0), log: silentLogger, probe });
  apps.push(app);
  return app;
}

function whole(home: string) {
  const app = createApp({ home, face: 'cli', clock: new FakeClock(T0), log: silentLogger, probe });
  apps.push(app);
  return app;
}

describe('the engine of a standalone CLI command', () => {
  it('answers `rackdeck list` as the whole app does, maintenance on the card included, with the core alone', async () => {
    const home = makeHome({ servers: SERVERS });
    const setup = whole(home);
    await call(setup.router, 'alertPolicy.set', { maintenance: [{ id: 'psu', name: 'PSU swap', target: { serverId: 'nas' }, start: T0 - MIN, end: T0 + 60 * MIN }] });
    const expected = await call<{ servers: ServerView[] }>(setup.router, 'servers.sweep');
    await apps.pop()!.stop();

    const app = standalone(home);
    expect(await call<{ running: boolean }>(app.router, 'app.info')).toMatchObject({ running: false, face: 'cli' });
    expect(await call<{ servers: unknown[] }>(app.router, 'servers.rejected')).toEqual({ servers: [] });
    const swept = await call<{ servers: ServerView[] }>(app.router, 'servers.sweep');
    expect(swept.servers.map((s) => [s.id, s.power, s.maintenanceUntil])).toEqual([
      ['nas', 'on', T0 + 60 * MIN],
      ['pi', 'off', undefined],
    ]);
    expect(swept).toEqual(expected);
    expect(app.complete()).toBe(false);
  });

  it('builds every capability on the first request that needs one, and answers it as the whole app does', async () => {
    const home = makeHome({ servers: SERVERS });
    const app = standalone(home);
    const bad = await app.router.handle('alertPolicy.set', { maintenance: 'always' }, { face: 'cli' });
    expect(bad.ok).toBe(false);
    expect(app.complete()).toBe(false);
    const policy = await call(app.router, 'alertPolicy.get');
    expect(app.complete()).toBe(true);
    expect(policy).toEqual(await call(whole(home).router, 'alertPolicy.get'));
  });

  it('builds every capability before a sweep when a Proxmox cluster may make the engine forget a guest', async () => {
    const home = makeHome({ servers: SERVERS, clusters: [{ name: 'pve', url: 'https://127.0.0.1:9', auth: 'token', tokenId: 'root@pam!rackdeck' }] });
    const app = standalone(home);
    await call(app.router, 'servers.snapshot');
    expect(app.complete()).toBe(false);
    await call(app.router, 'servers.sweep');
    expect(app.complete()).toBe(true);
  });

  it('reaches none of the capabilities beyond the core through static imports: they are chunks of their own', () => {
    const { files } = reach(path.join(ROOT, 'src/main/root/standalone.ts'));
    const rel = [...files].map((f) => path.relative(ROOT, f));
    expect(rel).toContain('src/main/root/core.ts');
    expect(rel).toContain('src/main/inventory/engine.ts');
    for (const capability of ['root/capabilities.ts', 'root/handlers.ts', 'monitoring/service.ts', 'checks/service.ts', 'automation/service.ts', 'integrations/service.ts', 'consoles/manager.ts', 'health/service.ts', 'scan/service.ts', 'wake-proxy/service.ts', 'store/history']) {
      expect(rel.filter((f) => f.startsWith(`src/main/${capability}`))).toEqual([]);
    }
  });
});
