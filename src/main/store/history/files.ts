import fs from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { actionInputSchema } from '../../../shared/metrics';
import { POWER_STATES } from '../../../shared/power';
import { Low, type Adapter } from 'lowdb';
import { loadJsonAsync, setAside, stagedWriteTarget, writeFileAtomicAsync, writeJsonAtomicAsync, type JsonLoad, type JsonParser } from '../atomic-file';
import type { ActionLog } from './action-log';
import { decodeSeries } from './series-codec';
import type { SeriesEncoder } from './series-bytes';
import { SHARD_FILE, shardOf } from './shard-key';
import type { ByteSink } from './byte-sink';
import type { ServerHistory } from './state';
import type { TierSpec } from './tiers';
import { lazySchema } from '../../../shared/contract/lazy';

/**
 * The history's consolidated files: `shard-NN.json` (the tiers and power changes of the
 * servers that hash to NN) and `actions.json` (the action log). Compact JSON: these files are
 * for the program, and pretty-printing would double them. Written whole and atomically; one
 * that cannot be read is set aside by the shared routine and the store goes on without it.
 */
export const serverIdSchema = lazySchema(() => z.string().min(1).max(200));

const powerEntrySchema = lazySchema(() => z.tuple([z.number().finite(), z.enum(POWER_STATES)]));
/**
 * A history file as a lowdb document. lowdb holds the document; this adapter puts it on disk
 * with the store's atomic writer (temp file, fsync, rename, mode 0600: lowdb's own file adapter
 * neither syncs nor restricts the mode) and reads it with the store's loader, which sets an
 * unreadable file aside and reports where (kept in `load`, since lowdb only sees `null`).
 */
class HistoryFileAdapter<T> implements Adapter<T> {
  load: JsonLoad<T> = { kind: 'missing' };
  constructor(
    private readonly file: string,
    private readonly parse: JsonParser<T>,
    private readonly now: number,
  ) {}
  async read(): Promise<T | null> {
    this.load = await loadJsonAsync(this.file, this.parse, this.now);
    return this.load.kind === 'ok' ? this.load.value : null;
  }
  write(data: T): Promise<void> {
    return writeJsonAtomicAsync(this.file, data, { compact: true });
  }
}

async function readDoc<D, T>(file: string, schema: z.ZodType<D>, decode: (doc: D) => T, now: number): Promise<JsonLoad<T>> {
  const adapter = new HistoryFileAdapter<D>(file, (raw: unknown) => schema.parse(raw), now);
  const db = new Low<D | null>(adapter as unknown as Adapter<D | null>, null);
  await db.read();
  const loaded = adapter.load;
  if (loaded.kind !== 'ok' || db.data === null) return loaded.kind === 'ok' ? { kind: 'missing' } : loaded;
  try {
    return { kind: 'ok', value: decode(db.data) };
  } catch (error) {
    // A document that parses but cannot be decoded is as unreadable as one that does not parse.
    const recovery = setAside(file, error instanceof Error ? error.message : String(error), now);
    return recovery ? { kind: 'set-aside', recovery } : { kind: 'missing' };
  }
}

async function writeDoc<D>(file: string, doc: D): Promise<void> {
  const db = new Low<D>(new HistoryFileAdapter<D>(file, (raw: unknown) => raw as D, 0), doc);
  await db.write();
}

const shardDocSchema = lazySchema(() => z
  .object({
    format: z.literal('rackdeck-history'),
    version: z.literal(1),
    servers: z.record(serverIdSchema, z.object({ series: z.unknown(), power: z.array(powerEntrySchema).optional() }).strict()),
  })
  .strict());
const actionEntrySchema = lazySchema(() => actionInputSchema.extend({ id: z.number().int().min(1) }));
const actionsDocSchema = lazySchema(() => z
  .object({ format: z.literal('rackdeck-actions'), version: z.literal(1), nextId: z.number().int().min(1), entries: z.array(actionEntrySchema) })
  .strict());

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
  return readDoc(
    file,
    shardDocSchema,
    (doc) =>
      Object.entries(doc.servers).map(([id, entry]): [string, ServerHistory] => {
        const power = (entry.power ?? []).map(([at, state]) => ({ at, state })).sort((a, b) => a.at - b.at);
        return [id, { shard: shardOf(id, shardCount), series: decodeSeries(entry.series, tiers), power }];
      }),
    now,
  );
}

/**
 * A shard's file: the document lowdb wrote before (compact JSON, one line), built by the encoder
 * into `out`, a referring sink (byte-sink.ts): the text the encoder kept since its last call is
 * referred to, not copied.
 * `breathe` is awaited between servers: encoding a big shard must not hold the event loop.
 */
export async function encodeShard(servers: ReadonlyArray<[string, ServerHistory]>, encoder: SeriesEncoder, breathe: () => Promise<void>, out: ByteSink): Promise<Uint8Array[]> {
  out.reset();
  out.ascii('{"format":"rackdeck-history","version":1,"servers":{');
  for (let i = 0; i < servers.length; i++) {
    const [id, h] = servers[i] as [string, ServerHistory];
    // A server id may be any text: the UTF-8 writer.
    out.text(`${i > 0 ? ',' : ''}${JSON.stringify(id)}:{"series":`);
    encoder.encode(h.series, out);
    out.ascii(`,"power":${JSON.stringify(h.power.map((p) => [p.at, p.state]))}}`);
    await breathe();
  }
  out.ascii('}}\n');
  return out.chunks();
}

/**
 * Writes a shard atomically from its chunks in one writev (staged file, fsync, rename over the
 * shard). The history folder exists (the store made it at open): no mkdir per shard.
 */
export function writeShard(file: string, chunks: readonly Uint8Array[]): Promise<void> {
  return writeFileAtomicAsync(file, chunks, { ensureDir: false });
}

export function readActions(file: string, now: number): Promise<JsonLoad<ActionLog>> {
  return readDoc(file, actionsDocSchema, (doc) => ({ nextId: doc.nextId, entries: doc.entries }), now);
}

export function writeActions(file: string, log: ActionLog): Promise<void> {
  return writeDoc(file, { format: 'rackdeck-actions', version: 1, nextId: log.nextId, entries: log.entries });
}
