import type { Conditions } from '../../shared/contract/automation';
import type { ServerConfig } from '../../shared/server';
import { mbps, parseWho, type Observation } from './conditions';
import { childrenOn } from './targets';
import type { AutomationHost } from './ports';

/**
 * Gathers what the conditions need to know of a server, through the host's ports, and only
 * that: no `who` when logins do not matter, no Proxmox tasks for a plain host. Each failure
 * leaves its field undefined (the conditions say what could not be read).
 */
export async function observe(host: AutomationHost, server: ServerConfig, c: Conditions, figureMaxAgeMs: number): Promise<Observation> {
  const now = host.clock.now();
  const o: Observation = { childrenOn: c.guestsRunning ? childrenOn(server.id, host.servers(), (id) => host.power(id)?.state) : [] };
  const jobs: Array<Promise<void>> = [];
  if (c.sshLogins) {
    if (server.ssh)
      jobs.push(
        host.who(server.id).then(
          (out) => void (o.logins = parseWho(out)),
          (error: unknown) => void (o.loginsError = error instanceof Error ? error.message : String(error)),
        ),
      );
  }
  jobs.push(
    host.figures(server.id).then(
      (s) => {
        if (!s || now - s.t > figureMaxAgeMs) return;
        if (s.cpu !== undefined) o.cpu = s.cpu;
        const net = mbps(s.netIn, s.netOut);
        if (net !== undefined) o.netMbps = net;
      },
      (error: unknown) => host.log.warn(`automation: figures of ${server.id} could not be read`, error),
    ),
  );
  if (c.backupRunning && server.proxmox && server.proxmox.vmid === undefined) {
    jobs.push(
      host.backups(server).then(
        (b) => void (b ? (o.backups = b) : undefined),
        (error: unknown) => host.log.warn(`automation: tasks of ${server.id} could not be read`, error),
      ),
    );
  }
  await Promise.all(jobs);
  return o;
}
