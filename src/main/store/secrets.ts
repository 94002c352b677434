import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { fileStamp, readJsonFile, writeJsonAtomic } from './atomic-file';
import { keyMismatchError, keyMissingError, SEALED_FILES, sealedCount, SecretKeyError } from './secrets-key-guard';
import { holds, own } from '../../shared/own';
import { lazySchema } from '../../shared/contract/lazy';

/**
 * Secrets encrypted at rest. The store never hands a secret to anything
 * that crosses IPC: faces get `has()` booleans; only drivers in main call `get()`.
 *
 * Every face (desktop, CLI, web) seals with the same 0600 key file in the home, not the OS
 * keychain (Electron's safeStorage): a secret the desktop app stored must stay readable by the
 * CLI and the web face, which have no access to the desktop session's keychain.
 */
export interface Encryptor {
  /** What protects the key, for diagnostics: `keyfile`. */
  readonly kind: string;
  /** The folder of the key file, for the message when it does not open what is sealed. */
  readonly keyHome?: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/**
 * `proxmox.secret`: a cluster's API token secret or password, kept under the key `cluster:<name>`;
 * `proxmox.consoleSecret`: the password of a token cluster's console login (PVE 8 refuses tokens on consoles).
 */
export type SecretName = 'ssh.password' | 'ssh.passphrase' | 'wol.password' | 'proxmox.secret' | 'proxmox.consoleSecret';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The encryptor of every face: AES-256-GCM with a random key in `<home>/secret.key` (mode 0600,
 * created once, never rewritten). GCM's tag makes a tampered or foreign value fail loudly.
 */
export function keyFileEncryptor(home: string): Encryptor {
  const keyFile = path.join(home, 'secret.key');
  const key = loadOrCreateKey(keyFile, home);
  return {
    kind: 'keyfile',
    keyHome: home,
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(sealed) {
      if (!sealed.startsWith('v1:')) throw new Error('unknown secret format');
      const raw = Buffer.from(sealed.slice(3), 'base64');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('secret too short');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * The key-file encryptor, opened on first use: a home where no secret was ever stored or read
 * gets no `secret.key`. What every part that keeps secrets passes to its `SecretsStore`.
 */
export function lazyKeyFileEncryptor(home: string): Encryptor {
  let opened: Encryptor | undefined;
  const open = (): Encryptor => (opened ??= keyFileEncryptor(home));
  return {
    kind: 'keyfile',
    keyHome: home,
    encrypt: (plain) => open().encrypt(plain),
    decrypt: (sealed) => open().decrypt(sealed),
  };
}

function loadOrCreateKey(keyFile: string, home: string): Buffer {
  try {
    const key = fs.readFileSync(keyFile);
    if (key.length !== KEY_BYTES) throw new Error(`${keyFile} is damaged (${key.length} bytes, expected ${KEY_BYTES})`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // A lost key must not silently become a new one beside values only the old one opens.
  const sealed = sealedCount(home);
  if (sealed > 0) throw keyMissingError(home, sealed);
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    // 'wx': if two processes race, one wins and the other reads the winner's key.
    fs.writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKey(keyFile, home);
    throw error;
  }
  return key;
}

const fileSchema = lazySchema(() => z.object({ version: z.literal(1), secrets: z.record(z.string(), z.record(z.string(), z.string())) }));

type Sealed = Record<string, Record<string, string>>;

/** A damaged secrets file throws: starting empty would let the next `set` overwrite every other secret. */
function readSealed(file: string): Sealed {
  return readJsonFile(file, fileSchema)?.secrets ?? {};
}

/**
 * `<home>/secrets.json`: server id (or `cluster:<name>`) → secret name → sealed value. Several
 * parts open it (power control, Proxmox clusters, consoles), each with its own instance: every
 * change re-reads the file first, so one part never writes back another's stale copy.
 */
export class SecretsStore {
  readonly file: string;
  private sealed: Sealed;
  private stamp: string | undefined;
  private lookedThisTurn = false;

  constructor(
    home: string,
    private readonly encryptor: Encryptor,
  ) {
    this.file = path.join(home, 'secrets.json');
    this.sealed = this.read();
  }

  /** The file as on disk now (re-read when another process or store changed it, or set it aside). */
  private read(): Sealed {
    this.stamp = fileStamp(this.file);
    return readSealed(this.file);
  }

  private fresh(): Sealed {
    if (fileStamp(this.file) !== this.stamp) this.sealed = this.read();
    return this.sealed;
  }

  /** Opens a sealed value; one the key cannot open means the key was replaced, and says so. */
  private open(sealed: string): string {
    try {
      return this.encryptor.decrypt(sealed);
    } catch (error) {
      if (error instanceof SecretKeyError) throw error;
      throw keyMismatchError(this.encryptor.keyHome ?? path.dirname(this.file));
    }
  }

  /**
   * Moves the sealed values of an older secrets file (same encryptor, same key) into this one,
   * then removes it. What this store holds already wins; nothing is decrypted on the way, so
   * nothing is lost even when the key cannot be used right now. Returns how many moved.
   */
  absorb(otherFile: string, rename: (entry: string) => string = (entry) => entry): number {
    if (!fs.existsSync(otherFile)) return 0;
    const old = readSealed(otherFile);
    this.sealed = readSealed(this.file);
    let moved = 0;
    const next: Sealed = { ...this.sealed };
    for (const [entry, names] of Object.entries(old)) {
      const key = rename(entry);
      const merged = { ...(own(next, key) ?? {}) };
      for (const [name, value] of Object.entries(names)) {
        if (own(merged, name) !== undefined) continue;
        merged[name] = value;
        moved += 1;
      }
      if (Object.keys(merged).length > 0) next[key] = merged;
    }
    if (moved > 0) {
      this.sealed = next;
      this.save();
    }
    // Only once the merged file is safely written does the old copy go.
    fs.rmSync(otherFile, { force: true });
    return moved;
  }

  /**
   * Whether a secret is stored. Cards ask this three times each, and a patch or a metrics pass
   * builds a thousand cards in one synchronous run: the file is looked at once per turn of the
   * event loop for this (a stat each time was most of a card's cost). `get`, which drivers use,
   * and every change still look each time.
   */
  has(serverId: string, name: SecretName): boolean {
    if (!this.lookedThisTurn) {
      this.fresh(); // a damaged file throws here, every time, as before
      this.lookedThisTurn = true;
      queueMicrotask(() => (this.lookedThisTurn = false));
    }
    return own(own(this.sealed, serverId), name) !== undefined;
  }

  /** For drivers in main only. */
  get(serverId: string, name: SecretName): string | undefined {
    const sealed = own(own(this.fresh(), serverId), name);
    return sealed === undefined ? undefined : this.open(sealed);
  }

  /** Throws a SecretKeyError when the key does not open what this file already holds. */
  probe(): void {
    const first = Object.values(this.fresh()).flatMap((names) => Object.values(names))[0];
    if (first !== undefined) this.open(first);
  }

  /** `null` or an empty string removes the secret. Refused when the key does not open what is already sealed. */
  set(serverId: string, name: SecretName, value: string | null): void {
    this.sealed = this.read();
    if (value !== null && value !== '') this.probe();
    const forServer = { ...(own(this.sealed, serverId) ?? {}) };
    if (value === null || value === '') delete forServer[name];
    else forServer[name] = this.encryptor.encrypt(value);
    const next = { ...this.sealed };
    if (Object.keys(forServer).length === 0) delete next[serverId];
    else next[serverId] = forServer;
    this.sealed = next;
    this.save();
  }

  removeServer(serverId: string): void {
    this.sealed = this.read();
    if (!holds(this.sealed, serverId)) return;
    const { [serverId]: _gone, ...rest } = this.sealed;
    this.sealed = rest;
    this.save();
  }

  private save(): void {
    writeJsonAtomic(this.file, { version: 1, secrets: this.sealed });
    this.stamp = fileStamp(this.file);
  }
}

/**
 * Whether the home's key opens what is sealed with it: undefined when it does (or nothing is
 * sealed), else the error that says what happened and how to recover. Creates no key.
 */
export function secretKeyProblem(home: string): SecretKeyError | undefined {
  if (sealedCount(home) === 0) return undefined;
  try {
    const encryptor = keyFileEncryptor(home);
    for (const name of SEALED_FILES) {
      const store = new SecretsStore(path.dirname(path.join(home, name)), encryptor);
      store.probe();
    }
    return undefined;
  } catch (error) {
    if (error instanceof SecretKeyError) return error;
    throw error;
  }
}
