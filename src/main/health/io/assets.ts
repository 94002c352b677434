import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentFiles } from '../agent-installer';

/**
 * Finds assets/agents whether Rackdeck runs from source (src/main/health/io), from the bundle
 * (dist/main) or from a package that ships the folder beside it; RACKDECK_ASSETS_DIR wins.
 */
export function agentAssetsDir(env: NodeJS.ProcessEnv = process.env): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    ...(env.RACKDECK_ASSETS_DIR ? [path.join(env.RACKDECK_ASSETS_DIR, 'agents')] : []),
    path.resolve(here, '../../../../assets/agents'),
    path.resolve(here, '../../assets/agents'),
    path.resolve(here, '../assets/agents'),
    path.resolve(process.cwd(), 'assets/agents'),
  ];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'rackdeck-agent.sh')));
  if (!found) throw new Error(`The agent scripts were not found (looked in ${candidates.join(', ')}); set RACKDECK_ASSETS_DIR`);
  return found;
}

export function readAgentFiles(dir = agentAssetsDir()): AgentFiles {
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  return { script: read('rackdeck-agent.sh'), service: read('rackdeck-agent.service'), timer: read('rackdeck-agent.timer') };
}
