import type { Handlers } from '../../shared/contract';
import type { AppInfo } from '../../shared/contract/app';
import type { Engine } from '../core/engine';
import type { CallContext } from '../core/router';
import { appHandlers } from './app';
import { serverHandlers } from './servers';
import { powerHandlers } from './power';
import { agentHandlers } from './agents';
import { proxmoxHandlers } from './proxmox';
import { consoleHandlers } from './consoles';
import { monitoringHandlers } from './monitoring';

/** Every capability's handlers, one line each; the router refuses to start if one is missing. */
export function createHandlers(engine: Engine, info: AppInfo): Handlers<CallContext> {
  return {
    app: appHandlers(info),
    servers: serverHandlers(engine),
    power: powerHandlers(engine),
    agents: agentHandlers(engine, info),
    proxmox: proxmoxHandlers(engine),
    consoles: consoleHandlers(engine, info),
    ...monitoringHandlers(engine, info),
  };
}
