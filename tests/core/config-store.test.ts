import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openConfigStore, type ConfigChange } from '../../src/main/store/config-store';
import { resolveHome } from '../../src/main/store/home';

const homes: string[] = [];
const tmpHome = () => {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-cfg-'));
  homes.push(h);
  return h;
};
afterEach(() => homes.splice(0).forEach((h) => fs.rmSync(h, { recursive: true, force: true })));

const server = { id: 'nas', name: 'nas', kind: 'physical', address: '127.0.0.1', ports: [22], createdAt: 1 };
const configOf = (home: string) => path.join(home, 'config.json');
const writeConfig = (home: string, doc: unknown) => fs.writeFileSync(configOf(home), typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
const addServer = (name: string) => (doc: ReturnType<ReturnType<typeof openConfigStore>['read']>) => ({
  ...doc,
  servers: [...doc.servers, { ...server, id: name, name, createdAt: 2 } as never],
});

describe('config store', () => {
  it('creates a versioned document with 0600 rights and round-trips', () => {
    const home = tmpHome();
    const store = openConfigStore(home);
    const doc = store.read();
    expect(doc.schemaVersion).toBe(1);
    expect(doc.settings.statusIntervalMs).toBe(30_000);
    store.update((d) => ({ ...d, servers: [server as never] }));
    expect((fs.statSync(store.path).mode & 0o777).toString(8)).toBe('600');
    expect(openConfigStore(home).read().servers[0]?.name).toBe('nas');
    expect(fs.existsSync(`${store.path}.lock`)).toBe(false);
  });

  it('keeps an unreadable file aside instead of overwriting it', () => {
    const home = tmpHome();
    writeConfig(home, '{"schemaVersion": 1, "servers": [ {oops');
    const store = openConfigStore(home, { now: () => Date.UTC(2026, 10, 25) });
    expect(store.recovery?.reason).toMatch(/JSON/);
    expect(fs.readFileSync(store.recovery!.backupPath, 'utf8')).toContain('{oops');
    expect(store.read().servers).toEqual([]);
  });

  it('keeps the whole file aside when its top level is wrong, naming the field', () => {
    const home = tmpHome();
    writeConfig(home, { schemaVersion: 1, servers: [server], settings: { statusIntervalMs: 'often' } });
    const store = openConfigStore(home);
    expect(store.recovery?.reason).toMatch(/settings\.statusIntervalMs/);
    expect(fs.existsSync(store.recovery!.backupPath)).toBe(true);
    writeConfig(home, { schemaVersion: 1, servers: { nas: server } });
    expect(openConfigStore(home).recovery?.reason).toMatch(/servers: expected a list/);
  });

  it('sets aside only the server with a bad field, keeps it beside the file, and loads the others', () => {
    const home = tmpHome();
    const bad = { ...server, id: 'nas2', name: 'nas2', ports: [99999] };
    writeConfig(home, { schemaVersion: 1, servers: [server, bad, { ...server, id: 'pve', name: 'pve' }] });
    const store = openConfigStore(home, { now: () => Date.UTC(2026, 10, 25) });
    expect(store.recovery).toBeUndefined();
    expect(store.read().servers.map((s) => s.id)).toEqual(['nas', 'pve']);
    expect(store.setAsideAtOpen).toEqual([
      { index: 1, id: 'nas2', name: 'nas2', reason: 'ports.0: a port is a whole number from 1 to 65535', outcome: 'set-aside', keptIn: expect.stringMatching(/config\.json\.rejected-2026-11-25T00-00-00-000Z\.json$/), at: Date.UTC(2026, 10, 25) },
    ]);
    // The entry is kept exactly as written; config.json no longer holds it; every face can list it.
    const kept = JSON.parse(fs.readFileSync(store.setAsideAtOpen[0]!.keptIn, 'utf8')) as { servers: { entry: unknown }[] };
    expect(kept.servers[0]?.entry).toEqual(bad);
    expect((JSON.parse(fs.readFileSync(store.path, 'utf8')) as { servers: { id: string }[] }).servers.map((s) => s.id)).toEqual(['nas', 'pve']);
    expect(openConfigStore(home).rejected()).toEqual(store.setAsideAtOpen);
  });

  it('sets aside a repeated id or name, and loads a server whose parent is missing or loops without the link', () => {
    const home = tmpHome();
    writeConfig(home, {
      schemaVersion: 1,
      servers: [
        server,
        { ...server, name: 'other' }, // id "nas" again
        { ...server, id: 'nas-b', name: 'NAS' }, // name again, in another case
        { ...server, id: 'vm', name: 'vm', parentId: 'ghost' },
        { ...server, id: 'a', name: 'a', parentId: 'b' },
        { ...server, id: 'b', name: 'b', parentId: 'a' },
        'not a server',
      ],
    });
    const store = openConfigStore(home);
    expect(store.read().servers.map((s) => [s.id, s.parentId])).toEqual([
      ['nas', undefined],
      ['vm', undefined],
      ['a', undefined],
      ['b', 'a'],
    ]);
    expect(store.setAsideAtOpen.map((s) => [s.index, s.outcome, s.reason])).toEqual([
      [1, 'set-aside', 'id: "nas" is already used by an earlier server'],
      [2, 'set-aside', 'name: "NAS" is already used by an earlier server'],
      [3, 'loaded-without-parent', 'parentId: no server "ghost" was loaded; loaded without a parent'],
      [4, 'loaded-without-parent', 'parentId: "b" leads back to this server; loaded without a parent'],
      [6, 'set-aside', expect.stringMatching(/^document: /)],
    ]);
  });

  it('refuses a file written by a newer Rackdeck without destroying it', () => {
    const home = tmpHome();
    writeConfig(home, { schemaVersion: 99, servers: [] });
    const store = openConfigStore(home);
    expect(store.recovery?.reason).toMatch(/newer Rackdeck/);
    expect(JSON.parse(fs.readFileSync(store.recovery!.backupPath, 'utf8')).schemaVersion).toBe(99);
  });

  it('migrates a pre-versioned document', () => {
    const home = tmpHome();
    writeConfig(home, { servers: [server] });
    const store = openConfigStore(home);
    expect(store.recovery).toBeUndefined();
    expect(store.read().servers[0]?.id).toBe('nas');
    expect(JSON.parse(fs.readFileSync(store.path, 'utf8')).schemaVersion).toBe(1);
  });

  it('refuses to write an invalid document and keeps the file as it was', () => {
    const home = tmpHome();
    const store = openConfigStore(home);
    const before = fs.readFileSync(store.path, 'utf8');
    expect(() => store.update((d) => ({ ...d, servers: [{ ...server, address: 'rm -rf /' } as never] }))).toThrow();
    expect(() => store.update(() => { throw new Error('refused'); })).toThrow('refused');
    expect(fs.readFileSync(store.path, 'utf8')).toBe(before);
  });
});

describe('config store: compare-and-swap', () => {
  it('takes in what another writer saved before applying its own change, and reports it', () => {
    const home = tmpHome();
    const a = openConfigStore(home);
    const b = openConfigStore(home);
    const seen: ConfigChange[] = [];
    b.onChange((c) => seen.push(c));
    a.update(addServer('one'));
    const next = b.update(addServer('two'));
    expect(next.servers.map((s) => s.id)).toEqual(['one', 'two']);
    expect(seen).toMatchObject([{ kind: 'changed', recovered: false, setAside: [] }]);
    expect(seen[0]?.kind === 'changed' && seen[0].doc.servers.map((s) => s.id)).toEqual(['one']);
    // And the first store takes in the second's write the same way.
    expect(a.update(addServer('three')).servers.map((s) => s.id)).toEqual(['one', 'two', 'three']);
  });

  it('says nothing about its own writes', () => {
    const home = tmpHome();
    const store = openConfigStore(home);
    const seen: ConfigChange[] = [];
    store.onChange((c) => seen.push(c));
    store.update(addServer('one'));
    store.check();
    fs.utimesSync(store.path, new Date(), new Date(Date.now() + 5_000)); // touched, same text
    store.check();
    expect(seen).toEqual([]);
  });

  it('leaves an unusable hand edit as written, refuses writes until it is fixed, then takes the fix in', () => {
    const home = tmpHome();
    const store = openConfigStore(home);
    store.update(addServer('one'));
    const seen: ConfigChange[] = [];
    store.onChange((c) => seen.push(c));
    const halfEdited = fs.readFileSync(store.path, 'utf8').replace('"servers": [', '"servers": [ {');
    writeConfig(home, halfEdited);
    store.check();
    store.check();
    expect(seen).toEqual([{ kind: 'invalid', reason: expect.stringMatching(/^not JSON/) }]);
    expect(store.blocked).toMatch(/not JSON/);
    expect(() => store.update(addServer('two'))).toThrow(/changed outside Rackdeck and cannot be used .*left it as it is/);
    expect(fs.readFileSync(store.path, 'utf8')).toBe(halfEdited);
    expect(store.read().servers.map((s) => s.id)).toEqual(['one']);

    writeConfig(home, { schemaVersion: 1, servers: [{ ...server, id: 'one', name: 'one' }, { ...server, id: 'hand', name: 'hand' }] });
    store.check();
    expect(seen.at(-1)).toMatchObject({ kind: 'changed', recovered: true });
    expect(store.blocked).toBeUndefined();
    expect(store.update(addServer('two')).servers.map((s) => s.id)).toEqual(['one', 'hand', 'two']);
  });

  it('keeps its document when the file is deleted, and writes it again at the next change', () => {
    const home = tmpHome();
    const store = openConfigStore(home);
    store.update(addServer('one'));
    const seen: ConfigChange[] = [];
    store.onChange((c) => seen.push(c));
    fs.rmSync(store.path);
    store.check();
    store.check();
    expect(seen).toEqual([{ kind: 'missing' }]);
    store.update(addServer('two'));
    expect((JSON.parse(fs.readFileSync(store.path, 'utf8')) as { servers: unknown[] }).servers).toHaveLength(2);
  });
});

describe('config store: the write lock', () => {
  it('waits for a live holder and then gives up, naming it, without writing', () => {
    const home = tmpHome();
    const store = openConfigStore(home, { lock: { waitMs: 50 } });
    const before = fs.readFileSync(store.path, 'utf8');
    fs.writeFileSync(`${store.path}.lock`, JSON.stringify({ pid: process.ppid, host: os.hostname(), token: 'x', at: Date.now() }));
    expect(() => store.update(addServer('one'))).toThrow(new RegExp(`held by process ${process.ppid}`));
    expect(fs.readFileSync(store.path, 'utf8')).toBe(before);
  });

  it('takes over a lock left by a dead process, or one too old to be a write in progress', () => {
    const home = tmpHome();
    const store = openConfigStore(home, { lock: { waitMs: 2_000 } });
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    fs.writeFileSync(`${store.path}.lock`, JSON.stringify({ pid: dead, host: os.hostname(), token: 'x', at: Date.now() }));
    store.update(addServer('one'));
    fs.writeFileSync(`${store.path}.lock`, '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${store.path}.lock`, old, old);
    store.update(addServer('two'));
    expect(openConfigStore(home).read().servers.map((s) => s.id)).toEqual(['one', 'two']);
    expect(fs.readdirSync(home).filter((n) => n.includes('.lock'))).toEqual([]);
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
