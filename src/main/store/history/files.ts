import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { actionInputSchema } from '../../../shared/metrics';
import { POWER_STATES, type PowerState } from '../../../shared/power';
import { loadJsonAsync, stagedWriteTarget, writeJsonAtomicAsync, type JsonLoad } from '../atomic-file';
import type { ActionLog } from './action-log';
import { decodeSeries, encodeSeries } from './series-codec';
import { SHARD_FILE, shardOf } from './shard-key';
import type { ServerHistory } from './state';
import type { TierSpec } from './tiers';

/**
 * The history's consolidated files: `shard-NN.json` (the tiers and power changes of the
 * servers that hash to NN) and `actions.json` (the action log). Compact JSON: these files are
 * for the program, and pretty-printing would double them. Written whole and atomically; one
 * that cannot be read is set aside by the shared routine and the store goes on without it.
 */
export const serverIdSchema = z.string().min(1).max(200);

const powerEntrySchema = z.tuple([z.number().finite(), z.enum(POWER_STATES)]);
const shardDocSchema = z
  .object({
    format: z.literal('rackdeck-history'),
    version: z.literal(1),
    servers: z.record(serverIdSchema, z.object({ series: z.unknown(), power: z.array(powerEntrySchema).optional() }).strict()),
  })
  .strict();
const actionEntrySchema = actionInputSchema.extend({ id: z.number().int().min(1) });
const actionsDocSchema = z
  .object({ format: z.literal('rackdeck-actions'), version: z.literal(1), nextId: z.number().int().min(1), entries: z.array(actionEntrySchema) })
  .strict();

export const ACTIONS_FILE = 'actions.json';
export const JOURNAL_FILE = 'journal.ndjson';

/** Where the older lowdb writer staged a write: `.<name>.tmp`. */
const LEGACY_STAGED = /^\.(.+)\.tmp$/;

/**
 * Removes staged writes a crash interrupted (the files they were meant to replace are intact).
 * Only those of the history's own files: nothing else in the folder is touched.
 */
export async function removeStagedWrites(dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const target = stagedWriteTarget(name) ?? LEGACY_STAGED.exec(name)?.[1];
    if (target !== undefined && (SHARD_FILE.test(target) || target === ACTIONS_FILE)) await fs.rm(path.join(dir, name), { force: true });
  }
}

export function readShard(file: string, tiers: readonly TierSpec[], shardCount: number, now: number): Promise<JsonLoad<Array<[string, ServerHistory]>>> {
  return loadJsonAsync(
    file,
    (raw) =>
      Object.entries(shardDocSchema.parse(raw).servers).map(([id, entry]): [string, ServerHistory] => {
        const power = (entry.power ?? []).map(([at, state]) => ({ at, state })).sort((a, b) => a.at - b.at);
        return [id, { shard: shardOf(id, shardCount), series: decodeSeries(entry.series, tiers), power }];
      }),
    now,
  );
}

/** `breathe` is awaited between servers: encoding a big shard must not hold the event loop. */
export async function writeShard(file: string, servers: ReadonlyArray<[string, ServerHistory]>, breathe: () => Promise<void>): Promise<void> {
  const doc: Record<string, { series: unknown; power: Array<[number, PowerState]> }> = {};
  for (const [id, h] of servers) {
    doc[id] = { series: encodeSeries(h.series), power: h.power.map((p) => [p.at, p.state]) };
    await breathe();
  }
  await writeJsonAtomicAsync(file, { format: 'rackdeck-history', version: 1, servers: doc }, { compact: true });
}

export function readActions(file: string, now: number): Promise<JsonLoad<ActionLog>> {
  return loadJsonAsync(
    file,
    (raw) => {
      const doc = actionsDocSchema.parse(raw);
      return { nextId: doc.nextId, entries: doc.entries };
    },
    now,
  );
}

export function writeActions(file: string, log: ActionLog): Promise<void> {
  return writeJsonAtomicAsync(file, { format: 'rackdeck-actions', version: 1, nextId: log.nextId, entries: log.entries }, { compact: true });
}
