import { event, makeClient, type ChannelOf, type ClientOf, type ClientOptions, type HandlersOf, type Transport } from './ipc';
import { appContract } from './contract/app';
import { serversContract } from './contract/servers';
import { powerContract } from './contract/power';
import { agentsContract, type HealthView } from './contract/agents';
import { proxmoxContract, type ProxmoxChange, type ProxmoxTask } from './contract/proxmox';
import { consoleEvents, consolesContract } from './contract/consoles';
import { monitoringContract, monitoringEvents } from './contract/monitoring';
import { integrationsContract } from './contract/integrations';
import { hostKeysContract } from './contract/host-keys';
import { secretsContract } from './contract/secrets';
import { bulkContract, bulkEvents, groupsContract } from './contract/groups';
import { automationContract } from './contract/automation';
import { wakeProxyContract, wakeProxyEvents } from './contract/wake-proxy';
import { scanContract } from './contract/scan';
import { checksContract, checksEvents } from './contract/checks';
import { channelsContract } from './contract/channels';
import { alertPolicyContract } from './contract/alert-policy';
import type { ConnectionStatus, Notice, ServersChanges, ServersPatch } from './events';
import { DEFAULT_TIMEOUT_MS, REQUEST_TIMEOUTS } from './contract/defaults';

/**
 * Every request channel and every event of Rackdeck, in one place. Each capability keeps its
 * channels in its own file under contract/ and is added here with one line.
 */
export const contract = {
  app: appContract,
  servers: serversContract,
  power: powerContract,
  agents: agentsContract,
  proxmox: proxmoxContract,
  consoles: consolesContract,
  /** metrics, alerts, actions (issue 6). */
  ...monitoringContract,
  /** Prometheus, Home Assistant over MQTT, remote history (issue 19). */
  integrations: integrationsContract,
  /** Pinned SSH host keys: check and trust (issue 13). */
  hostKeys: hostKeysContract,
  /** The home's sealed secrets and their key: status, and reset after a lost key (issue 13). */
  secrets: secretsContract,
  /** Groups, tags and bulk power actions (issue 17). */
  groups: groupsContract,
  bulk: bulkContract,
  /** Schedules, idle auto-suspend, keep-awake (issue 17). */
  automation: automationContract,
  /** Wake on demand (issue 17). */
  wakeProxy: wakeProxyContract,
  /** Network scan (issue 17). */
  scan: scanContract,
  /** Per-server checks: ping, HTTP, DNS, SSH health, Proxmox backups and storage (issue 18). */
  checks: checksContract,
  /** Alert channels and the alert policy: maintenance, overrides, acknowledgement notes (issue 18). */
  channels: channelsContract,
  alertPolicy: alertPolicyContract,
};

export const events = {
  /** Console output, ends and live stats (issue 7). */
  ...consoleEvents,
  /** Live metrics and alert changes (issue 6). */
  ...monitoringEvents,
  /** Bulk power runs (issue 17). */
  ...bulkEvents,
  /** Wake on demand's live connection counts (issue 17). */
  ...wakeProxyEvents,
  /** A check's state or definition changed (issue 18). */
  ...checksEvents,
  'servers.patch': event<ServersPatch>(),
  /** The same patches with only the fields that changed, for a face that keeps the servers (the renderer). */
  'servers.changes': event<ServersChanges>(),
  notice: event<Notice>(),
  /** A server's agent health changed (issue 8). */
  'health.changed': event<HealthView>(),
  /** A Proxmox task Rackdeck follows moved: new status or log lines (issue 5). */
  'proxmox.task': event<ProxmoxTask>(),
  /** What changed in a Proxmox cluster since the last refresh (issue 5). */
  'proxmox.changes': event<ProxmoxChange[]>(),
  /** Raised by the bridge itself (never by the engine): the link to main is up, down or retrying. */
  connection: event<ConnectionStatus>(),
  /** Raised by the desktop face (never by the engine): a notification or tray entry about this server was clicked; select it. */
  'ui.select': event<{ serverId: string }>(),
};

export type Contract = typeof contract;
export type Events = typeof events;
export type Channel = ChannelOf<Contract>;
export type RackdeckClient = ClientOf<Contract, Events>;
export type Handlers<Ctx> = HandlersOf<Contract, Ctx>;
export type EventName = keyof Events & string;

// Zod-free, so a client that needs no schemas (the CLI on its way to a running engine) loads none.
export { DEFAULT_TIMEOUT_MS, FACE_EVENTS, REQUEST_TIMEOUTS } from './contract/defaults';

/**
 * The typed client over any transport: what the preload, the web bridge and the CLI each build.
 * Every call waits DEFAULT_TIMEOUT_MS (or its REQUEST_TIMEOUTS entry) unless told otherwise.
 */
export function createClient(transport: Transport, options: Partial<ClientOptions> = {}): RackdeckClient {
  return makeClient<Contract, Events>(contract, transport, {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    timeouts: { ...REQUEST_TIMEOUTS, ...options.timeouts },
  });
}
