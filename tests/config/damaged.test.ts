import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/base/logger';
import { createApp } from '../../src/main/root/app';
import { CONFIG, entry, readConfig, runningEngine } from './helpers';

/**
 * Issue 13, damaged files: a config.json with one bad field loads every server it can and sets
 * only the bad one aside, with its reason, kept beside the file and reported in every face. A
 * file that is not JSON, or whose top level is wrong, is still set aside whole.
 */

let env: ReturnType<typeof runningEngine> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('a damaged config.json at start', () => {
  it('one server with port 99999: every other server loads; the engine names the bad one and why; the contract lists it', async () => {
    const bad = entry('nas2', { ports: [22, 99999], notes: 'the admin’s words' });
    env = runningEngine({ schemaVersion: 1, servers: [entry('nas'), bad, entry('pve', { kind: 'proxmox-node' }), entry('vm', { parentId: 'gone' })] });
    const e = env;
    expect(e.app.engine.snapshot().servers.map((s) => [s.id, s.parentId])).toEqual([
      ['nas', undefined],
      ['pve', undefined],
      ['vm', undefined],
    ]);
    expect(e.notices.map((n) => [n.level, n.title])).toEqual([['error', 'A server in config.json could not be loaded']]);
    expect(e.notices[0]?.body).toMatch(/^"nas2": ports\.1: a port is a whole number from 1 to 65535; "vm": parentId: no server "gone" was loaded; loaded without a parent\. The entries are kept as written in .*config\.json\.rejected-[^ ]+\.json; every other server is loaded\.$/);

    const { servers: rejected } = await e.client.servers.rejected({});
    expect(rejected.map((r) => [r.name, r.outcome, r.reason])).toEqual([
      ['nas2', 'set-aside', 'ports.1: a port is a whole number from 1 to 65535'],
      ['vm', 'loaded-without-parent', 'parentId: no server "gone" was loaded; loaded without a parent'],
    ]);
    const sidecar = JSON.parse(fs.readFileSync(rejected[0]!.keptIn, 'utf8')) as { servers: { entry: unknown }[] };
    expect(sidecar.servers[0]?.entry).toEqual(bad);
    expect(readConfig(e.home).servers.map((s) => s.id)).toEqual(['nas', 'pve', 'vm']);

    // A later run (a CLI command, a restart) loads a clean file and says nothing new, but can still list what is kept aside.
    const later = createApp({ home: e.home, face: 'cli', log: silentLogger });
    try {
      expect(later.engine.servers().map((s) => s.id)).toEqual(['nas', 'pve', 'vm']);
      expect(later.engine.rejected()).toEqual(rejected);
    } finally {
      await later.stop();
    }
  });

  it('a file that is not JSON is still kept aside whole, and the engine says where', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-config-'));
    fs.writeFileSync(path.join(home, CONFIG), '{ "schemaVersion": 1, "servers": [ nope ] }');
    const app = createApp({ home, face: 'cli', log: silentLogger });
    try {
      const notices: string[] = [];
      app.engine.events.on('notice', (n) => notices.push(`${n.title}: ${n.body}`));
      app.engine.start();
      expect(notices).toEqual([expect.stringMatching(/^Your config file could not be read: It was kept as .*config\.json\.unreadable-.* \(not JSON/)]);
      expect(app.engine.servers()).toEqual([]);
      expect(fs.readdirSync(home).filter((n) => n.includes('.unreadable-'))).toHaveLength(1);
    } finally {
      await app.stop();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
