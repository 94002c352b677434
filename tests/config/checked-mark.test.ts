import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkedFileOf } from '../../src/main/store/config-checked';
import { serverConfigSchema } from '../../src/main/store/config-document';
import { openConfigStore } from '../../src/main/store/config-store';
import { CONFIG, entry, writeConfig } from './helpers';

/**
 * config.json's mark (issue 16): a text this build judged and found to be its own output is
 * taken as it is the next time it is opened, so a standalone command or an engine's start does
 * not build the whole document's schema again for a file that did not change. Anything else
 * (another text, another schema, a damaged mark) is judged as before.
 */

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-checked-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(home, { recursive: true, force: true });
});

const file = () => path.join(home, CONFIG);
const mark = () => checkedFileOf(file());
/** How many server entries the store judged while `open` ran. */
function judged(open: () => void): number {
  const spy = vi.spyOn(serverConfigSchema, 'safeParse');
  try {
    open();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

/** A file as the store writes it: the first open fills in the defaults and writes it back. */
function ownOutput(servers = [entry('nas'), entry('pve', { address: '127.0.0.2' })]): string {
  writeConfig(home, { schemaVersion: 1, servers });
  openConfigStore(home, { checkedBy: 'schema-a' });
  return fs.readFileSync(file(), 'utf8');
}

describe("config.json's mark", () => {
  it('a text judged to be the store’s own output is marked, and taken as it is when opened again', () => {
    const text = ownOutput();
    // The first open wrote the file back (defaults filled in): that text is not judged yet.
    expect(judged(() => openConfigStore(home, { checkedBy: 'schema-a' }))).toBe(2);
    expect(fs.existsSync(mark())).toBe(true);
    let store: ReturnType<typeof openConfigStore> | undefined;
    expect(judged(() => (store = openConfigStore(home, { checkedBy: 'schema-a' })))).toBe(0);
    expect(store?.read().servers.map((s) => s.id)).toEqual(['nas', 'pve']);
    expect(JSON.stringify(store?.read(), null, 2) + '\n').toBe(text);
    expect(fs.readFileSync(file(), 'utf8')).toBe(text); // nothing was written
  });

  it('a changed text is judged again: a bad entry is still set aside', () => {
    ownOutput();
    openConfigStore(home, { checkedBy: 'schema-a' }); // marks the written text
    const doc = JSON.parse(fs.readFileSync(file(), 'utf8')) as { servers: Record<string, unknown>[] };
    doc.servers[1] = { ...doc.servers[1], ports: [99_999] };
    fs.writeFileSync(file(), `${JSON.stringify(doc, null, 2)}\n`);
    let store: ReturnType<typeof openConfigStore> | undefined;
    expect(judged(() => (store = openConfigStore(home, { checkedBy: 'schema-a' })))).toBe(2);
    expect(store?.read().servers.map((s) => s.id)).toEqual(['nas']);
    expect(store?.setAsideAtOpen.map((s) => s.id)).toEqual(['pve']);
  });

  it('a mark made by another schema, a damaged mark, or no schema to mark with: judged', () => {
    ownOutput();
    openConfigStore(home, { checkedBy: 'schema-a' });
    expect(judged(() => openConfigStore(home, { checkedBy: 'schema-b' }))).toBe(2);
    // schema-b marked it now; schema-a judges again and marks it back
    expect(judged(() => openConfigStore(home, { checkedBy: 'schema-a' }))).toBe(2);
    fs.writeFileSync(mark(), '{"sha256": "trunc');
    expect(judged(() => openConfigStore(home, { checkedBy: 'schema-a' }))).toBe(2);
    expect(judged(() => openConfigStore(home, { checkedBy: 'schema-a' }))).toBe(0);
    // From source there is no build fingerprint: nothing is marked and every open judges.
    fs.rmSync(mark());
    expect(judged(() => openConfigStore(home, { checkedBy: undefined }))).toBe(2);
    expect(judged(() => openConfigStore(home, { checkedBy: undefined }))).toBe(2);
    expect(fs.existsSync(mark())).toBe(false);
  });

  it('a file that had to be changed to load (an entry set aside) is not marked until its written form is judged', () => {
    writeConfig(home, { schemaVersion: 1, servers: [entry('nas'), entry('bad', { ports: [0] })] });
    openConfigStore(home, { checkedBy: 'schema-a' });
    expect(fs.existsSync(mark())).toBe(false);
    expect(judged(() => openConfigStore(home, { checkedBy: 'schema-a' }))).toBe(1);
    expect(judged(() => openConfigStore(home, { checkedBy: 'schema-a' }))).toBe(0);
  });

  it('what the store itself wrote is judged once when its owner is done with it, so the next open takes it as it is', () => {
    writeConfig(home, { schemaVersion: 1, servers: [entry('nas')] });
    const store = openConfigStore(home, { checkedBy: 'schema-a' });
    // The open filled in the defaults and wrote the file back; then a change of the engine's.
    store.update((doc) => ({ ...doc, servers: [...doc.servers, { ...doc.servers[0]!, id: 'pve', name: 'pve', address: '127.0.0.2' }] }));
    expect(fs.existsSync(mark())).toBe(false);
    expect(judged(() => store.vouchForLastWrite())).toBe(2);
    expect(fs.existsSync(mark())).toBe(true);
    let again: ReturnType<typeof openConfigStore> | undefined;
    expect(judged(() => (again = openConfigStore(home, { checkedBy: 'schema-a' })))).toBe(0);
    expect(again?.read().servers.map((s) => s.id)).toEqual(['nas', 'pve']);
  });

  it('a text someone else wrote since is not vouched for: it is judged when opened', () => {
    writeConfig(home, { schemaVersion: 1, servers: [entry('nas')] });
    const store = openConfigStore(home, { checkedBy: 'schema-a' });
    writeConfig(home, { schemaVersion: 1, servers: [entry('nas'), entry('bad', { ports: [0] })] });
    store.vouchForLastWrite();
    expect(fs.existsSync(mark())).toBe(false);
    expect(judged(() => openConfigStore(home, { checkedBy: 'schema-a' }))).toBe(2);
  });
});
