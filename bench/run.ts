/**
 * `npm run bench`: runs every bench/*.bench.ts in turn, each in its own Node process so one
 * bench's heap and timers cannot skew the next, and prints what they print. Arguments filter by
 * file name (`npm run bench -- history`). Benches report figures against the targets in docs/PERFORMANCE.md;
 * they do not fail on a missed target, only on an error.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error(`no bench matches ${filters.join(' ')}`);
  process.exit(1);
}

const failed: string[] = [];
for (const file of files) {
  console.log(`\n=== ${file}`);
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: 'inherit', cwd: path.resolve(dir, '..') });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed.push(file);
    console.log(`=== ${file} FAILED (${result.signal ?? `exit ${result.status}`}) after ${seconds} s`);
  } else {
    console.log(`=== ${file} done in ${seconds} s`);
  }
}
if (failed.length > 0) {
  console.error(`\n${failed.length} bench(es) failed: ${failed.join(', ')}`);
  process.exit(1);
}
