import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { SetAsideServer } from '../../shared/contract/servers';
import { readJsonFile, writeJsonAtomic } from './atomic-file';
import type { RejectedEntry } from './config-salvage';
import { lazySchema } from '../../shared/contract/lazy';

/**
 * Server entries set aside from config.json are kept beside it, one sidecar per reading that
 * set something aside: `config.json.rejected-<time>.json`, holding each entry exactly as it was
 * written, with its reason. Rackdeck never deletes a sidecar; the admin restores the entry (fixed)
 * into config.json or deletes the sidecar, and until then every face can list what it holds.
 */

const SIDECAR = /^(.+)\.rejected-[0-9TZ-]+(-\d+)?\.json$/;

const sidecarSchema = lazySchema(() => z.object({
  file: z.string(),
  at: z.number(),
  servers: z.array(
    z.object({
      index: z.number().int(),
      id: z.string().optional(),
      name: z.string().optional(),
      reason: z.string(),
      outcome: z.enum(['set-aside', 'loaded-without-parent']),
      entry: z.unknown(),
    }),
  ),
}));

function stampOf(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-');
}

/** Keeps `rejected` beside `file` and returns them as the faces see them. Written before config.json is rewritten without them. */
export function keepRejected(file: string, rejected: readonly RejectedEntry[], now: number): SetAsideServer[] {
  const base = `${file}.rejected-${stampOf(now)}`;
  let keptIn = `${base}.json`;
  for (let n = 2; fs.existsSync(keptIn); n++) keptIn = `${base}-${n}.json`;
  writeJsonAtomic(keptIn, { file, at: now, servers: rejected });
  return rejected.map(({ entry: _entry, ...view }) => ({ ...view, keptIn, at: now }));
}

/** Every entry still kept beside `file`, oldest first; a sidecar that cannot be read is skipped (it stays on disk). */
export function listRejected(file: string): SetAsideServer[] {
  const dir = path.dirname(file);
  const name = path.basename(file);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: SetAsideServer[] = [];
  for (const n of names.filter((x) => SIDECAR.exec(x)?.[1] === name).sort()) {
    const keptIn = path.join(dir, n);
    let kept: z.output<typeof sidecarSchema> | undefined;
    try {
      kept = readJsonFile(keptIn, sidecarSchema);
    } catch {
      continue;
    }
    if (!kept) continue;
    for (const { entry: _entry, ...view } of kept.servers) out.push({ ...view, keptIn, at: kept.at });
  }
  return out.sort((a, b) => a.at - b.at || a.index - b.index);
}
