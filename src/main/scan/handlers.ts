import type { Handlers } from '../../shared/contract';
import type { CallContext } from '../ipc/router';
import type { ScanService } from './service';

/** scan.* (issue 17): thin calls into the service. */
export function scanHandlers(svc: ScanService): Handlers<CallContext>['scan'] {
  return {
    run: (input, ctx) => svc.run(input, ctx.signal),
    add: async ({ hosts }) => svc.add(hosts),
  };
}
