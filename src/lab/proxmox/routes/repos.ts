/** A node's subscription and APT repositories. Both run on the node (proxyto node): an offline node answers 595. */
import type { Router } from '../router';
import { aptRepositories } from '../repo-files';
import { subscriptionView } from '../repos';

export function registerRepos(router: Router): void {
  // Any user may read it (permissions: user all); the key's details need Sys.Audit on the node, as on a real one.
  router.add('GET /nodes/{node}/subscription', ({ state, params, principal }) => {
    const node = state.requireNode(params.node ?? '');
    return subscriptionView(state, node.name, principal.privileges.has('Sys.Audit'));
  });

  // Sys.Audit on /nodes/{node} is checked by dispatch from the schema, before this runs.
  router.add('GET /nodes/{node}/apt/repositories', ({ state, params }) => aptRepositories(state, state.requireNode(params.node ?? '').name));
}
