/**
 * What the page loads before its first paint: every module the page's entry (boot.ts) and the
 * app it loads at once (main.tsx, a chunk of its own) reach through static imports; any other
 * dynamic import() is a chunk loaded later. None may reach zod: building the contract's schemas
 * cost the page ~80 ms before it could open its socket (issue 16). Read from the sources, so it
 * holds without a build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reach } from './static-imports';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRIES = ['src/renderer/boot.ts', 'src/renderer/main.tsx'].map((f) => path.join(ROOT, f));

describe('the page’s first paint', () => {
  it('loads no schema library, and none of the contract’s schema files', () => {
    const reached = ENTRIES.map(reach);
    const files = new Set(reached.flatMap((r) => [...r.files]));
    const packages = new Set(reached.flatMap((r) => [...r.packages]));
    expect(files.size).toBeGreaterThan(20);
    expect(packages).toContain('react-dom');
    expect([...packages]).not.toContain('zod');
    const withSchemas = [...files].filter((f) => /\.tsx?$/.test(f) && /^import\s+(?!type\b)[^;]*?\sfrom\s+'zod'/m.test(fs.readFileSync(f, 'utf8')));
    expect(withSchemas.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
