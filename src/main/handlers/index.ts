import type { Handlers } from '../../shared/contract';
import type { AppInfo } from '../../shared/contract/app';
import type { Engine } from '../core/engine';
import type { CallContext } from '../core/router';
import { appHandlers } from './app';
import { serverHandlers } from './servers';

/** Every capability's handlers, one line each; the router refuses to start if one is missing. */
export function createHandlers(engine: Engine, info: AppInfo): Handlers<CallContext> {
  return {
    app: appHandlers(info),
    servers: serverHandlers(engine),
  };
}
