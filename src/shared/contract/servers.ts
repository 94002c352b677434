import * as z from 'zod';
import { request } from '../ipc';
import { serverInputSchema, serverPatchSchema, type ServerView } from '../server';
import type { ServersSnapshot } from '../events';
import { settingsSchema } from '../settings';
import { lazySchema } from './lazy';

/**
 * A server entry of config.json that Rackdeck could not load as written (a port of 99999, a
 * name used twice, a parent that does not exist). The entry itself is kept, as the admin wrote
 * it, in `keptIn` beside config.json; nothing of it is lost.
 */
export interface SetAsideServer {
  /** Its position in the file's `servers` list when it was read (0-based). */
  index: number;
  id?: string;
  name?: string;
  /** What is wrong, field by field, in words the admin reads as is. */
  reason: string;
  /** `set-aside`: not loaded. `loaded-without-parent`: loaded, with its parent link dropped. */
  outcome: 'set-aside' | 'loaded-without-parent';
  /** The sidecar file (`config.json.rejected-<time>.json`) that keeps the entry as written. */
  keptIn: string;
  /** When it was set aside. */
  at: number;
}

const id = lazySchema(() => z.object({ id: z.string().min(1, 'a server id is required') }).strict());

export const serversContract = {
  /** Everything the renderer needs to draw, numbered so later patches can be applied on top. */
  snapshot: request<ServersSnapshot>()(() => z.object({}).strict()),
  add: request<ServerView>()(() => serverInputSchema.strict()),
  edit: request<ServerView>()(
    () => z.object({ id: z.string().min(1), patch: serverPatchSchema.strict() }).strict(),
  ),
  remove: request<{ removed: string }>()(() => id),
  /** Probe one server now instead of waiting for the next sweep. */
  refresh: request<ServerView>()(() => id),
  /** Server entries of config.json set aside because they could not be loaded, with why and where each is kept. */
  rejected: request<{ servers: SetAsideServer[] }>()(() => z.object({}).strict()),
  /** Probe every server once now, then the snapshot: `rackdeck list` when no engine runs its status loop. */
  sweep: request<ServersSnapshot>()(() => z.object({}).strict()),
  /** The status loop's settings. */
  settings: request<StatusSettings>()(() => z.object({}).strict()),
  /** Changes the status loop's settings (`rackdeck import`, the demo); only the fields given change. */
  setSettings: request<StatusSettings>()(
    () => z
      .object({
        statusIntervalMs: settingsSchema.shape.statusIntervalMs.unwrap().optional(),
        probeTimeoutMs: settingsSchema.shape.probeTimeoutMs.unwrap().optional(),
        probeConcurrency: settingsSchema.shape.probeConcurrency.unwrap().optional(),
      })
      .strict(),
  ),
};

/** What the status loop runs with (docs/ARCHITECTURE.md, "Loops"). */
export interface StatusSettings {
  statusIntervalMs: number;
  probeTimeoutMs: number;
  probeConcurrency: number;
}
