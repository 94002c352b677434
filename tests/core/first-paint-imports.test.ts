/**
 * What the page loads before its first paint: every module main.tsx reaches through static
 * imports (a dynamic import() is a chunk of its own, loaded later). None may reach zod: building
 * the contract's schemas cost the page ~80 ms before it could open its socket (issue 16). Read
 * from the sources, so it holds without a build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.join(ROOT, 'src/renderer/main.tsx');

// `import x from 'y'`, `import 'y'`, `export { x } from 'y'`; not `import type`/`export type`, not `import('y')`.
const STATIC = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/** Every source file and package reached from `entry` by static imports. */
function reach(entry: string): { files: Set<string>; packages: Set<string> } {
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

describe('the page’s first paint', () => {
  it('loads no schema library, and none of the contract’s schema files', () => {
    const { files, packages } = reach(ENTRY);
    expect(files.size).toBeGreaterThan(20);
    expect(packages).toContain('react-dom');
    expect([...packages]).not.toContain('zod');
    const withSchemas = [...files].filter((f) => /\.tsx?$/.test(f) && /^import\s+\{[^}]*\}\s+from\s+'zod'/m.test(fs.readFileSync(f, 'utf8')));
    expect(withSchemas.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
