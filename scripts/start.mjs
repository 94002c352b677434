// `npm start` (after the build): runs the desktop face in Electron when an Electron runtime is
// installed, and otherwise says so and runs the web face instead. Arguments are passed on, e.g.
// `npm start -- --home /tmp/lab`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

/**
 * The Electron binary, or null. `require('electron')` downloads the binary when it is missing,
 * so it is only asked once the file it would name is known to exist: starting never reaches
 * for the network.
 */
function electronBinary() {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const expected = override ? path.join(override, relative || 'electron') : relative ? path.join(dir, 'dist', relative) : null;
  if (!expected || !existsSync(expected)) return null;
  const binary = require('electron');
  return typeof binary === 'string' && existsSync(binary) ? binary : null;
}

/**
 * Runs a child with our stdio, passes signals on, and exits with its code. The child gets its
 * own process group so that Ctrl-C reaches it once (through us), not twice: a second SIGINT
 * would kill it in the middle of its orderly shutdown.
 */
function run(command, argv, env) {
  const child = spawn(command, argv, { stdio: 'inherit', env, detached: process.platform !== 'win32' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`rackdeck: could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const binary = electronBinary();
if (binary) {
  // ELECTRON_RUN_AS_NODE in the environment would turn the app into a plain Node process.
  const { ELECTRON_RUN_AS_NODE: _ignored, ...env } = process.env;
  run(binary, [root, ...args], env);
} else {
  console.error(
    [
      'rackdeck: no Electron runtime is installed here (node_modules/electron has no binary),',
      'so the desktop app cannot open. Starting the web face instead: open the URL it prints.',
    ].join('\n'),
  );
  // --hidden only means something to the desktop face.
  run(process.execPath, [path.join(root, 'bin', 'rackdeck.mjs'), 'serve', ...args.filter((a) => a !== '--hidden')], process.env);
}
