import path from 'node:path';
import * as z from 'zod';
import type { SystemInfoView } from '../../shared/server';
import { readJsonFile, writeJsonAtomic } from './atomic-file';
import { lazySchema } from '../../shared/contract/lazy';

/** What init found on a host, as power keeps it (the view adds the failure count). */
export type InitFacts = Omit<SystemInfoView, 'initFailures'>;

const nicSchema = lazySchema(() => z.object({ name: z.string(), mac: z.string(), up: z.boolean(), wolSupported: z.boolean().optional(), wolEnabled: z.boolean().optional() }));
const factsSchema = lazySchema(() => z.object({
  os: z.string().optional(),
  systemType: z.enum(['linux', 'proxmox', 'unknown']),
  hibernate: z.boolean(),
  interfaces: z.array(nicSchema),
  suggestedMac: z.string().optional(),
  initialisedAt: z.number().optional(),
  nextInitAt: z.number().optional(),
}));
const fileSchema = lazySchema(() => z.object({ version: z.literal(1), servers: z.record(z.string(), factsSchema) }));

/**
 * `<home>/init-facts.json`: what the last init found on each server (OS, NICs, their
 * Wake-on-LAN), so a process that did not run it (a CLI command's own engine, the app after a
 * restart) still knows that Wake-on-LAN is off where it would be needed (issue 13).
 */
export class InitFactsStore {
  readonly file: string;

  constructor(home: string) {
    this.file = path.join(home, 'init-facts.json');
  }

  all(): Record<string, InitFacts> {
    return (readJsonFile(this.file, fileSchema)?.servers ?? {}) as Record<string, InitFacts>;
  }

  put(id: string, facts: InitFacts | undefined): void {
    const servers = { ...this.all() };
    if (facts === undefined) {
      if (!Object.hasOwn(servers, id)) return;
      delete servers[id];
    } else servers[id] = facts;
    writeJsonAtomic(this.file, { version: 1, servers });
  }
}
