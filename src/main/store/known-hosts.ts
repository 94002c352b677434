import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { readJsonFile, writeJsonAtomic } from './atomic-file';
import { holds, own } from '../../shared/own';
import { lazySchema } from '../../shared/contract/lazy';

/**
 * Pinned SSH host keys, trust on first use: `<home>/known-hosts.json`, keyed by `[host]:port`
 * as OpenSSH does. A key is only ever replaced by an explicit call (the admin's "Accept").
 */
const entrySchema = lazySchema(() => z.object({
  keyType: z.string().min(1),
  /** The public key blob, base64. */
  key: z.string().min(1),
  fingerprint: z.string().min(1),
  addedAt: z.number(),
}));
export type KnownHost = z.infer<typeof entrySchema>;

const fileSchema = lazySchema(() => z.object({ version: z.literal(1), hosts: z.record(z.string(), entrySchema) }));

export class KnownHostsStore {
  readonly file: string;
  private hosts: Record<string, KnownHost> = {};
  private stamp = '';

  constructor(home: string, fileName = 'known-hosts.json') {
    this.file = path.join(home, fileName);
    // A damaged pin file must not silently turn into "trust anything": it throws, and SSH does not start.
    this.reload();
  }

  get(endpoint: string): KnownHost | undefined {
    this.reload();
    return own(this.hosts, endpoint);
  }

  /**
   * Reads the file again when it changed on disk (another process, or another store of this one,
   * pinned or accepted a key): every face sees the pins the moment they are written.
   */
  private reload(): void {
    let stamp = 'none';
    try {
      const st = fs.statSync(this.file);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // No file yet: no pins.
    }
    if (stamp === this.stamp) return;
    this.hosts = readJsonFile(this.file, fileSchema)?.hosts ?? {};
    this.stamp = stamp;
  }

  /** Pins a key; `replace` must be true to overwrite a different pinned key. */
  pin(endpoint: string, entry: KnownHost, options: { replace?: boolean } = {}): void {
    this.reload();
    const current = own(this.hosts, endpoint);
    if (current && current.key !== entry.key && !options.replace) {
      throw new Error(`a different host key is already pinned for ${endpoint}`);
    }
    this.hosts = { ...this.hosts, [endpoint]: entry };
    this.save();
  }

  forget(endpoint: string): void {
    this.reload();
    if (!holds(this.hosts, endpoint)) return;
    const { [endpoint]: _gone, ...rest } = this.hosts;
    this.hosts = rest;
    this.save();
  }

  private save(): void {
    writeJsonAtomic(this.file, { version: 1, hosts: this.hosts });
    // Our own write is not a change to read back.
    this.stamp = '';
    this.reload();
  }
}
