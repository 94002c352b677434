import type { Handlers } from '../../shared/contract';
import type { CallContext } from '../ipc/router';
import type { WakeProxyService } from './service';

/** wakeProxy.* (issue 17): thin calls into the service. */
export function wakeProxyHandlers(svc: WakeProxyService): Handlers<CallContext>['wakeProxy'] {
  return {
    list: async ({ server }) => svc.list(server),
    add: (input) => svc.add(input),
    remove: ({ id }) => svc.remove(id),
    counts: async () => svc.counts(),
  };
}
