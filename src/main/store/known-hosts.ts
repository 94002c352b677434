import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from './atomic-file';

/**
 * Pinned SSH host keys, trust on first use: `<home>/known-hosts.json`, keyed by `[host]:port`
 * as OpenSSH does. A key is only ever replaced by an explicit call (the admin's "Accept").
 */
const entrySchema = z.object({
  keyType: z.string().min(1),
  /** The public key blob, base64. */
  key: z.string().min(1),
  fingerprint: z.string().min(1),
  addedAt: z.number(),
});
export type KnownHost = z.infer<typeof entrySchema>;

const fileSchema = z.object({ version: z.literal(1), hosts: z.record(z.string(), entrySchema) });

export class KnownHostsStore {
  readonly file: string;
  private hosts: Record<string, KnownHost>;

  constructor(home: string, fileName = 'known-hosts.json') {
    this.file = path.join(home, fileName);
    const raw = readJsonFile(this.file);
    if (raw === undefined) this.hosts = {};
    else {
      const parsed = fileSchema.safeParse(raw);
      // A damaged pin file must not silently turn into "trust anything": refuse to start SSH.
      if (!parsed.success) throw new Error(`${this.file} could not be read: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      this.hosts = parsed.data.hosts;
    }
  }

  get(endpoint: string): KnownHost | undefined {
    return this.hosts[endpoint];
  }

  /** Pins a key; `replace` must be true to overwrite a different pinned key. */
  pin(endpoint: string, entry: KnownHost, options: { replace?: boolean } = {}): void {
    const current = this.hosts[endpoint];
    if (current && current.key !== entry.key && !options.replace) {
      throw new Error(`a different host key is already pinned for ${endpoint}`);
    }
    this.hosts = { ...this.hosts, [endpoint]: entry };
    this.save();
  }

  forget(endpoint: string): void {
    if (!(endpoint in this.hosts)) return;
    const { [endpoint]: _gone, ...rest } = this.hosts;
    this.hosts = rest;
    this.save();
  }

  private save(): void {
    writeFileAtomic(this.file, `${JSON.stringify({ version: 1, hosts: this.hosts }, null, 2)}\n`);
  }
}
