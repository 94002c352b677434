/** PVE 9's /cluster/bulk-action: start, shut down or suspend many guests with one call. */
import { runBulkAction } from '../bulk';
import type { Router } from '../router';

export function registerBulk(router: Router): void {
  router.add('GET /cluster/bulk-action', () => [{ name: 'guest' }]);
  router.add('GET /cluster/bulk-action/guest', () => [{ name: 'start' }, { name: 'shutdown' }, { name: 'migrate' }, { name: 'suspend' }]);
  for (const kind of ['start', 'shutdown', 'suspend'] as const) {
    router.add(`POST /cluster/bulk-action/guest/${kind}`, ({ state, local, principal, params }) => runBulkAction(kind, { state, local, principal, params }));
  }
}
