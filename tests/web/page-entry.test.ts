/**
 * The page's entry is a small module that opens the link and asks for the snapshot before the
 * app's bundle (react-dom, the components: ~280 kB) is compiled and run (issue 16): index.html
 * loads boot.ts, which reaches neither react-dom nor the app by static imports, and loads
 * main.tsx with import(). Read from the sources, so it holds without a build; the build's own
 * check that the HTML names main's chunk for preloading is in vite.config.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { reach } from '../core/static-imports';

const RENDERER = path.resolve(import.meta.dirname, '../../src/renderer');

it('loads boot.ts as the page’s only script, run as soon as it arrives', () => {
  const html = fs.readFileSync(path.join(RENDERER, 'index.html'), 'utf8');
  expect([...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1])).toEqual(['./boot.ts']);
  // Not deferred: a deferred script waits for the style sheets, which the link does not need
  // (main.tsx waits for them before its first render).
  expect(html).toMatch(/<script type="module" async src="\.\/boot\.ts">/);
});

it('opens the link without react-dom or the app, which it loads as a chunk of their own', () => {
  const boot = path.join(RENDERER, 'boot.ts');
  const { files, packages } = reach(boot);
  expect([...packages]).not.toContain('react-dom');
  const app = [...files].map((f) => path.relative(RENDERER, f)).filter((f) => /\.tsx$/.test(f));
  expect(app).toEqual([]);
  expect(fs.readFileSync(boot, 'utf8')).toMatch(/import\('\.\/main'\)/);
});
