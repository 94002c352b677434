/**
 * Issue 13: a deleted or replaced secret.key while sealed values are stored is refused with what
 * happened and how to recover, never a new key silently beside the old values; `rackdeck
 * secrets reset` sets them aside (kept) so they can be entered again.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFileEncryptor, secretKeyProblem, SecretsStore } from '../../src/main/store/secrets';
import { SecretKeyError } from '../../src/main/store/secrets-key-guard';
import { useCliHome } from '../cli/cli-home';

const { cli, home } = useCliHome('rackdeck-secret-key-');

function seal(dir: string): void {
  const store = new SecretsStore(dir, keyFileEncryptor(dir));
  store.set('nas', 'ssh.password', 'hunter2-hunter2');
  store.set('cluster:lab', 'proxmox.secret', 'token-secret');
}

const read = (file: string) => fs.readFileSync(file, 'utf8');

describe('a lost or replaced secret.key', () => {
  it('a deleted key is refused, not silently replaced by a new one', async () => {
    const dir = home();
    seal(dir);
    const secretsFile = path.join(dir, 'secrets.json');
    const before = read(secretsFile);
    fs.rmSync(path.join(dir, 'secret.key'));

    let error: unknown;
    try {
      new SecretsStore(dir, keyFileEncryptor(dir)).set('nas', 'ssh.password', 'new');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SecretKeyError);
    expect((error as Error).message).toMatch(/secret\.key is missing, but 2 secrets .* are sealed with it/);
    expect((error as Error).message).toMatch(/Put back the secret\.key .* or run `rackdeck secrets reset`/);
    expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false);
    expect(read(secretsFile)).toBe(before);

    // Every face says the same: the CLI's status, and a secret set through the engine.
    const status = await cli('secrets', 'status');
    expect(status.code).toBe(1);
    expect(status.out).toContain('2 sealed secrets; secret.key missing.');
    expect(status.err).toMatch(/is missing/);
    await cli('add', 'nas', '--address', '127.0.0.1');
    expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false);
    expect(read(secretsFile)).toBe(before);
  });

  it('a replaced key opens nothing and seals nothing beside the old values', () => {
    const dir = home();
    seal(dir);
    const before = read(path.join(dir, 'secrets.json'));
    fs.writeFileSync(path.join(dir, 'secret.key'), randomBytes(32), { mode: 0o600 });
    const store = new SecretsStore(dir, keyFileEncryptor(dir));
    expect(() => store.get('nas', 'ssh.password')).toThrow(/does not open the secrets sealed in this folder: the key was replaced/);
    expect(() => store.set('other', 'wol.password', '1.2.3.4')).toThrow(SecretKeyError);
    expect(read(path.join(dir, 'secrets.json'))).toBe(before);
    expect(secretKeyProblem(dir)?.reason).toBe('mismatch');
  });

  it('rackdeck secrets reset sets the old values aside (kept) and lists what to enter again', async () => {
    const dir = home();
    seal(dir);
    fs.rmSync(path.join(dir, 'secret.key'));
    const refused = await cli('secrets', 'reset');
    expect(refused.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'secrets.json'))).toBe(true);
    const reset = await cli('secrets', 'reset', '--yes');
    expect(reset.code, reset.err).toBe(0);
    expect(reset.out).toContain('Enter these again: nas: ssh.password, cluster:lab: proxmox.secret');
    expect(fs.existsSync(path.join(dir, 'secrets.json'))).toBe(false);
    const kept = fs.readdirSync(dir).filter((f) => f.startsWith('secrets.json.lost-key-'));
    expect(kept).toHaveLength(1);
    // Entered again: a new key, and the value opens.
    const store = new SecretsStore(dir, keyFileEncryptor(dir));
    store.set('nas', 'ssh.password', 'again');
    expect(store.get('nas', 'ssh.password')).toBe('again');
    expect((await cli('secrets', 'status')).code).toBe(0);
  });

  it('a home with the right key is healthy', () => {
    const dir = home();
    seal(dir);
    expect(secretKeyProblem(dir)).toBeUndefined();
    expect(new SecretsStore(dir, keyFileEncryptor(dir)).get('nas', 'ssh.password')).toBe('hunter2-hunter2');
  });
});
