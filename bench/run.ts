/**
 * `npm run bench`: runs every bench/*.bench.ts in turn, each in its own Node process so one
 * bench's heap and timers cannot skew the next, and prints what they print. Arguments filter by
 * file name (`npm run bench -- history`).
 *
 * The targets come from the table in docs/PERFORMANCE.md (bench/targets.ts). Before anything
 * runs, every bench must have a row there and every row must name a bench: drift between the
 * doc and the benches stops the run. Each bench records its figures in a file this runner gives
 * it; the summary at the end prints each figure beside its target. A missed target does not
 * fail the run (targets are reported, not asserted); a failed bench, or a target row of a bench
 * that ran without a figure, does.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTarget, FIGURES_ENV, meets, readFigures, readTargets, TARGETS_FILE, type Figure, type Target } from './targets';

const dir = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const help = args.includes('--help') || args.includes('-h');
const filters = args.filter((a) => !a.startsWith('-'));
const unknown = args.filter((a) => a.startsWith('-') && a !== '--help' && a !== '-h');

const benchName = (file: string) => file.replace(/\.bench\.ts$/, '');
const allFiles = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

/** Every bench has a target row and every row a bench; otherwise says what is wrong and exits. */
function checkedTargets(): Target[] {
  let targets: Target[];
  try {
    targets = readTargets();
  } catch (error) {
    console.error(`bench: cannot read the targets: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const names = new Set(allFiles.map(benchName));
  const problems = [
    ...allFiles.filter((f) => !targets.some((t) => t.bench === benchName(f))).map((f) => `bench/${f} has no target row in docs/PERFORMANCE.md (add a row whose id is "${benchName(f)}" or "${benchName(f)}.<measure>")`),
    ...targets.filter((t) => !names.has(t.bench)).map((t) => `the target row "${t.id}" in docs/PERFORMANCE.md names no bench (there is no bench/${t.bench}.bench.ts)`),
  ];
  if (problems.length > 0) {
    for (const p of problems) console.error(`bench: ${p}`);
    console.error(`bench: ${problems.length} problem(s) between ${path.relative(process.cwd(), TARGETS_FILE)} and bench/; nothing was run`);
    process.exit(1);
  }
  return targets;
}

const targets = checkedTargets();

if (help || unknown.length > 0) {
  if (unknown.length > 0) console.error(`bench: unknown option ${unknown.join(' ')}`);
  const idWidth = Math.max(...targets.map((t) => t.id.length));
  console.log(
    [
      'usage: npm run bench [-- NAME…]        (or: node --import tsx bench/run.ts [NAME…])',
      '',
      'Runs every bench/*.bench.ts whose file name contains one of the NAMEs (all of them without',
      'one), each in its own process, then prints every figure beside its target. The targets are',
      'the table in docs/PERFORMANCE.md; the benches below need a built app (npm run bench builds).',
      '',
      ...allFiles.flatMap((f) => [`  ${f}`, ...targets.filter((t) => t.bench === benchName(f)).map((t) => `      ${t.id.padEnd(idWidth)}  ${describeTarget(t)}: ${t.measure}`)]),
    ].join('\n'),
  );
  process.exit(unknown.length > 0 ? 2 : 0);
}

const files = allFiles.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error(`no bench matches ${filters.join(' ')}`);
  process.exit(1);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-bench-figures-'));
const failed: string[] = [];
const figures: Figure[] = [];
const ran: string[] = [];
try {
  for (const file of files) {
    console.log(`\n=== ${file}`);
    const figuresFile = path.join(scratch, `${benchName(file)}.ndjson`);
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], {
      stdio: 'inherit',
      cwd: path.resolve(dir, '..'),
      env: { ...process.env, [FIGURES_ENV]: figuresFile },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.status !== 0) {
      failed.push(file);
      console.log(`=== ${file} FAILED (${result.signal ?? `exit ${result.status}`}) after ${seconds} s`);
    } else {
      ran.push(benchName(file));
      console.log(`=== ${file} done in ${seconds} s`);
    }
    figures.push(...readFigures(figuresFile));
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

// The summary: every figure beside its target, and the rows of benches that ran but gave no figure.
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n < 10 ? n.toFixed(2) : n.toFixed(1));
const rows: string[][] = [];
const missing: string[] = [];
for (const target of files.flatMap((f) => targets.filter((t) => t.bench === benchName(f)))) {
  const mine = figures.filter((f) => f.id === target.id);
  if (mine.length === 0) {
    rows.push([target.id, '', ran.includes(target.bench) ? 'no figure' : 'bench failed', describeTarget(target), '']);
    if (ran.includes(target.bench)) missing.push(target.id);
    continue;
  }
  for (const f of mine) rows.push([target.id, f.label ?? '', `${fmt(f.value)} ${target.unit}`, describeTarget(target), meets(target, f.value) ? 'OK' : 'MISSED']);
}
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
console.log('\n=== figures against docs/PERFORMANCE.md');
// A column no row uses (no bench labelled its figures) is left out rather than printed as a gap.
for (const r of rows) {
  console.log(
    r
      .map((c, i) => (i < 4 ? c.padEnd(widths[i] ?? 0) : c))
      .filter((_, i) => widths[i] !== 0)
      .join('  ')
      .trimEnd(),
  );
}

if (missing.length > 0) console.error(`\n${missing.length} target(s) got no figure from a bench that ran: ${missing.join(', ')}`);
if (failed.length > 0) console.error(`\n${failed.length} bench(es) failed: ${failed.join(', ')}`);
if (failed.length > 0 || missing.length > 0) process.exit(1);
