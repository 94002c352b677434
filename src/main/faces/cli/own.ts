import { consoleLogger } from '../../base/logger';
import { ownedEngine, takeHome, type Owned } from '../ownership';

/** `serve` and `demo`: this process becomes the home's engine (loaded only for them). */
export async function ownForCli(home: string, face: 'serve' | 'demo'): Promise<Owned> {
  const lock = await takeHome(home, face, consoleLogger);
  const { createApp } = await import('../../root/app');
  return ownedEngine(home, lock, consoleLogger, () => createApp({ home, face: 'web', log: consoleLogger }));
}
