/**
 * Run by store-crash.test.ts as a child process: compacts a sizeable history over and over until
 * it is killed with SIGKILL. `mode`:
 *   random        the parent kills it whenever its timer fires;
 *   mid-write     it kills itself halfway through writing a staged file (half the bytes written, by writeFile or writev);
 *   before-rename it kills itself after the staged file is complete, before the rename.
 * The last two patch node:fs/promises under the store's atomic writer, so the crash lands exactly there.
 */
import type * as FsSync from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { HistoryStore } from '../../src/main/store/history/store';
import { addSample, createSeries } from '../../src/main/store/history/tiers';

const dir = process.argv[2] as string;
const mode = process.argv[3] ?? 'random';
const servers = 40;

const require = createRequire(import.meta.url);
const fsp = require('node:fs/promises') as typeof FsPromises;
const fsSync = require('node:fs') as typeof FsSync;
let armed = false;
if (mode === 'mid-write') {
  // The writer opens the staged file, then writes through the handle: the handle of a staged
  // file writes half of the data, and the process dies.
  const original = fsp.open;
  fsp.open = (async (file: Parameters<typeof original>[0], flags?: Parameters<typeof original>[1], fileMode?: Parameters<typeof original>[2]) => {
    const handle = await original(file, flags, fileMode);
    if (!armed || !String(file).endsWith('.tmp')) return handle;
    return new Proxy(handle, {
      get(target, prop) {
        if (prop === 'writeFile') {
          return async (data: unknown) => {
            const text = String(data);
            fsSync.writeFileSync(String(file), text.slice(0, Math.floor(text.length / 2)));
            process.kill(process.pid, 'SIGKILL');
          };
        }
        // Shards are written from their chunks in one writev.
        if (prop === 'writev') {
          return async (chunks: Uint8Array[]) => {
            const whole = Buffer.concat(chunks);
            fsSync.writeFileSync(String(file), whole.subarray(0, Math.floor(whole.length / 2)));
            process.kill(process.pid, 'SIGKILL');
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }) as typeof original;
  syncBuiltinESMExports();
} else if (mode === 'before-rename') {
  const original = fsp.rename;
  fsp.rename = (async (from: string, to: string) => {
    if (armed && String(from).endsWith('.tmp')) process.kill(process.pid, 'SIGKILL');
    return original(from, to);
  }) as typeof original;
  syncBuiltinESMExports();
}

const store = await HistoryStore.open({ dir, shardCount: 4, durable: false, flushIntervalMs: 3_600_000 });
const start = Date.UTC(2026, 0, 1);
if (store.serverIds().length === 0) {
  for (let s = 0; s < servers; s++) {
    const series = createSeries();
    for (let i = 0; i < 1440; i++) addSample(series, { t: start + i * 60_000, cpu: (i * (s + 3)) % 100, memUsed: 1e9 + i * 4096, memTotal: 8e9 });
    store.importSeries(`srv-${s}`, series);
  }
}
let t = store.lastSampleAt('srv-0') ?? start;
for (let round = 0; ; round++) {
  t += 60_000;
  for (let s = 0; s < servers; s++) store.record(`srv-${s}`, { t, cpu: round % 100, memUsed: 2e9, memTotal: 8e9 });
  await store.compact();
  if (round === 0) {
    // The first compaction always completes, so there is a good file for the crash to threaten.
    process.stdout.write(`compacted ${t}\n`);
    armed = true;
  }
}
