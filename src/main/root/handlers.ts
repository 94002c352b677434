import type { Handlers } from '../../shared/contract';
import type { AppInfo } from '../../shared/contract/app';
import type { Engine } from '../inventory/engine';
import type { CallContext } from '../ipc/router';
import { appHandlers } from './app-handlers';
import { serverHandlers } from '../inventory/handlers';
import { powerHandlers } from '../power/handlers';
import { agentHandlers } from '../health/handlers';
import { proxmoxHandlers } from '../proxmox/handlers';
import { consoleHandlers } from '../consoles/handlers';
import { monitoringHandlers } from '../monitoring/handlers';

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
