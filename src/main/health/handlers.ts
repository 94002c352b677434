import type { Handlers } from '../../shared/contract';
import type { WatchOptions } from '../../shared/contract/agents';
import type { AgentsService } from './service';
import type { CallContext } from '../ipc/router';

const MINUTE = 60_000;

export function agentHandlers(svc: AgentsService): Handlers<CallContext>['agents'] {
  return {
    receiverStatus: async () => svc.status(),
    enableReceiver: async (input) => svc.enableReceiver(input),
    disableReceiver: async () => svc.disableReceiver(),
    createKey: async ({ serverId, label }) => svc.createKey(serverId, label),
    revokeKey: async (input) => ({ revoked: svc.revokeKeys(input) }),
    listKeys: async ({ serverId }) => svc.listKeys(serverId),
    health: async ({ id }) => svc.health(id),
    healthAll: async () => svc.healthAll(),
    resets: async ({ id, limit }) => svc.resets(id, limit),
    reset: async ({ id, reason }) => svc.manualReset(id, reason),
    setWatch: async ({ id, autoReset, maxAttempts, windowMinutes, cooldownMinutes, staleMinutes }) => {
      const patch: Partial<WatchOptions> = {
        ...(autoReset !== undefined ? { autoReset } : {}),
        ...(maxAttempts !== undefined ? { maxAttempts } : {}),
        ...(windowMinutes !== undefined ? { windowMs: windowMinutes * MINUTE } : {}),
        ...(cooldownMinutes !== undefined ? { cooldownMs: cooldownMinutes * MINUTE } : {}),
        ...(staleMinutes !== undefined ? { staleMs: staleMinutes * MINUTE } : {}),
      };
      return svc.setWatch(id, patch);
    },
    install: async ({ id, url }) => svc.install(id, url),
    uninstall: async ({ id }) => svc.uninstall(id),
  };
}
