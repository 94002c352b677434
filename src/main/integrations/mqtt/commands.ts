import type { MqttOffAction } from '../../../shared/contract/integrations';
import { isTransitional } from '../../../shared/power';
import type { DesiredPower, PowerAction, ServerView } from '../../../shared/server';
import { DESIRED_OPTIONS } from './discovery';

/**
 * What a message on a command topic asks for, decided without doing it: a power action, a new
 * desired state, nothing (already so), or a refusal in words. The bridge carries it out.
 */
export type CommandPlan =
  | { kind: 'power'; serverId: string; action: PowerAction }
  | { kind: 'desired'; serverId: string; desired: DesiredPower | null }
  | { kind: 'none'; serverId: string; reason: string }
  | { kind: 'refused'; serverId?: string; reason: string };

/** `<base>/<server id>/<entity>/set` → the server id and the entity, or undefined for another topic. */
export function parseCommandTopic(topic: string, baseTopic: string): { serverId: string; key: string } | undefined {
  if (!topic.startsWith(`${baseTopic}/`)) return undefined;
  const rest = topic.slice(baseTopic.length + 1).split('/');
  if (rest.length !== 3 || rest[2] !== 'set' || !rest[0] || !rest[1]) return undefined;
  return { serverId: rest[0], key: rest[1] };
}

const UP = new Set(['on', 'init_failed']);
const GUEST_KINDS = new Set(['vm', 'lxc']);

export function planCommand(input: { serverId: string; key: string; payload: string; server: ServerView | undefined; offAction: MqttOffAction }): CommandPlan {
  const { serverId, key, server } = input;
  const payload = input.payload.trim();
  if (!server) return { kind: 'refused', serverId, reason: `no server "${serverId}"` };
  if (key === 'power') {
    const want = payload.toUpperCase();
    if (want !== 'ON' && want !== 'OFF') return { kind: 'refused', serverId, reason: `the switch takes ON or OFF, not "${payload.slice(0, 40)}"` };
    if (isTransitional(server.power)) return { kind: 'none', serverId, reason: `${server.name} is ${server.power} already` };
    if (want === 'ON') return UP.has(server.power) ? { kind: 'none', serverId, reason: `${server.name} is on already` } : { kind: 'power', serverId, action: 'wake' };
    if (!UP.has(server.power)) return { kind: 'none', serverId, reason: `${server.name} is not running` };
    // A guest is shut down through its cluster; suspend is a host's sleep.
    return { kind: 'power', serverId, action: GUEST_KINDS.has(server.kind) ? 'shutdown' : input.offAction };
  }
  if (key === 'desired') {
    const want = payload.toLowerCase();
    if (!(DESIRED_OPTIONS as readonly string[]).includes(want)) return { kind: 'refused', serverId, reason: `the desired state is one of ${DESIRED_OPTIONS.join(', ')}, not "${payload.slice(0, 40)}"` };
    return { kind: 'desired', serverId, desired: want === 'none' ? null : (want as DesiredPower) };
  }
  return { kind: 'refused', serverId, reason: `"${key}" takes no commands` };
}
