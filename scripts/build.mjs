// Builds the three bundles of Rackdeck: main-process code (CLI, web face, Electron face) and the
// preload with esbuild, the renderer with Vite. `node scripts/build.mjs [--no-renderer]`.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { build as viteBuild } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const define = { __RACKDECK_VERSION__: JSON.stringify(pkg.version) };
const started = Date.now();

await Promise.all([
  // The CLI and the Electron main are ESM and load their dependencies from node_modules.
  build({
    entryPoints: { 'main/cli': 'src/main/faces/cli/entry.ts', 'main/electron': 'src/main/faces/electron/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // A dynamic import() becomes a chunk of its own, loading its packages only when reached:
    // a CLI command through a running engine's socket loads none of the engine's code. Chunks sit
    // beside the entries, since code finds the renderer and assets from its own file's folder.
    splitting: true,
    chunkNames: 'main/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    define,
    logLevel: 'warning',
  }),
  // A sandboxed preload must be one CommonJS file that requires nothing but 'electron'.
  build({
    entryPoints: { 'preload/preload': 'src/preload/preload.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
    sourcemap: true,
    define,
    logLevel: 'warning',
  }),
]);

if (!process.argv.includes('--no-renderer')) {
  await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
console.log(`built in ${Date.now() - started} ms`);
