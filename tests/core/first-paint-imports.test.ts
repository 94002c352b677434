/**
 * What the page loads before its first paint: every module main.tsx reaches through static
 * imports (a dynamic import() is a chunk of its own, loaded later). None may reach zod: building
 * the contract's schemas cost the page ~80 ms before it could open its socket (issue 16). Read
 * from the sources, so it holds without a build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reach } from './static-imports';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.join(ROOT, 'src/renderer/main.tsx');

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
