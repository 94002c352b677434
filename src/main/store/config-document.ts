import * as z from 'zod';
import { clusterConfigSchema } from '../../shared/contract/proxmox';
import { serverInputSchema } from '../../shared/server';
import { settingsSchema } from '../../shared/settings';
import { lazySchema } from '../../shared/contract/lazy';

const CONFIG_VERSION = 1;

export const serverConfigSchema = lazySchema(() => serverInputSchema.extend({
  id: z.string().min(1),
  createdAt: z.number().int().nonnegative(),
}));

export const configDocumentSchema = lazySchema(() => z.object({
  schemaVersion: z.literal(CONFIG_VERSION),
  servers: z.array(serverConfigSchema).default([]),
  settings: settingsSchema.default(settingsSchema.parse({})),
  /** Proxmox clusters (issue 5); optional with a default, so no version bump. Secrets are not here. */
  clusters: z.array(clusterConfigSchema).default([]),
}));
export type ConfigDocument = z.output<typeof configDocumentSchema>;

export function emptyDocument(): ConfigDocument {
  return configDocumentSchema.parse({ schemaVersion: CONFIG_VERSION });
}

type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

/**
 * Migrations from version N to N+1, applied in order on load. Version 0 is any document
 * written before `schemaVersion` existed: a bare `{ servers: [...] }`.
 */
const MIGRATIONS: Record<number, Migration> = {
  0: (doc) => ({ ...doc, schemaVersion: 1 }),
};

export function migrate(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('the file does not hold a JSON object');
  let doc = raw as Record<string, unknown>;
  let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 0;
  if (version > CONFIG_VERSION) {
    throw new Error(`it was written by a newer Rackdeck (config version ${version}, this one reads up to ${CONFIG_VERSION})`);
  }
  while (version < CONFIG_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from config version ${version}`);
    doc = step(doc);
    version += 1;
  }
  return doc;
}
