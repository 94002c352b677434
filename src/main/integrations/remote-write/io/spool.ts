import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { stagedWriteTarget, writeFileAtomic } from '../../../store/atomic-file';
import type { Spool, SpoolBatch } from '../../ports';

/**
 * The remote history's disk buffer: one file per write request the store did not take, named
 * `<sequence>-<samples>.rw` (snappy-compressed protobuf, as it will be POSTed), in a 0700
 * folder of the home, each file 0600 and written atomically. Oldest first; trimmed from the
 * oldest end to its bound. An earlier run's files are picked up at load.
 */
const FILE = /^(\d{12})-(\d+)\.rw$/;

interface Entry {
  seq: number;
  samples: number;
  bytes: number;
  name: string;
}

export function remoteWriteSpool(dir: string): Spool {
  let entries: Entry[] = [];
  let next = 1;
  let loading: Promise<void> | undefined;
  const file = (name: string) => path.join(dir, name);

  const load = async () => {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    await fsp.chmod(dir, 0o700);
    const found: Entry[] = [];
    for (const name of await fsp.readdir(dir)) {
      if (stagedWriteTarget(name) !== undefined) {
        // A write a crash interrupted: the batch it held was never acknowledged as kept.
        await fsp.rm(file(name), { force: true });
        continue;
      }
      const m = FILE.exec(name);
      if (!m) continue;
      const stat = await fsp.stat(file(name));
      found.push({ seq: Number(m[1]), samples: Number(m[2]), bytes: stat.size, name });
    }
    entries = found.sort((a, b) => a.seq - b.seq);
    next = (entries.at(-1)?.seq ?? 0) + 1;
  };

  return {
    load: () => (loading ??= load()),
    async push(body, samples) {
      await (loading ??= load());
      const seq = next++;
      const name = `${String(seq).padStart(12, '0')}-${samples}.rw`;
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileAtomic(file(name), Buffer.from(body.buffer, body.byteOffset, body.byteLength), 0o600);
      entries.push({ seq, samples, bytes: body.byteLength, name });
    },
    async oldest(): Promise<SpoolBatch | undefined> {
      await (loading ??= load());
      for (;;) {
        const e = entries[0];
        if (!e) return undefined;
        try {
          return { id: e.name, samples: e.samples, body: new Uint8Array(await fsp.readFile(file(e.name))) };
        } catch {
          // Removed by hand meanwhile: go on with the next.
          entries.shift();
        }
      }
    },
    async remove(id) {
      entries = entries.filter((e) => e.name !== id);
      await fsp.rm(file(id), { force: true });
    },
    async trim(maxBytes) {
      let dropped = 0;
      let total = entries.reduce((n, e) => n + e.bytes, 0);
      while (total > maxBytes && entries.length > 0) {
        const e = entries.shift()!;
        total -= e.bytes;
        dropped += e.samples;
        await fsp.rm(file(e.name), { force: true });
      }
      return dropped;
    },
    stats: () => ({ batches: entries.length, samples: entries.reduce((n, e) => n + e.samples, 0), bytes: entries.reduce((n, e) => n + e.bytes, 0) }),
  };
}
