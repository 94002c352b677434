import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keyFileEncryptor, lazyKeyFileEncryptor, SecretsStore } from '../../src/main/store/secrets';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-secrets-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const keyFile = () => path.join(home, 'secret.key');

describe('lazyKeyFileEncryptor', () => {
  it('creates no key file until a secret is first sealed, then a 0600 one', () => {
    const store = new SecretsStore(home, lazyKeyFileEncryptor(home));
    expect(store.has('nas', 'ssh.password')).toBe(false);
    expect(store.get('nas', 'ssh.password')).toBeUndefined();
    store.set('nas', 'wol.password', null);
    expect(fs.existsSync(keyFile())).toBe(false);

    store.set('nas', 'ssh.password', 'hunter2');
    const key = fs.statSync(keyFile());
    expect(key.mode & 0o777).toBe(0o600);
    expect(key.size).toBe(32);
  });

  it('seals with the same key as the eager encryptor, both ways', () => {
    new SecretsStore(home, lazyKeyFileEncryptor(home)).set('nas', 'ssh.password', 'hunter2');
    expect(new SecretsStore(home, keyFileEncryptor(home)).get('nas', 'ssh.password')).toBe('hunter2');
    new SecretsStore(home, keyFileEncryptor(home)).set('pve', 'proxmox.secret', 'token');
    expect(new SecretsStore(home, lazyKeyFileEncryptor(home)).get('pve', 'proxmox.secret')).toBe('token');
  });

  it('reads the key file once, on first use, and keeps the key', () => {
    const enc = lazyKeyFileEncryptor(home);
    expect(enc.kind).toBe('keyfile');
    const sealed = enc.encrypt('x');
    fs.rmSync(keyFile());
    expect(enc.decrypt(sealed)).toBe('x');
    expect(enc.decrypt(enc.encrypt('y'))).toBe('y');
  });
});

describe('SecretsStore.has', () => {
  it('looks at the file once per turn however many cards ask, and sees another writer from the next turn', async () => {
    const reader = new SecretsStore(home, lazyKeyFileEncryptor(home));
    const writer = new SecretsStore(home, lazyKeyFileEncryptor(home));
    expect(reader.has('nas', 'ssh.password')).toBe(false);
    await Promise.resolve();
    const stat = vi.spyOn(fs, 'statSync');
    try {
      for (let i = 0; i < 1000; i++) reader.has(`s${i}`, 'ssh.password');
      expect(stat.mock.calls.filter(([file]) => String(file).endsWith('secrets.json')).length).toBe(1);
    } finally {
      stat.mockRestore();
    }
    writer.set('nas', 'ssh.password', 'hunter2');
    await Promise.resolve();
    expect(reader.has('nas', 'ssh.password')).toBe(true);
    // Its own change shows at once.
    reader.set('nas', 'ssh.password', null);
    expect(reader.has('nas', 'ssh.password')).toBe(false);
  });
});
