import type { ServerConfig, ServerView } from '../../shared/server';
import type { RuntimeState } from './status';

/** A server's card: its config without secrets, its live state, and what the capabilities add. */
export function serverView(s: ServerConfig, rt: RuntimeState, extras: Partial<ServerView>): ServerView {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    address: s.address,
    ports: s.ports,
    ...(s.mac ? { mac: s.mac } : {}),
    ...(s.parentId ? { parentId: s.parentId } : {}),
    ...(s.ssh ? { ssh: { user: s.ssh.user, port: s.ssh.port, auth: s.ssh.auth, ...(s.ssh.keyPath ? { keyPath: s.ssh.keyPath } : {}) } } : {}),
    ...(s.notes ? { notes: s.notes } : {}),
    ...(s.groups && s.groups.length > 0 ? { groups: s.groups } : {}),
    power: rt.power,
    since: rt.since,
    ...(rt.lastSeen !== undefined ? { lastSeen: rt.lastSeen } : {}),
    openPorts: rt.openPorts,
    ...(rt.detail ? { detail: rt.detail } : {}),
    ...extras,
  };
}
