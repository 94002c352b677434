import type { ServerConfig } from '../../shared/server';

/** The schema's default for `ports` when none were given: "the host answers SSH". */
const DEFAULT_PORTS: readonly number[] = [22];

/**
 * The ports a status probe knocks on: the server's configured ports and its SSH port. Left at
 * the default ([22]) on a server whose SSH listens elsewhere, the default means "SSH answers",
 * so its SSH port stands in for a port 22 it does not use (issue 13: `--ssh-port 47522` made a
 * server that answered read as Off). Order: configured ports first, each once.
 */
export function statusPorts(server: Pick<ServerConfig, 'ports' | 'ssh'>): number[] {
  const sshPort = server.ssh?.port;
  const onlyDefault = server.ports.length === DEFAULT_PORTS.length && server.ports.every((p, i) => p === DEFAULT_PORTS[i]);
  const configured = sshPort !== undefined && sshPort !== 22 && onlyDefault ? [] : server.ports;
  return [...new Set([...configured, ...(sshPort !== undefined ? [sshPort] : [])])];
}
