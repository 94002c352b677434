import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deriveSeed, ed25519FromSeed, type Ed25519KeyPair } from './openssh-ed25519';

/**
 * The one keypair every lab host accepts. It is derived from the seed so a restarted lab does
 * not invalidate a key Rackdeck already imported, and written 0600 because OpenSSH refuses
 * world-readable private keys (tests also run real `ssh -i` against the lab).
 */
export interface LabClientKey extends Ed25519KeyPair {
  privateKeyPath: string;
  publicKeyPath: string;
}

export async function ensureClientKey(stateDir: string, seed: number): Promise<LabClientKey> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const pair = ed25519FromSeed(deriveSeed('rackdeck-lab', 'client-key', seed), `rackdeck-lab-${seed}`);
  const privateKeyPath = join(stateDir, 'id_ed25519');
  const publicKeyPath = `${privateKeyPath}.pub`;
  await writeIfChanged(privateKeyPath, pair.privateOpenSsh, 0o600);
  await writeIfChanged(publicKeyPath, `${pair.publicLine}\n`, 0o644);
  return { ...pair, privateKeyPath, publicKeyPath };
}

async function writeIfChanged(path: string, content: string, mode: number): Promise<void> {
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current !== content) await writeFile(path, content, { mode });
  // writeFile's mode only applies on creation; an older, looser file must be tightened too.
  await chmod(path, mode);
}
