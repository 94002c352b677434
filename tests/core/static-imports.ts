import fs from 'node:fs';
import path from 'node:path';

// `import x from 'y'`, `import 'y'`, `export { x } from 'y'`; not `import type`/`export type`, not `import('y')`.
const STATIC = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/**
 * Every source file and package reached from `entry` by static imports: what a bundler puts in
 * the entry's chunk (a dynamic import() is a chunk of its own). Read from the sources, so the
 * tests that use it hold without a build.
 */
export function reach(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    if (!/\.tsx?$/.test(file)) continue;
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(STATIC)) {
      if (!spec) continue;
      if (spec.startsWith('.')) {
        const next = resolve(file, spec);
        if (next) todo.push(next);
      } else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
    }
  }
  return { files, packages };
}
