/**
 * A standalone CLI command's engine, and an engine that owns its home (root/stepped.ts): the core at once, every other
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
import { createSteppedApp, type EngineApp } from '../../src/main/root/stepped';
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

function standalone(home: string): EngineApp {
  const app = createSteppedApp({ home, face: 'cli', clock: new FakeClock(T0), log: silentLogger, probe });
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
    const { files } = reach(path.join(ROOT, 'src/main/root/stepped.ts'));
    const rel = [...files].map((f) => path.relative(ROOT, f));
    expect(rel).toContain('src/main/root/core.ts');
    expect(rel).toContain('src/main/inventory/engine.ts');
    for (const capability of ['root/capabilities.ts', 'root/handlers.ts', 'monitoring/service.ts', 'checks/service.ts', 'automation/service.ts', 'integrations/service.ts', 'consoles/manager.ts', 'health/service.ts', 'scan/service.ts', 'wake-proxy/service.ts', 'store/history']) {
      expect(rel.filter((f) => f.startsWith(`src/main/${capability}`))).toEqual([]);
    }
  });
});

describe('an engine that owns its home, composed in two steps', () => {
  it('answers its first screen with the core; a call that needs more waits for the rest, composed on the running engine, which then misses nothing of what happened before', async () => {
    const home = makeHome({ servers: SERVERS });
    const app = standalone(home);
    app.start();
    const swept = await call<{ servers: ServerView[] }>(app.router, 'servers.sweep');
    expect(swept.servers.map((s) => [s.id, s.power])).toEqual([
      ['nas', 'on'],
      ['pi', 'off'],
    ]);
    expect(app.complete()).toBe(false);
    // Asked before anything composed the rest: it waits for it rather than failing.
    const uptime = call<{ changes: { state: string }[] }>(app.router, 'metrics.uptime', { id: 'nas' });
    const services = await app.capabilities();
    expect(app.complete()).toBe(true);
    expect(await app.capabilities()).toBe(services);
    // The monitoring started as it attached to the running engine, and recorded where nas stood.
    expect((await uptime).changes.map((c) => c.state)).toContain('on');
    expect(await call(app.router, 'alertPolicy.get')).toEqual(await call(whole(makeHome({ servers: SERVERS })).router, 'alertPolicy.get'));
  });

  it('refuses the calls that need the rest when it cannot be composed, and still answers and stops with the core', async () => {
    const monitoring = {
      get history(): never {
        throw new Error('the history folder is not writable');
      },
    };
    const app = createSteppedApp({ home: makeHome({ servers: SERVERS }), face: 'cli', clock: new FakeClock(T0), log: silentLogger, probe, monitoring });
    apps.push(app);
    app.start();
    const refused = await app.router.handle('alertPolicy.get', {}, { face: 'web' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain('the history folder is not writable');
    // A tab closing then must not turn the failed composition into an unhandled rejection.
    app.connectionClosed('web:tab');
    expect((await call<{ servers: ServerView[] }>(app.router, 'servers.snapshot')).servers).toHaveLength(2);
    await apps.pop()!.stop();
  });

  it('stops cleanly while its capabilities are still being composed', async () => {
    const app = standalone(makeHome({ servers: SERVERS }));
    app.start();
    const composing = app.capabilities();
    await apps.pop()!.stop();
    await composing;
    expect(app.complete()).toBe(true);
    expect(app.info.running).toBe(false);
  });
});

