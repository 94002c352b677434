import { POWER_STATES } from '../../../shared/power';
import type { ServerView } from '../../../shared/server';

/**
 * Home Assistant's MQTT discovery for Rackdeck's servers, as pure functions: which retained
 * config messages describe a server as a device (a switch, a binary sensor for power, sensors
 * for CPU, memory and disk, a select for the desired state), which state topics carry its
 * values, and the empty retained messages that remove it again. Topics:
 *
 *   <discovery>/<component>/<node>/<server id>_<entity>/config   (retained config)
 *   <base>/<server id>/<entity>                                   (retained state)
 *   <base>/<server id>/<entity>/set                               (commands from Home Assistant)
 *   <base>/status                                                 (online/offline, the last will)
 */
export interface DiscoveryOptions {
  discoveryPrefix: string;
  baseTopic: string;
  version: string;
}

export type Component = 'switch' | 'binary_sensor' | 'sensor' | 'select';

interface Entity {
  key: string;
  component: Component;
  name: string;
  /** Extra fields of the config payload. */
  extra(topics: { state: string; command: string }): Record<string, unknown>;
  settable?: boolean;
}

export const DESIRED_OPTIONS = ['none', 'on', 'suspended', 'off'] as const;

const ENTITIES: readonly Entity[] = [
  { key: 'power', component: 'switch', name: 'Power', settable: true, extra: ({ state, command }) => ({ state_topic: state, command_topic: command, payload_on: 'ON', payload_off: 'OFF', icon: 'mdi:server' }) },
  { key: 'running', component: 'binary_sensor', name: 'Running', extra: ({ state }) => ({ state_topic: state, payload_on: 'ON', payload_off: 'OFF', device_class: 'running' }) },
  { key: 'state', component: 'sensor', name: 'Power state', extra: ({ state }) => ({ state_topic: state, device_class: 'enum', options: [...POWER_STATES], icon: 'mdi:power-settings' }) },
  { key: 'cpu', component: 'sensor', name: 'CPU', extra: ({ state }) => ({ state_topic: state, unit_of_measurement: '%', state_class: 'measurement', suggested_display_precision: 1, icon: 'mdi:cpu-64-bit' }) },
  { key: 'memory', component: 'sensor', name: 'Memory', extra: ({ state }) => ({ state_topic: state, unit_of_measurement: '%', state_class: 'measurement', suggested_display_precision: 1, icon: 'mdi:memory' }) },
  { key: 'disk', component: 'sensor', name: 'Disk', extra: ({ state }) => ({ state_topic: state, unit_of_measurement: '%', state_class: 'measurement', suggested_display_precision: 1, icon: 'mdi:harddisk' }) },
  { key: 'desired', component: 'select', name: 'Desired state', settable: true, extra: ({ state, command }) => ({ state_topic: state, command_topic: command, options: [...DESIRED_OPTIONS], icon: 'mdi:target' }) },
];

export const ENTITY_KEYS: readonly string[] = ENTITIES.map((e) => e.key);
export const SETTABLE_KEYS: readonly string[] = ENTITIES.filter((e) => e.settable).map((e) => e.key);

/** The node id of the discovery topics: one per Rackdeck, from its base topic. */
export function nodeIdOf(baseTopic: string): string {
  return baseTopic.replace(/[^A-Za-z0-9_-]/g, '_');
}

export const statusTopic = (o: Pick<DiscoveryOptions, 'baseTopic'>) => `${o.baseTopic}/status`;
export const stateTopic = (o: Pick<DiscoveryOptions, 'baseTopic'>, serverId: string, key: string) => `${o.baseTopic}/${serverId}/${key}`;
export const commandTopic = (o: Pick<DiscoveryOptions, 'baseTopic'>, serverId: string, key: string) => `${stateTopic(o, serverId, key)}/set`;
export const configTopic = (o: Pick<DiscoveryOptions, 'discoveryPrefix' | 'baseTopic'>, component: Component, serverId: string, key: string) =>
  `${o.discoveryPrefix}/${component}/${nodeIdOf(o.baseTopic)}/${serverId}_${key}/config`;
/** Every retained config of this Rackdeck, for learning what an earlier run left at the broker. */
export const configWildcard = (o: Pick<DiscoveryOptions, 'discoveryPrefix' | 'baseTopic'>) => `${o.discoveryPrefix}/+/${nodeIdOf(o.baseTopic)}/+/config`;
/** Every command topic of this Rackdeck. */
export const commandWildcard = (o: Pick<DiscoveryOptions, 'baseTopic'>) => `${o.baseTopic}/+/+/set`;

const deviceId = (o: DiscoveryOptions, serverId: string) => `rackdeck_${nodeIdOf(o.baseTopic)}_${serverId}`;

const MODEL: Record<ServerView['kind'], string> = { physical: 'Server', 'proxmox-node': 'Proxmox VE node', vm: 'Proxmox VM', lxc: 'Proxmox container' };

export interface ConfigMessage {
  topic: string;
  payload: string;
}

/** The retained config messages that make `server` a Home Assistant device. */
export function configsFor(server: ServerView, o: DiscoveryOptions): ConfigMessage[] {
  const device: Record<string, unknown> = {
    identifiers: [deviceId(o, server.id)],
    name: server.name,
    manufacturer: 'Rackdeck',
    model: MODEL[server.kind],
    ...(server.system?.os ? { sw_version: server.system.os } : {}),
    ...(server.parentId ? { via_device: deviceId(o, server.parentId) } : {}),
  };
  return ENTITIES.map((e) => {
    const payload = {
      name: e.name,
      unique_id: `${deviceId(o, server.id)}_${e.key}`,
      availability: [{ topic: statusTopic(o), payload_available: 'online', payload_not_available: 'offline' }],
      device,
      origin: { name: 'Rackdeck', sw_version: o.version },
      ...e.extra({ state: stateTopic(o, server.id, e.key), command: commandTopic(o, server.id, e.key) }),
    };
    return { topic: configTopic(o, e.component, server.id, e.key), payload: JSON.stringify(payload) };
  });
}

/** Every retained topic a server leaves at the broker: its configs and its states. */
export function retainedTopicsOf(serverId: string, o: DiscoveryOptions): string[] {
  return [...ENTITIES.map((e) => configTopic(o, e.component, serverId, e.key)), ...ENTITIES.map((e) => stateTopic(o, serverId, e.key))];
}

/** The server a retained config topic of this Rackdeck belongs to, if it is one. */
export function serverOfConfigTopic(topic: string, o: DiscoveryOptions): string | undefined {
  const parts = topic.split('/');
  const prefix = o.discoveryPrefix.split('/');
  if (parts.length !== prefix.length + 4 || parts.at(-1) !== 'config' || parts[prefix.length + 1] !== nodeIdOf(o.baseTopic)) return undefined;
  const object = parts[prefix.length + 2] ?? '';
  const key = ENTITY_KEYS.find((k) => object.endsWith(`_${k}`));
  return key ? object.slice(0, -(key.length + 1)) || undefined : undefined;
}

const UP = new Set(['on', 'init_failed', 'waking', 'rebooting']);
const RUNNING = new Set(['on', 'init_failed', 'suspending', 'stopping', 'rebooting']);

const pct = (used: number | undefined, total: number | undefined) => (used !== undefined && total ? Math.round((used / total) * 1000) / 10 : undefined);

/** What each state topic of a server says now; a figure not known is left out (its last value stands). */
export function statesOf(server: ServerView, sample: { cpu?: number; memUsed?: number; memTotal?: number; diskUsed?: number; diskTotal?: number } | undefined): Record<string, string> {
  const out: Record<string, string> = {
    // The switch is "on" while the server runs or is on its way up, so a toggle reads as the admin meant it.
    power: UP.has(server.power) ? 'ON' : 'OFF',
    running: RUNNING.has(server.power) ? 'ON' : 'OFF',
    state: server.power,
    desired: server.desired ?? 'none',
  };
  if (sample?.cpu !== undefined) out.cpu = String(Math.round(sample.cpu * 10) / 10);
  const memory = pct(sample?.memUsed, sample?.memTotal);
  if (memory !== undefined) out.memory = String(memory);
  const disk = pct(sample?.diskUsed, sample?.diskTotal);
  if (disk !== undefined) out.disk = String(disk);
  return out;
}
