import type { AppInfo } from '../../shared/contract/app';
import type { Handlers } from '../../shared/contract';
import type { CallContext } from '../ipc/router';

export function appHandlers(info: AppInfo): Handlers<CallContext>['app'] {
  return {
    info: async (_input, ctx) => ({ ...info, face: ctx.face === 'test' ? info.face : ctx.face }),
  };
}
