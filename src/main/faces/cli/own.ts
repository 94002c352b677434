import { consoleLogger } from '../../base/logger';
import { ownedEngine, takeHome, type Owned } from '../ownership';

/** `serve` and `demo`: this process becomes the home's engine (loaded only for them). */
export async function ownForCli(home: string, face: 'serve' | 'demo'): Promise<Owned> {
  const lock = await takeHome(home, face, consoleLogger);
  const { createSteppedApp } = await import('../../root/stepped');
  return ownedEngine(home, lock, consoleLogger, () => createSteppedApp({ home, face: 'web', log: consoleLogger }));
}
