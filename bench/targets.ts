/**
 * The benchmark targets, read from the table in docs/PERFORMANCE.md so the numbers live in one
 * place: the doc a reader checks is the one the benches judge against. Each bench asks for its
 * rows by id; `bench/run.ts` checks that every bench has at least one row and prints every
 * figure beside its target at the end.
 *
 * A row's id is `<bench>` or `<bench>.<measure>`, where `<bench>` is the bench's file name
 * without `.bench.ts` (`history.query-24h` belongs to history.bench.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const TARGETS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'PERFORMANCE.md');

/** The environment variable through which bench/run.ts asks a bench to record its figures (a file path). */
export const FIGURES_ENV = 'RACKDECK_BENCH_FIGURES';

export type Comparison = '≤' | '<' | '=' | '≥' | '>';

export interface Target {
  id: string;
  /** The bench file's name without `.bench.ts`. */
  bench: string;
  measure: string;
  comparison: Comparison;
  value: number;
  unit: string;
}

/** One measured figure, as a bench records it for bench/run.ts. */
export interface Figure {
  id: string;
  /** Which variant of the measure, when a bench measures it more than once (a load, a setting). */
  label?: string;
  value: number;
}

const COMPARISONS: Partial<Record<string, Comparison>> = { '≤': '≤', '<=': '≤', '<': '<', '=': '=', '==': '=', '≥': '≥', '>=': '≥', '>': '>' };
const ID = /^[a-z0-9-]+(\.[a-z0-9-]+)?$/;

export function benchOf(id: string): string {
  return id.split('.', 1)[0] ?? id;
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1');

const isTargetsHeader = (line: string) =>
  line.trim().startsWith('|') && ['id', 'measure', 'target', 'unit'].every((c) => cells(line).map((h) => h.toLowerCase()).includes(c));

/**
 * The targets table of a markdown text: the first table whose header has the columns `id`,
 * `measure`, `target` and `unit` (in any order, other columns ignored). A target cell is a
 * comparison and a number (`≤ 1.5`). Anything malformed throws with the line at fault, since a
 * target quietly skipped would let a bench run unjudged.
 */
export function parseTargets(markdown: string, source = 'docs/PERFORMANCE.md'): Target[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex(isTargetsHeader);
  if (start < 0) throw new Error(`${source}: no targets table (a table with the columns id, measure, target, unit)`);
  const head = cells(lines[start] ?? '').map((c) => c.toLowerCase());
  const targets: Target[] = [];
  // The header, then the |---| line, then the rows until the first line that is not a table row.
  for (const [i, line] of lines.entries()) {
    if (i < start + 2) continue;
    if (!line.trim().startsWith('|')) break;
    const row = cells(line);
    const cell = (name: string) => row[head.indexOf(name)] ?? '';
    const where = `${source}:${i + 1}`;
    if (row.length !== head.length) throw new Error(`${where}: ${row.length} cells, the header has ${head.length}`);
    const id = unquote(cell('id'));
    if (!ID.test(id)) throw new Error(`${where}: the id "${id}" is not <bench> or <bench>.<measure> (lower case, digits, dashes)`);
    if (targets.some((t) => t.id === id)) throw new Error(`${where}: the id "${id}" appears twice`);
    const m = /^(≤|<=|<|==|=|≥|>=|>)\s*(\d+(?:\.\d+)?)$/.exec(cell('target'));
    const comparison = COMPARISONS[m?.[1] ?? ''];
    if (!m || !comparison) throw new Error(`${where}: the target "${cell('target')}" is not a comparison and a number, e.g. "≤ 1.5"`);
    const unit = cell('unit');
    if (!unit) throw new Error(`${where}: the target of "${id}" has no unit`);
    targets.push({ id, bench: benchOf(id), measure: cell('measure'), comparison, value: Number(m[2]), unit });
  }
  if (targets.length === 0) throw new Error(`${source}: the targets table has no rows`);
  return targets;
}

export function readTargets(file = TARGETS_FILE): Target[] {
  return parseTargets(fs.readFileSync(file, 'utf8'), path.relative(process.cwd(), file) || file);
}

let cached: Target[] | undefined;

/** A bench's target by id; throws when docs/PERFORMANCE.md has no such row. */
export function targetFor(id: string): Target {
  cached ??= readTargets();
  const target = cached.find((t) => t.id === id);
  if (!target) throw new Error(`docs/PERFORMANCE.md has no target row "${id}": add it to the table before measuring it`);
  return target;
}

export function meets(target: Target, value: number): boolean {
  switch (target.comparison) {
    case '≤':
      return value <= target.value;
    case '<':
      return value < target.value;
    case '=':
      return value === target.value;
    case '≥':
      return value >= target.value;
    case '>':
      return value > target.value;
  }
}

/** `≤ 1.5 × probe timeout`, `≤ 10 ms`. */
export function describeTarget(target: Target): string {
  return `${target.comparison} ${target.value} ${target.unit}`;
}

/**
 * The words a bench prints beside a figure (`(target ≤ 10 ms) OK`), the figure being in the
 * target's unit. Under bench/run.ts the figure is also recorded for its closing summary.
 */
export function judge(target: Target, value: number, label?: string): string {
  const file = process.env[FIGURES_ENV];
  // A figure that could not be measured (NaN) is not recorded: the summary then says it is missing.
  if (file && Number.isFinite(value)) {
    const figure: Figure = { id: target.id, value, ...(label ? { label } : {}) };
    fs.appendFileSync(file, `${JSON.stringify(figure)}\n`);
  }
  return `(target ${describeTarget(target)}) ${meets(target, value) ? 'OK' : 'MISSED'}`;
}

const figureSchema = z.object({ id: z.string().min(1), label: z.string().optional(), value: z.number() }).strict();

/** The figures a bench recorded, one JSON object a line; a line that is not one throws. */
export function readFigures(file: string): Figure[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const parsed = figureSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}: not a figure: ${line}`);
      const { id, label, value } = parsed.data;
      return { id, value, ...(label !== undefined ? { label } : {}) };
    });
}
