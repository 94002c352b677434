import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveHome } from '../../store/home';

export interface AppPaths {
  /** The project (or packaged app) folder holding dist/. */
  root: string;
  preload: string;
  indexHtml: string;
  /** file:// URL of index.html: the only page allowed to call the router. */
  indexUrl: string;
  /** assets/ in the project; resources/assets (extraResources) once packaged. */
  assets: string;
  appIcon: string;
}

/**
 * Where the built files are, from the bundled main's own URL (dist/main/electron.mjs), so it
 * works from the project folder and from inside app.asar alike.
 */
export function appPaths(input: { moduleUrl: string; packaged: boolean; resourcesPath?: string }): AppPaths {
  const root = fileURLToPath(new URL('../../', input.moduleUrl));
  const indexHtml = path.join(root, 'dist', 'renderer', 'index.html');
  const assets = input.packaged && input.resourcesPath ? path.join(input.resourcesPath, 'assets') : path.join(root, 'assets');
  return {
    root,
    preload: path.join(root, 'dist', 'preload', 'preload.cjs'),
    indexHtml,
    indexUrl: pathToFileURL(indexHtml).href,
    assets,
    appIcon: path.join(assets, 'icons', '256x256.png'),
  };
}

/** `--name value` or `--name=value`, wherever it stands (Electron puts its own arguments first). */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === `--${name}`) return argv[i + 1];
    if (arg?.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

export const hasFlag = (argv: readonly string[], name: string) => argv.includes(`--${name}`);

/**
 * The desktop face's home: `--home DIR`, else RACKDECK_HOME, else the same per-user folder the
 * CLI and the web face use (so all three faces share one inventory).
 * Returns whether it was chosen explicitly, because then Chromium's own data and the
 * single-instance lock move there too (two homes, two independent instances).
 */
export function desktopHome(argv: readonly string[], env: NodeJS.ProcessEnv): { home: string; explicit: boolean } {
  const flag = flagValue(argv, 'home');
  return { home: resolveHome({ flag, env }), explicit: Boolean(flag || env.RACKDECK_HOME) };
}
