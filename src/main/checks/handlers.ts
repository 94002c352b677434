import type { Handlers } from '../../shared/contract';
import type { CallContext } from '../ipc/router';
import type { ChecksService } from './service';

/** checks.* (issue 18): thin calls into the service. */
export function checksHandlers(svc: ChecksService): Handlers<CallContext>['checks'] {
  return {
    list: async ({ server }) => svc.list(server),
    add: async ({ server, check }) => svc.add(server, check),
    update: async ({ server, id, check }) => svc.update(server, id, check),
    remove: async ({ server, id }) => ({ removed: svc.remove(server, id) }),
    run: ({ server, id }) => svc.runNow(server, id),
  };
}
