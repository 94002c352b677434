/** The lab's complete route table. */
import { Router } from '../router';
import { registerAccess } from './access';
import { registerBulk } from './bulk';
import { registerCluster } from './cluster';
import { registerConsole } from './console';
import { registerGuests } from './guests';
import { registerHa } from './ha';
import { registerNodes } from './nodes';
import { registerPower } from './power';
import { registerRepos } from './repos';
import { registerRoles } from './roles';
import { registerSnapshots } from './snapshots';
import { registerStorage } from './storage';

export function buildRouter(): Router {
  const router = new Router();
  registerAccess(router);
  registerRoles(router);
  registerCluster(router);
  registerHa(router);
  registerBulk(router);
  registerNodes(router);
  registerStorage(router);
  registerRepos(router);
  registerGuests(router);
  registerPower(router);
  registerSnapshots(router);
  registerConsole(router);
  return router;
}
