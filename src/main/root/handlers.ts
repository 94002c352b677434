import type { Handlers } from '../../shared/contract';
import type { AppInfo } from '../../shared/contract/app';
import type { ConsoleManager } from '../consoles/manager';
import type { ChecksService } from '../checks/service';
import type { AgentsService } from '../health/service';
import type { Engine } from '../inventory/engine';
import type { CallContext } from '../ipc/router';
import type { MonitoringService } from '../monitoring/service';
import type { IntegrationsService } from '../integrations/service';
import type { PowerController } from '../power/controller';
import type { BulkRunner } from '../power/bulk-runner';
import type { ProxmoxService } from '../proxmox/service';
import type { AutomationService } from '../automation/service';
import { appHandlers } from './app-handlers';
import { serverHandlers } from '../inventory/handlers';
import { powerHandlers } from '../power/handlers';
import { hostKeyHandlers } from '../power/host-key-handlers';
import { secretsHandlers } from './secrets-handlers';
import { agentHandlers } from '../health/handlers';
import { proxmoxHandlers } from '../proxmox/handlers';
import { consoleHandlers } from '../consoles/handlers';
import { monitoringHandlers } from '../monitoring/handlers';
import { integrationsHandlers } from '../integrations/handlers';
import { bulkHandlers, groupsHandlers } from '../power/bulk-handlers';
import { automationHandlers } from '../automation/handlers';
import type { WakeProxyService } from '../wake-proxy/service';
import { wakeProxyHandlers } from '../wake-proxy/handlers';
import type { ScanService } from '../scan/service';
import { scanHandlers } from '../scan/handlers';
import { checksHandlers } from '../checks/handlers';

/** Every service the handlers serve, built once by the composition root. */
export interface Services {
  engine: Engine;
  power: PowerController;
  proxmox: ProxmoxService;
  monitoring: MonitoringService;
  agents: AgentsService;
  consoles: ConsoleManager;
  integrations: IntegrationsService;
  bulk: BulkRunner;
  automation: AutomationService;
  wakeProxy: WakeProxyService;
  scan: ScanService;
  checks: ChecksService;
}

/** Every capability's handlers, one line each; the router refuses to start if one is missing. Builds nothing. */
export function createHandlers(s: Services, info: AppInfo): Handlers<CallContext> {
  return {
    app: appHandlers(info),
    servers: serverHandlers(s.engine),
    power: powerHandlers(s.engine, s.power),
    agents: agentHandlers(s.agents),
    proxmox: proxmoxHandlers(s.engine, s.proxmox, s.power),
    consoles: consoleHandlers(s.engine, s.consoles),
    ...monitoringHandlers(s.monitoring),
    integrations: integrationsHandlers(s.integrations),
    hostKeys: hostKeyHandlers(s.engine, s.power),
    secrets: secretsHandlers(info.home),
    groups: groupsHandlers(s.engine),
    bulk: bulkHandlers(s.engine, s.bulk),
    automation: automationHandlers(s.automation),
    wakeProxy: wakeProxyHandlers(s.wakeProxy),
    scan: scanHandlers(s.scan),
    checks: checksHandlers(s.checks),
  };
}
