import type { Handlers } from '../../shared/contract';
import type { CallContext } from '../ipc/router';
import type { IntegrationsService } from './service';

/** integrations.* (issue 19): thin calls into the service. */
export function integrationsHandlers(svc: IntegrationsService): Handlers<CallContext>['integrations'] {
  return {
    status: async () => svc.status(),
    settings: async () => svc.settingsView(),
    setSettings: async (input) => svc.updateSettings(input),
    test: ({ integration }) => svc.test(integration),
  };
}
