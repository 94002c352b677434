import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openConfigStore } from '../../src/main/store/config-store';
import { resolveHome } from '../../src/main/store/home';

const homes: string[] = [];
const tmpHome = () => {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-cfg-'));
  homes.push(h);
  return h;
};
afterEach(() => homes.splice(0).forEach((h) => fs.rmSync(h, { recursive: true, force: true })));

const server = { id: 'nas', name: 'nas', kind: 'physical', address: '127.0.0.1', ports: [22], createdAt: 1 };

describe('config store', () => {
  it('creates a versioned document with 0600 rights and round-trips', () => {
    const home = tmpHome();
    const store = openConfigStore(home);
    const doc = store.read();
    expect(doc.schemaVersion).toBe(1);
    expect(doc.settings.statusIntervalMs).toBe(30_000);
    store.write({ ...doc, servers: [server as never] });
    expect((fs.statSync(store.path).mode & 0o777).toString(8)).toBe('600');
    expect(openConfigStore(home).read().servers[0]?.name).toBe('nas');
  });

  it('keeps an unreadable file aside instead of overwriting it', () => {
    const home = tmpHome();
    fs.writeFileSync(path.join(home, 'config.json'), '{"schemaVersion": 1, "servers": [ {oops');
    const store = openConfigStore(home, { now: () => Date.UTC(2026, 10, 25) });
    expect(store.recovery?.reason).toMatch(/JSON/);
    expect(fs.readFileSync(store.recovery!.backupPath, 'utf8')).toContain('{oops');
    expect(store.read().servers).toEqual([]);
  });

  it('keeps aside a document that parses but breaks the schema, naming the field', () => {
    const home = tmpHome();
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ schemaVersion: 1, servers: [{ ...server, ports: ['x'] }] }));
    const store = openConfigStore(home);
    expect(store.recovery?.reason).toMatch(/servers\.0\.ports\.0/);
    expect(fs.existsSync(store.recovery!.backupPath)).toBe(true);
  });

  it('refuses a file written by a newer Rackdeck without destroying it', () => {
    const home = tmpHome();
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ schemaVersion: 99, servers: [] }));
    const store = openConfigStore(home);
    expect(store.recovery?.reason).toMatch(/newer Rackdeck/);
    expect(JSON.parse(fs.readFileSync(store.recovery!.backupPath, 'utf8')).schemaVersion).toBe(99);
  });

  it('migrates a pre-versioned document', () => {
    const home = tmpHome();
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ servers: [server] }));
    const store = openConfigStore(home);
    expect(store.recovery).toBeUndefined();
    expect(store.read().servers[0]?.id).toBe('nas');
    expect(JSON.parse(fs.readFileSync(store.path, 'utf8')).schemaVersion).toBe(1);
  });

  it('refuses to write an invalid document and keeps the file as it was', () => {
    const home = tmpHome();
    const store = openConfigStore(home);
    const before = fs.readFileSync(store.path, 'utf8');
    expect(() => store.write({ ...store.read(), servers: [{ ...server, address: 'rm -rf /' } as never] })).toThrow();
    expect(fs.readFileSync(store.path, 'utf8')).toBe(before);
  });
});

describe('resolveHome', () => {
  it('prefers --home, then RACKDECK_HOME, then the OS folder', () => {
    expect(resolveHome({ flag: '/x', env: { RACKDECK_HOME: '/y' } })).toBe('/x');
    expect(resolveHome({ env: { RACKDECK_HOME: '/y' } })).toBe('/y');
    expect(resolveHome({ env: {}, platform: 'linux', homedir: '/home/a' })).toBe('/home/a/.config/rackdeck');
    expect(resolveHome({ env: { XDG_CONFIG_HOME: '/cfg' }, platform: 'linux', homedir: '/home/a' })).toBe('/cfg/rackdeck');
    expect(resolveHome({ env: {}, platform: 'darwin', homedir: '/Users/a' })).toBe('/Users/a/Library/Application Support/Rackdeck');
    expect(resolveHome({ env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, platform: 'win32', homedir: 'C:\\Users\\a' })).toMatch(/Rackdeck$/);
  });
});
