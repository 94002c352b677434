import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/shared/contract';
import type { HealthView } from '../../src/shared/contract/agents';
import { RackdeckError } from '../../src/shared/ipc';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { runCliIn } from '../cli/run';
import { FakeClock } from '../../src/main/base/clock';
import { localTransport } from '../../src/main/ipc/local-transport';
import { silentLogger } from '../../src/main/base/logger';
import { postReport, request, validReport } from './helpers';

/** Waits (bounded) for something a real socket does in its own time. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let home: string;
let app: RackdeckApp;
let clock: FakeClock;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-agents-app-'));
  clock = new FakeClock();
  app = createApp({ home, face: 'cli', clock, log: silentLogger, probe: async (_a, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), true])) }) });
});
afterEach(async () => {
  await app.agents.close();
  await app.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

const client = () => createClient(localTransport(app, 'cli'));

async function expectError(p: Promise<unknown>, code: string, message: RegExp, field?: string) {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RackdeckError);
  const e = error as RackdeckError;
  expect(e.code).toBe(code);
  expect(e.message).toMatch(message);
  if (field) expect(Object.keys(e.fields ?? {})).toContain(field);
}

describe('agents.* channels', () => {
  it('creates a key once, lists keys without it, and revokes it', async () => {
    const c = client();
    await c.servers.add({ name: 'vm1', address: '127.0.0.1' });
    const created = await c.agents.createKey({ serverId: 'vm1', label: 'by hand' });
    expect(created.config).toContain(`KEY=${created.key}`);
    expect(created.config).toMatch(/^URL=http:\/\/127\.0\.0\.1:7374$/m);
    const list = await c.agents.listKeys({});
    expect(list).toEqual([{ id: created.info.id, serverId: 'vm1', label: 'by hand', createdAt: clock.now() }]);
    expect(JSON.stringify(list)).not.toContain(created.key.slice('rdk_'.length + 17));
    expect((await c.agents.health({ id: 'vm1' })).hasAgentKey).toBe(true);
    expect(await c.agents.revokeKey({ keyId: created.info.id })).toEqual({ revoked: [created.info.id] });
    expect((await c.agents.health({ id: 'vm1' })).hasAgentKey).toBe(false);
  });

  it('validates every input and names the field', async () => {
    const c = client();
    await c.servers.add({ name: 'vm1', address: '127.0.0.1' });
    await expectError(c.agents.setWatch({ id: 'vm1', maxAttempts: 99 }), 'bad_request', /maxAttempts: at most 10/, 'maxAttempts');
    await expectError(c.agents.setWatch({ id: 'vm1', staleMinutes: 0 }), 'bad_request', /staleMinutes/, 'staleMinutes');
    await expectError(c.agents.reset({ id: 'vm1', reason: ' ' }), 'bad_request', /reason is at least 3 characters/, 'reason');
    await expectError(c.agents.enableReceiver({ port: 70000 }), 'bad_request', /port/, 'port');
    await expectError(c.agents.enableReceiver({ port: 7374, host: 'a;b' }), 'bad_request', /host/, 'host');
    await expectError(c.agents.enableReceiver({ port: 7374, publicUrl: 'http://x/$(id)' }), 'bad_request', /publicUrl/, 'publicUrl');
    await expectError(c.agents.revokeKey({}), 'bad_request', /either keyId or serverId/);
    await expectError(c.agents.createKey({ serverId: 'nope' }), 'not_found', /Server "nope" was not found/);
    expect(fs.existsSync(path.join(home, 'agents.json'))).toBe(false);
    expect(fs.existsSync(path.join(home, 'health.json'))).toBe(false);
  });

  it('says clearly when Proxmox is not connected for a server', async () => {
    const c = client();
    await c.servers.add({ name: 'vm1', address: '127.0.0.1' });
    await expectError(c.agents.reset({ id: 'vm1', reason: 'hung' }), 'failed', /Proxmox is not connected for this server/);
    await expectError(c.agents.setWatch({ id: 'vm1', autoReset: true }), 'failed', /Proxmox is not connected for vm1/);
    await expectError(c.agents.install({ id: 'vm1' }), 'failed', /vm1 has no SSH settings/);
    expect(await c.agents.resets({ id: 'vm1' })).toEqual([]);
  });

  it('binds the receiver only while the engine runs, and reports reach the renderer as events', async () => {
    const c = client();
    await c.servers.add({ name: 'vm1', address: '127.0.0.1' });
    const port = await freePort();
    const enabled = await c.agents.enableReceiver({ port, host: '127.0.0.1' });
    expect(enabled).toMatchObject({ enabled: true, listening: false, url: `http://127.0.0.1:${port}` });
    const { key } = await c.agents.createKey({ serverId: 'vm1' });
    const events: HealthView[] = [];
    c.on('health.changed', (v) => events.push(v));

    app.engine.start();
    await until(async () => (await c.agents.receiverStatus({})).listening, 'the receiver to bind');
    expect((await postReport(`http://127.0.0.1:${port}`, key, validReport())).status).toBe(200);
    expect(events.at(-1)).toMatchObject({ serverId: 'vm1', state: 'healthy' });
    expect((await c.agents.healthAll({})).find((h) => h.serverId === 'vm1')?.figures?.hostname).toBe('web-01');

    app.engine.stop();
    expect((await c.agents.receiverStatus({})).listening).toBe(false);
    await until(() => request(`http://127.0.0.1:${port}/api/health/ping`).then(() => false, (e: Error) => /ECONNREFUSED/.test(e.message)), 'the receiver to close');
  });

  it('resets through the wired Proxmox control, records it, and keeps hands off a shutdown', async () => {
    const calls: string[] = [];
    // This app's guest control is a fake Proxmox, handed in at composition as the real one is.
    await app.stop();
    app = createApp({
      home,
      face: 'cli',
      clock,
      log: silentLogger,
      probe: async (_a, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), true])) }),
      health: {
        guests: {
          power: async () => ({ status: 'running' }),
          reset: async (id, reason) => {
            calls.push(`${id}: ${reason}`);
            return { ok: true, taskStatus: 'OK', upid: 'UPID:pve1:1' };
          },
          identify: () => ({ vmid: 101, node: 'pve1' }),
        },
      },
    });
    const c = client();
    await c.servers.add({ name: 'vm1', address: '127.0.0.1' });
    const manual = await c.agents.reset({ id: 'vm1', reason: 'console frozen' });
    expect(manual).toMatchObject({ source: 'manual', ok: true, taskStatus: 'OK', upid: 'UPID:pve1:1' });
    expect(calls).toEqual(['vm1: console frozen']);
    expect(await c.agents.resets({ id: 'vm1' })).toEqual([manual]);
    const watch = await c.agents.setWatch({ id: 'vm1', autoReset: true, staleMinutes: 2, cooldownMinutes: 3 });
    expect(watch.options).toMatchObject({ autoReset: true, staleMs: 120_000, cooldownMs: 180_000, maxAttempts: 3 });
    // The key's config names the guest.
    expect((await c.agents.createKey({ serverId: 'vm1' })).config).toMatch(/^VMID=101$/m);

    // A shutdown the admin started (a power-down transition on the card) holds the watchdog.
    const svc = app.agents;
    const view = app.engine.view('vm1');
    if (!view) throw new Error('no view');
    app.engine.events.emit('servers.patch', { seq: 99, upsert: [{ ...view, power: 'stopping' }], remove: [] });
    svc.monitor.report('vm1', { hostname: 'vm1', cpuPercent: 1, memUsedBytes: 1, memTotalBytes: 2, diskUsedBytes: 1, diskTotalBytes: 2, uptimeSeconds: 1, timestamp: 1 });
    svc.start();
    await svc.enableReceiver({ host: '127.0.0.1', port: 0 }); // listening: the watchdog judges only then
    await clock.advance(10 * 60_000);
    await svc.monitor.idle();
    expect(calls).toHaveLength(1);
    expect((await c.agents.health({ id: 'vm1' })).state).toBe('down');
  });

  it('forgets a removed server: its keys stop working', async () => {
    const c = client();
    await c.servers.add({ name: 'vm1', address: '127.0.0.1' });
    const { key } = await c.agents.createKey({ serverId: 'vm1' });
    await c.servers.remove({ id: 'vm1' });
    await clock.advance(1000); // the patch goes out
    expect(app.agents.keys.verify(key)).toMatchObject({ ok: false, reason: 'revoked' });
  });
});

describe('rackdeck agent / resets (CLI)', () => {
  let cliHome: string;
  beforeEach(() => {
    cliHome = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-agents-cli-'));
  });
  afterEach(() => fs.rmSync(cliHome, { recursive: true, force: true }));

  async function cli(...argv: string[]) {
    return runCliIn(cliHome, argv);
  }

  it('creates, lists and revokes keys; the key is printed once', async () => {
    expect((await cli('add', 'vm1', '--address', '127.0.0.1')).code).toBe(0);
    const created = await cli('agent', 'key', 'create', 'vm1');
    expect(created.code).toBe(0);
    const key = /rdk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(created.out)?.[0] ?? '';
    expect(created.out).toContain('It is shown this once');
    expect(created.out).toContain(`KEY=${key}`);
    const list = await cli('agent', 'key', 'list', '--json');
    expect(list.out).not.toContain(key);
    expect(JSON.parse(list.out)).toHaveLength(1);
    expect((await cli('agent', 'key', 'list')).out).toMatch(/KEY ID\s+SERVER.*\n[0-9a-f]{16}\s+vm1.*active/);
    expect((await cli('agent', 'key', 'revoke', 'vm1')).out).toMatch(/Revoked 1 key/);
    expect((await cli('agent', 'key', 'revoke', 'vm1')).out).toBe('No active key to revoke.');
  });

  it('enables, shows and disables the receiver', async () => {
    const on = await cli('agent', 'receiver', 'enable', '--port', '7399', '--host', '127.0.0.1', '--public-url', 'http://127.0.0.2:7399');
    expect(on.code).toBe(0);
    expect(on.out).toMatch(/on, 127\.0\.0\.1:7399 \(binds when Rackdeck runs/);
    expect(on.out).toContain('agents report to http://127.0.0.2:7399');
    expect(JSON.parse((await cli('agent', 'receiver', 'status', '--json')).out)).toMatchObject({ enabled: true, port: 7399, listening: false });
    expect((await cli('agent', 'receiver', 'disable')).out).toMatch(/Agent receiver: off/);
    expect((await cli('agent', 'receiver', 'enable')).code).toBe(2);
  });

  it('shows health and resets, and refuses what is unsafe or unwired', async () => {
    await cli('add', 'vm1', '--address', '127.0.0.1');
    expect((await cli('resets', 'vm1', '--json')).out).toBe('[]');
    expect((await cli('resets', 'vm1')).out).toBe('No resets of vm1 recorded.');
    const status = await cli('agent', 'status', 'vm1');
    expect(status.out).toMatch(/vm1: No agent/);
    expect(status.out).toMatch(/auto-reset\s+off: 3 resets per 60 min, cool-down 10 min, stale after 5 min/);
    const noYes = await cli('agent', 'reset', 'vm1', '--reason', 'frozen');
    expect(noYes.code).toBe(2);
    expect(noYes.err).toMatch(/add --yes to confirm/);
    const unwired = await cli('agent', 'reset', 'vm1', '--reason', 'frozen', '--yes');
    expect(unwired.code).toBe(1);
    expect(unwired.err).toMatch(/Proxmox is not connected/);
    expect((await cli('agent', 'watch', 'vm1', '--auto-reset', 'maybe')).code).toBe(2);
    expect((await cli('agent', 'watch', 'vm1', '--stale', '10')).out).toMatch(/stale after 10 min/);
    expect((await cli('agent', 'install', 'vm1')).err).toMatch(/vm1 has no SSH settings/);
    expect((await cli('agent', 'bogus')).code).toBe(2);
  });
});
