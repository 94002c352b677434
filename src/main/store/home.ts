import os from 'node:os';
import path from 'node:path';

/**
 * Where Rackdeck keeps its config, secrets and history: `--home DIR`, else `RACKDECK_HOME`,
 * else the OS's per-user app-data folder. Every face resolves it the same way.
 */
export function resolveHome(input: { flag?: string | undefined; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; homedir?: string }): string {
  const env = input.env ?? process.env;
  if (input.flag) return path.resolve(input.flag);
  if (env.RACKDECK_HOME) return path.resolve(env.RACKDECK_HOME);
  const platform = input.platform ?? process.platform;
  const home = input.homedir ?? os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Rackdeck');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Rackdeck');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'rackdeck');
}
