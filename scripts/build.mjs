// Builds the three bundles of Rackdeck: main-process code (CLI, web face, Electron face) and the
// preload with esbuild, the renderer with Vite. `node scripts/build.mjs [--no-renderer]`.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build as viteBuild } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * A fingerprint of every source file: config.json's mark (src/main/store/config-checked.ts)
 * lets a build skip judging a text only when that text was judged by the same schemas, and any
 * change under src/ may change one.
 */
function sourceId() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(file);
      else hash.update(file).update('\0').update(readFileSync(file)).update('\0');
    }
  };
  walk('src');
  return hash.digest('hex').slice(0, 32);
}
const define = { __RACKDECK_VERSION__: JSON.stringify(pkg.version), __RACKDECK_SOURCE_ID__: JSON.stringify(sourceId()) };
const started = Date.now();
// Chunk names carry a content hash: without a clean folder, every build would leave the last one's chunks beside its own.
rmSync('dist/main', { recursive: true, force: true });

await Promise.all([
  // The CLI and the Electron main are ESM.
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
    // The packages are bundled too: Node resolving, reading and linking zod's 95 files and
    // axios's 66 one by one was most of a standalone command's start-up. Left out: Electron (the
    // runtime's own), ssh2, whose optional native parts are found beside its own files, and the
    // CommonJS packages loaded lazily with import() (nodemailer, selfsigned): bundled, their named
    // exports would sit under `default`, and they cost a command's start-up nothing when unused.
    external: ['electron', 'ssh2', 'cpu-features', 'nodemailer', 'selfsigned'],
    // Bundled CommonJS packages call require() for Node's modules; an ES module has none of its own.
    banner: { js: "import { createRequire as __rackdeckRequire } from 'node:module';\nconst require = __rackdeckRequire(import.meta.url);" },
    sourcemap: true,
    // Without comments and spaces the chunks are a third smaller and plain ASCII (comments in
    // the packages carry '§', '—', '→'): Node reads and V8 compiles less on every start, and the
    // source stays a one-byte string. Names are kept as they are (no identifier minifying), so
    // stack traces and class names read the same; the source maps point back to the sources.
    minifyWhitespace: true,
    minifySyntax: true,
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

// `rackdeck --help` prints this file rather than loading every command's module to list their
// summaries (src/main/faces/cli/help-file.ts): written by the CLI just built, without the old one.
const helpFile = 'dist/main/cli-help.txt';
rmSync(helpFile, { force: true });
writeFileSync(helpFile, execFileSync(process.execPath, ['dist/main/cli.mjs', '--help'], { encoding: 'utf8' }));

if (!process.argv.includes('--no-renderer')) {
  await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
console.log(`built in ${Date.now() - started} ms`);
