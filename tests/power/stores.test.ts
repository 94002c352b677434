import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KnownHostsStore } from '../../src/main/store/known-hosts';
import { keyFileEncryptor, SecretsStore, type Encryptor } from '../../src/main/store/secrets';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-stores-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('secrets', () => {
  it('are encrypted at rest with a 0600 key file, and survive a restart', () => {
    const store = new SecretsStore(dir, keyFileEncryptor(dir));
    store.set('nas', 'ssh.password', 'hunter2-very-secret');
    const key = fs.statSync(path.join(dir, 'secret.key'));
    expect(key.mode & 0o777).toBe(0o600);
    expect(key.size).toBe(32);
    const onDisk = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8');
    expect(onDisk).not.toContain('hunter2');
    expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    const again = new SecretsStore(dir, keyFileEncryptor(dir));
    expect(again.get('nas', 'ssh.password')).toBe('hunter2-very-secret');
    expect(again.has('nas', 'ssh.password')).toBe(true);
    expect(again.has('nas', 'wol.password')).toBe(false);
  });

  it('same plaintext seals differently each time, and a tampered value fails loudly', () => {
    const enc = keyFileEncryptor(dir);
    const a = enc.encrypt('x');
    expect(enc.encrypt('x')).not.toBe(a);
    const raw = Buffer.from(a.slice(3), 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    expect(() => enc.decrypt(`v1:${raw.toString('base64')}`)).toThrow();
  });

  it('removes a secret with null, and all of a server at once', () => {
    const store = new SecretsStore(dir, keyFileEncryptor(dir));
    store.set('a', 'ssh.password', 'p');
    store.set('a', 'wol.password', '1.2.3.4');
    store.set('b', 'ssh.passphrase', 'q');
    store.set('a', 'ssh.password', null);
    expect(store.has('a', 'ssh.password')).toBe(false);
    store.removeServer('a');
    expect(store.has('a', 'wol.password')).toBe(false);
    expect(new SecretsStore(dir, keyFileEncryptor(dir)).get('b', 'ssh.passphrase')).toBe('q');
  });

  it('seals with the encryptor it is given', () => {
    const xor = (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a));
    const fake: Encryptor = {
      kind: 'xor',
      encrypt: (s) => `x1:${xor(Buffer.from(s)).toString('base64')}`,
      decrypt: (s) => xor(Buffer.from(s.slice(3), 'base64')).toString(),
    };
    const store = new SecretsStore(dir, fake);
    store.set('n', 'ssh.password', 'pw');
    expect(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')).toContain('x1:');
    expect(new SecretsStore(dir, fake).get('n', 'ssh.password')).toBe('pw');
  });
});

describe('known hosts', () => {
  const entry = (key: string) => ({ keyType: 'ssh-ed25519', key, fingerprint: `SHA256:${key}`, addedAt: 1 });

  it('pins, refuses a silent replacement, replaces only when told, and persists atomically', () => {
    const store = new KnownHostsStore(dir);
    store.pin('[127.0.0.1]:22', entry('AAAA'));
    expect(() => store.pin('[127.0.0.1]:22', entry('BBBB'))).toThrow(/already pinned/);
    store.pin('[127.0.0.1]:22', entry('BBBB'), { replace: true });
    expect(new KnownHostsStore(dir).get('[127.0.0.1]:22')?.key).toBe('BBBB');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to start from a damaged file rather than trusting anything', () => {
    fs.writeFileSync(path.join(dir, 'known-hosts.json'), '{"version":1,"hosts":{"x":{"key":1}}}');
    expect(() => new KnownHostsStore(dir)).toThrow(/could not be read/);
  });
});
