import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { readJsonFile } from './atomic-file';
import { lazySchema } from '../../shared/contract/lazy';

/**
 * The files sealed with `<home>/secret.key`: power's and Proxmox's secrets, the alert channels'
 * and the integrations'. A key that is lost or replaced makes every value in them unreadable.
 */
export const SEALED_FILES = ['secrets.json', path.join('monitoring', 'secrets.json'), path.join('integrations', 'secrets.json')] as const;

const fileSchema = lazySchema(() => z.object({ version: z.literal(1), secrets: z.record(z.string(), z.record(z.string(), z.string())) }));

/** A lost or replaced `secret.key` beside sealed values: said with what happened and how to recover. */
export class SecretKeyError extends Error {
  constructor(
    readonly reason: 'missing' | 'mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/** How many sealed values the home's files hold (an unreadable file counts as holding some: it is not ours to judge). */
export function sealedCount(home: string): number {
  let n = 0;
  for (const name of SEALED_FILES) {
    const file = path.join(home, name);
    if (!fs.existsSync(file)) continue;
    try {
      const secrets = readJsonFile(file, fileSchema)?.secrets ?? {};
      for (const names of Object.values(secrets)) n += Object.keys(names).length;
    } catch {
      n += 1;
    }
  }
  return n;
}

const RECOVER = 'Put back the secret.key they were sealed with (from a backup of this folder), or run `rackdeck secrets reset` to set the old values aside and enter the passwords and tokens again.';

export function keyMissingError(home: string, sealed: number): SecretKeyError {
  return new SecretKeyError(
    'missing',
    `${path.join(home, 'secret.key')} is missing, but ${sealed} secret${sealed === 1 ? '' : 's'} (SSH passwords, Proxmox tokens, alert and integration credentials) are sealed with it in this folder. Rackdeck will not make a new key beside them. ${RECOVER}`,
  );
}

export function keyMismatchError(home: string): SecretKeyError {
  return new SecretKeyError(
    'mismatch',
    `${path.join(home, 'secret.key')} does not open the secrets sealed in this folder: the key was replaced (or the secrets came from another folder). Rackdeck will not seal new values beside them with another key. ${RECOVER}`,
  );
}

/**
 * Sets every sealed file aside as `<file>.lost-key-<time>` (kept, never deleted: the values come
 * back if the old key is found) so the secrets can be entered again. Returns the files set aside.
 */
export function setSealedAside(home: string, now: number = Date.now()): { setAside: string[]; cleared: string[] } {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const moved: string[] = [];
  const cleared: string[] = [];
  for (const name of SEALED_FILES) {
    const file = path.join(home, name);
    if (!fs.existsSync(file)) continue;
    try {
      for (const [entry, names] of Object.entries(readJsonFile(file, fileSchema)?.secrets ?? {})) for (const n of Object.keys(names)) cleared.push(`${entry}: ${n}`);
    } catch {
      cleared.push(`${name}: (unreadable)`);
    }
    let target = `${file}.lost-key-${stamp}`;
    for (let n = 2; fs.existsSync(target); n++) target = `${file}.lost-key-${stamp}-${n}`;
    fs.renameSync(file, target);
    moved.push(target);
  }
  return { setAside: moved, cleared };
}
