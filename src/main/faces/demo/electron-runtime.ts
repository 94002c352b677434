import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The Electron binary if one is installed, else null. `require('electron')` would start a
 * download when the binary is missing, so only the file it would name is looked for.
 */
export function electronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, relative || 'electron') : relative ? path.join(dir, 'dist', relative) : null;
  return binary && existsSync(binary) ? binary : null;
}
