import path from 'node:path';
import { createApp, type RackdeckApp } from '../../../src/main/root/app';
import { silentLogger } from '../../../src/main/base/logger';
import { newToken } from '../../../src/main/faces/web/security';
import { startWebServer } from '../../../src/main/faces/web/server';
import type { Cleanup } from './cleanup';
import { BUILT_RENDERER } from './paths';
import { assertBuilt } from './serve';

export interface InProcess {
  app: RackdeckApp;
  openUrl: string;
}

/**
 * What `rackdeck serve` does (the engine's loops and the web face over the built renderer), in
 * the test's own process. Only for a test that must drive a loop itself, the way a fake clock
 * would: the watchdog looks every 30 s, which no setting shortens, so the health test asks it
 * to look now instead of waiting.
 */
export async function serveInProcess(cleanup: Cleanup, home: string): Promise<InProcess> {
  assertBuilt();
  const app = createApp({ home, face: 'web', log: silentLogger });
  const token = newToken();
  app.engine.updateSettings({ web: { ...app.engine.settings.web, token } });
  app.engine.start();
  cleanup.add('stop the in-process engine', () => app.stop());
  const web = await startWebServer({ app, host: '127.0.0.1', port: 0, token, rendererDir: path.dirname(BUILT_RENDERER), log: silentLogger });
  cleanup.add('close the in-process web face', () => web.close());
  return { app, openUrl: web.openUrl };
}
