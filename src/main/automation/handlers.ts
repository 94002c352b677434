import type { Handlers } from '../../shared/contract';
import type { CallContext } from '../ipc/router';
import type { AutomationService } from './service';

/** automation.* (issue 17): thin calls into the service. */
export function automationHandlers(svc: AutomationService): Handlers<CallContext>['automation'] {
  return {
    schedules: async () => svc.schedules(),
    addSchedule: async (input) => svc.addSchedule(input),
    removeSchedule: async ({ id }) => svc.removeSchedule(id),
    next: async ({ hours }) => svc.next(hours),
    idle: async () => svc.idle(),
    setIdle: async (input) => svc.setIdle(input),
    removeIdle: async ({ serverId }) => svc.removeIdle(serverId),
    keepAwake: async ({ serverId, minutes }) => svc.keepAwake(serverId, minutes),
  };
}
